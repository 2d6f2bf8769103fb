package auth

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxRevoked is when Revoke drops expired entries from memory.
const maxRevoked = 10000

// Revoked is the server-side list of sessions that logged out: a copied
// session cookie stops working once its session is here. Each entry is
// kept until the session would have expired anyway. With a file, the
// list survives a restart.
type Revoked struct {
	mu   sync.Mutex
	ids  map[string]int64 // session ID → expiry (unix seconds)
	path string
	file *os.File
}

// OpenRevoked opens the list kept in path (in memory only when path is
// empty), dropping entries that have expired.
func OpenRevoked(path string, now time.Time) (*Revoked, error) {
	r := &Revoked{ids: map[string]int64{}, path: path}
	if path == "" {
		return r, nil
	}
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read revoked sessions %s: %w", path, err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		id, exp, ok := strings.Cut(sc.Text(), " ")
		n, err := strconv.ParseInt(exp, 10, 64)
		if ok && err == nil && n >= now.Unix() {
			r.ids[id] = n
		}
	}
	// Rewrite without the expired entries, then append from there.
	var b strings.Builder
	for id, exp := range r.ids {
		fmt.Fprintf(&b, "%s %d\n", id, exp)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o600); err != nil {
		return nil, fmt.Errorf("write revoked sessions %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("write revoked sessions %s: %w", path, err)
	}
	if r.file, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600); err != nil {
		return nil, fmt.Errorf("open revoked sessions %s: %w", path, err)
	}
	return r, nil
}

// Revoke ends the session id, which would expire at exp (unix seconds).
func (r *Revoked) Revoke(id string, exp int64) error {
	if id == "" || strings.ContainsAny(id, " \n") {
		return fmt.Errorf("session ID %q cannot be revoked", id)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.ids) >= maxRevoked {
		now := time.Now().Unix()
		for k, e := range r.ids {
			if e < now {
				delete(r.ids, k)
			}
		}
	}
	r.ids[id] = exp
	if r.file == nil {
		return nil
	}
	if _, err := fmt.Fprintf(r.file, "%s %d\n", id, exp); err != nil {
		return fmt.Errorf("record revoked session in %s: %w", r.path, err)
	}
	if err := r.file.Sync(); err != nil {
		return fmt.Errorf("record revoked session in %s: %w", r.path, err)
	}
	return nil
}

// IsRevoked says whether session id logged out.
func (r *Revoked) IsRevoked(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.ids[id]
	return ok
}

// Close closes the file.
func (r *Revoked) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.file == nil {
		return nil
	}
	err := r.file.Close()
	r.file = nil
	return err
}
