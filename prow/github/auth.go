package github

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
)

// tokenTransport authenticates with a personal access token read from a
// file, read again when the file changes so the token can be rotated.
type tokenTransport struct {
	next http.RoundTripper
	path string
	now  func() time.Time

	mu      sync.Mutex
	token   string
	modTime time.Time
	checked time.Time
}

func newTokenTransport(next http.RoundTripper, path string, now func() time.Time) (*tokenTransport, error) {
	t := &tokenTransport{next: next, path: path, now: now}
	if _, err := t.current(); err != nil {
		return nil, err
	}
	return t, nil
}

// current returns the token, re-reading the file at most every 5 seconds.
func (t *tokenTransport) current() (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if t.token != "" && now.Sub(t.checked) < 5*time.Second {
		return t.token, nil
	}
	t.checked = now
	info, err := os.Stat(t.path)
	if err != nil {
		if t.token != "" {
			return t.token, nil // keep the last token while the file is being swapped
		}
		return "", fmt.Errorf("read GitHub token: %w", err)
	}
	if t.token != "" && info.ModTime().Equal(t.modTime) {
		return t.token, nil
	}
	data, err := os.ReadFile(t.path)
	if err != nil {
		return "", fmt.Errorf("read GitHub token: %w", err)
	}
	token := strings.TrimSpace(string(data))
	if token == "" {
		return "", fmt.Errorf("GitHub token file %s is empty", t.path)
	}
	t.token, t.modTime = token, info.ModTime()
	return token, nil
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	token, err := t.current()
	if err != nil {
		return nil, err
	}
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+token)
	return t.next.RoundTrip(req)
}

// identity names the token for the response cache without revealing it.
func (t *tokenTransport) identity(*http.Request) string {
	token, _ := t.current()
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:8])
}

// appTransport authenticates as a GitHub App: requests about an org use
// that org's installation token; requests under /app use the app's JWT.
type appTransport struct {
	next     http.RoundTripper
	endpoint string
	appID    int64
	key      []byte
	apps     *ghinstallation.AppsTransport

	mu    sync.Mutex
	byOrg map[string]*ghinstallation.Transport
}

func newAppTransport(next http.RoundTripper, endpoint string, appID int64, keyPath string) (*appTransport, error) {
	key, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("read GitHub App private key: %w", err)
	}
	apps, err := ghinstallation.NewAppsTransport(next, appID, key)
	if err != nil {
		return nil, fmt.Errorf("GitHub App private key %s: %w", keyPath, err)
	}
	apps.BaseURL = endpoint
	return &appTransport{next: next, endpoint: endpoint, appID: appID, key: key, apps: apps, byOrg: map[string]*ghinstallation.Transport{}}, nil
}

// orgOf finds the org or user a request is about.
func orgOf(path string) string {
	parts := strings.Split(strings.TrimPrefix(path, "/api/v3"), "/")
	if len(parts) > 2 && (parts[1] == "repos" || parts[1] == "orgs" || parts[1] == "users") {
		return parts[2]
	}
	return ""
}

// orgKey carries, in a request's context, the org a request whose path
// names none is about (GraphQL's): its installation answers it.
type orgKey struct{}

// withOrg says that the requests made with ctx are about org.
func withOrg(ctx context.Context, org string) context.Context {
	return context.WithValue(ctx, orgKey{}, org)
}

// requestOrg is the org a request is about: its path's, else its context's.
func requestOrg(req *http.Request) string {
	if org := orgOf(req.URL.Path); org != "" {
		return org
	}
	org, _ := req.Context().Value(orgKey{}).(string)
	return org
}

func (t *appTransport) identity(req *http.Request) string { return "app:" + requestOrg(req) }

func (t *appTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasPrefix(strings.TrimPrefix(req.URL.Path, "/api/v3"), "/app") {
		return t.apps.RoundTrip(req)
	}
	org := requestOrg(req)
	if org == "" {
		return nil, fmt.Errorf("%s %s: as a GitHub App the bot can only call APIs of an org or repository", req.Method, req.URL.Path)
	}
	it, err := t.installation(req.Context(), org)
	if err != nil {
		return nil, err
	}
	return it.RoundTrip(req)
}

// installation returns the installation transport of org, looking its
// installation up once.
func (t *appTransport) installation(ctx context.Context, org string) (*ghinstallation.Transport, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if it, ok := t.byOrg[org]; ok {
		return it, nil
	}
	var id int64
	var lastErr error
	for _, kind := range []string{"orgs", "users"} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.endpoint+"/"+kind+"/"+org+"/installation", nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/vnd.github+json")
		resp, err := t.apps.RoundTrip(req)
		if err != nil {
			lastErr = err
			continue
		}
		var body struct {
			ID int64 `json:"id"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && err == nil && body.ID != 0 {
			id = body.ID
			break
		}
		lastErr = fmt.Errorf("GitHub answered %s", resp.Status)
	}
	if id == 0 {
		return nil, fmt.Errorf("find the GitHub App installation of %s: %w", org, errors.Join(lastErr, errors.New("is the app installed there?")))
	}
	it, err := ghinstallation.New(t.next, t.appID, id, t.key)
	if err != nil {
		return nil, fmt.Errorf("GitHub App installation %d of %s: %w", id, org, err)
	}
	it.BaseURL = t.endpoint
	t.byOrg[org] = it
	return it, nil
}
