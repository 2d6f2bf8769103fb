package hook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/tidwall/gjson"
	"sigs.k8s.io/yaml"

	"github.com/prowbot/prow/prow/orgrepo"
)

// globalKey is the secret-file key that applies to every org and repo.
const globalKey = orgrepo.Global

// token is one HMAC secret with its creation time (for rotation).
type token struct {
	Value     string    `json:"value"`
	CreatedAt time.Time `json:"created_at"`
}

// Secrets maps "org/repo", "org" or "*" to the tokens accepted there.
type Secrets map[string][]token

// ParseSecrets reads a secret file: either one raw token (the legacy form,
// valid for every repository) or YAML mapping "org/repo", "org" or "*" to a
// list of {value, created_at}.
func ParseSecrets(data []byte) (Secrets, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("the HMAC secret file is empty")
	}
	var m Secrets
	if err := yaml.UnmarshalStrict(trimmed, &m); err == nil && len(m) > 0 {
		for key, tokens := range m {
			if len(tokens) == 0 {
				return nil, fmt.Errorf("HMAC secret key %q has no tokens", key)
			}
			for i, t := range tokens {
				if t.Value == "" {
					return nil, fmt.Errorf("HMAC secret key %q: token %d has no value", key, i)
				}
			}
		}
		return m, nil
	}
	if bytes.ContainsAny(trimmed, "\n{") || bytes.Contains(trimmed, []byte(": ")) {
		return nil, errors.New("the HMAC secret file looks like YAML but does not map keys to lists of {value, created_at}")
	}
	return Secrets{globalKey: {{Value: string(trimmed)}}}, nil
}

// tokensFor returns the tokens of the most specific level present for a
// repository ("org/repo") or, for org-level events, an org: the repo's own
// entry, else its org's, else "*". Only that level is tried.
func (s Secrets) tokensFor(repo, org string) []token {
	name := ""
	if repo != "" {
		org, name, _ = strings.Cut(repo, "/")
	}
	return orgrepo.Value(s, org, name)
}

// owner is payloadOwner, except that with one secret for every
// repository the owner cannot change the answer: then the payload is only
// checked to be JSON, sparing a second pass over a large body.
// Validation accepts exactly what encoding/json accepts (json.go).
func (s Secrets) owner(body []byte) (repo, org string, err error) {
	if _, ok := s[globalKey]; ok && len(s) == 1 {
		if !jsonValid(body) {
			return "", "", errInvalidPayload
		}
		return "", "", nil
	}
	return payloadOwner(body)
}

// errInvalidPayload: the body is not JSON.
var errInvalidPayload = errors.New("invalid payload")

// payloadOwner reads the repository ("org/repo") and organization of any
// webhook payload, after checking the payload is valid JSON.
func payloadOwner(body []byte) (repo, org string, err error) {
	if !jsonValid(body) {
		return "", "", errInvalidPayload
	}
	repo, org = ownerFields(body)
	return repo, org, nil
}

// ownerFields reads repository.full_name, or else organization.login, of
// a payload known to be JSON.
func ownerFields(body []byte) (repo, org string) {
	if repo := gjson.GetBytes(body, "repository.full_name").String(); repo != "" {
		return repo, ""
	}
	return "", gjson.GetBytes(body, "organization.login").String()
}

// errNoSecret means no token is configured for the payload's owner.
type errNoSecret struct{ owner string }

func (e errNoSecret) Error() string {
	return "misconfigured webhook secret from organization/repo: " + e.owner
}

// Validate checks the X-Hub-Signature-256 value against the body with the
// tokens configured for the payload's repository or org.
func (s Secrets) Validate(signature string, body []byte) error {
	repo, org, err := s.owner(body)
	if err != nil {
		return err
	}
	tokens := s.tokensFor(repo, org)
	if len(tokens) == 0 {
		name := repo
		if name == "" {
			name = org
		}
		return errNoSecret{owner: name}
	}
	hexSig, ok := strings.CutPrefix(signature, "sha256=")
	if !ok {
		return errors.New("signature must start with sha256=")
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return errors.New("signature is not hex")
	}
	for _, t := range tokens {
		mac := hmac.New(sha256.New, []byte(t.Value))
		mac.Write(body)
		if hmac.Equal(got, mac.Sum(nil)) {
			return nil
		}
	}
	return errors.New("signature does not match")
}

// Sign returns the X-Hub-Signature-256 value for body under secret.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// SecretFile serves the secrets of a file, reading it again when it
// changes (checked at most once a second) so tokens can be rotated without
// a restart. A file that becomes invalid leaves the last good secrets.
type SecretFile struct {
	path string
	now  func() time.Time

	mu      sync.Mutex
	secrets Secrets
	modTime time.Time
	size    int64
	checked time.Time
}

// LoadSecretFile reads path; it fails when the file is missing or invalid.
func LoadSecretFile(path string) (*SecretFile, error) {
	f := &SecretFile{path: path, now: time.Now}
	if err := f.reload(); err != nil {
		return nil, err
	}
	return f, nil
}

// Secrets returns the current secrets.
func (f *SecretFile) Secrets() Secrets {
	f.mu.Lock()
	defer f.mu.Unlock()
	if now := f.now(); now.Sub(f.checked) >= time.Second {
		f.checked = now
		if info, err := os.Stat(f.path); err == nil && (!info.ModTime().Equal(f.modTime) || info.Size() != f.size) {
			_ = f.reloadLocked() // a bad edit keeps the last good secrets
		}
	}
	return f.secrets
}

func (f *SecretFile) reload() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reloadLocked()
}

func (f *SecretFile) reloadLocked() error {
	info, err := os.Stat(f.path)
	if err != nil {
		return fmt.Errorf("read HMAC secret file: %w", err)
	}
	data, err := os.ReadFile(f.path)
	if err != nil {
		return fmt.Errorf("read HMAC secret file: %w", err)
	}
	s, err := ParseSecrets(data)
	if err != nil {
		return fmt.Errorf("HMAC secret file %s: %w", f.path, err)
	}
	f.secrets, f.modTime, f.size, f.checked = s, info.ModTime(), info.Size(), f.now()
	return nil
}

// SigningToken picks the token a sender should sign body with: the newest
// token of the most specific level configured for the payload's owner.
func (s Secrets) SigningToken(body []byte) ([]byte, error) {
	full, org, err := payloadOwner(body)
	if err != nil {
		return nil, err
	}
	tokens := s.tokensFor(full, org)
	if len(tokens) == 0 {
		owner := full
		if owner == "" {
			owner = org
		}
		return nil, errNoSecret{owner: owner}
	}
	newest := tokens[0]
	for _, t := range tokens[1:] {
		if t.CreatedAt.After(newest.CreatedAt) {
			newest = t
		}
	}
	return []byte(newest.Value), nil
}
