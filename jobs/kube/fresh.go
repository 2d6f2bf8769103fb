package kube

import (
	"context"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/util/resourceversion"
)

// catchUpLimit bounds how long a read waits for the cache to catch up
// with this store's writes. It only runs out when the cache cannot see
// a write at all (the job was deleted by someone else before the cache
// saw it, or the watch is down); the read then serves the cache as is.
const catchUpLimit = 10 * time.Second

// write is the last write of this store to one job that the cache has
// not seen yet.
type write struct {
	version string
	deleted bool
}

// freshness tracks what this store wrote against what its cache has
// seen, so the store reads its own writes: Get asks the API server for
// a job whose cached copy is older than the store's last write of it,
// and List and Watch wait until the cache has seen every write.
//
// The cache's event handler calls observe after the cache holds the
// change; the store calls wrote after the API server accepted one. Both
// hold mu, so a write the cache already saw is never left pending.
type freshness struct {
	mu sync.Mutex
	// pending holds the unseen writes by job name.
	pending map[string]write
	// seen is the highest resource version the cache has reported;
	// want the highest one this store has written.
	seen, want string
	// advanced is closed, and replaced, whenever seen moves.
	advanced chan struct{}
}

func newFreshness() *freshness {
	return &freshness{pending: map[string]write{}, advanced: make(chan struct{})}
}

// newer is true when version a is after b ("" is before every
// version). Versions that are not numbers cannot be compared and count
// as not newer.
func newer(a, b string) bool {
	if b == "" {
		return a != ""
	}
	c, err := resourceversion.CompareResourceVersion(a, b)
	return err == nil && c > 0
}

// atLeast is true when version a is b or after it ("" is before every
// version). Other versions that cannot be compared count as caught up,
// so a read never waits on them.
func atLeast(a, b string) bool {
	switch {
	case b == "":
		return true
	case a == "":
		return false
	}
	c, err := resourceversion.CompareResourceVersion(a, b)
	return err != nil || c >= 0
}

// wrote records a write the API server accepted. cached is the version
// of the job in the cache now ("" when the cache lacks it).
func (f *freshness) wrote(name string, w write, cached func() (string, bool)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !w.deleted && newer(w.version, f.want) {
		f.want = w.version
	}
	v, ok := cached()
	if (w.deleted && !ok) || (!w.deleted && ok && atLeast(v, w.version)) {
		delete(f.pending, name)
		return
	}
	f.pending[name] = w
}

// observe records that the cache holds the job at version, or no longer
// holds it when deleted (version is then the deletion's, or "" when
// unknown).
func (f *freshness) observe(name, version string, deleted bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if w, ok := f.pending[name]; ok && (deleted || (!w.deleted && atLeast(version, w.version))) {
		delete(f.pending, name)
	}
	if newer(version, f.seen) {
		f.seen = version
		close(f.advanced)
		f.advanced = make(chan struct{})
	}
}

// stale says whether the cache's copy of the job (version, or absent)
// is older than this store's last write of it.
func (f *freshness) stale(name, version string, cached bool) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	w, ok := f.pending[name]
	switch {
	case !ok:
		return false
	case w.deleted:
		return cached
	default:
		return !cached || !atLeast(version, w.version)
	}
}

// deletedHere returns the jobs this store deleted that the cache has not
// seen go yet (nil when there are none).
func (f *freshness) deletedHere() map[string]bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out map[string]bool
	for name, w := range f.pending {
		if w.deleted {
			if out == nil {
				out = map[string]bool{}
			}
			out[name] = true
		}
	}
	return out
}

// catchUp waits until the cache has seen every write of this store, for
// at most catchUpLimit. It fails only when ctx ends.
func (f *freshness) catchUp(ctx context.Context) error {
	limit := time.NewTimer(catchUpLimit)
	defer limit.Stop()
	for {
		f.mu.Lock()
		done, advanced := f.want == "" || atLeast(f.seen, f.want), f.advanced
		f.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-advanced:
		case <-limit.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
