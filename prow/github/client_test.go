package github

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prowbot/prow/test/testlog"
)

// fakeGitHub is an httptest server whose handler a test sets, recording
// requests.
type fakeGitHub struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
	bodies   []string
}

func newFake(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, n int)) *fakeGitHub {
	t.Helper()
	f := &fakeGitHub{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.requests = append(f.requests, r)
		f.bodies = append(f.bodies, string(body))
		n := len(f.requests)
		f.mu.Unlock()
		handler(w, r, n)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeGitHub) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

type sleeps struct {
	mu  sync.Mutex
	got []time.Duration
}

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	s.got = append(s.got, d)
	s.mu.Unlock()
	return nil
}

func tokenFile(t testing.TB, token string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(p, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

var fixedNow = time.Unix(1_800_000_000, 0)

func newTestClient(t *testing.T, url string, s *sleeps, mutate func(*ClientOptions)) *Client {
	t.Helper()
	o := ClientOptions{Endpoint: url, TokenPath: tokenFile(t, "secret-token"), Logger: testlog.Discard(), Sleep: s.sleep,
		Now: func() time.Time { return fixedNow }, MaxRetries: 3, Backoff: 10 * time.Millisecond}
	if mutate != nil {
		mutate(&o)
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRepeatedReadsRevalidateWithETags(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.Header.Get("Authorization") != "Bearer secret-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.Header().Set("X-RateLimit-Remaining", "4999")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `[{"name":"lgtm","color":"15dd18"}]`)
	})
	c := newTestClient(t, f.URL, &sleeps{}, nil)
	for i := 0; i < 3; i++ {
		labels, err := c.GetRepoLabels(context.Background(), "o", "r")
		if err != nil || len(labels) != 1 || labels[0].Name != "lgtm" {
			t.Fatalf("read %d: %v %v", i, labels, err)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if got := f.requests[1].Header.Get("If-None-Match"); got != `"v1"` {
		t.Errorf("second read sent If-None-Match %q", got)
	}
}

func TestCacheNeverCrossesIdentities(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.Header.Get("If-None-Match") != "" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"x"`)
		fmt.Fprint(w, r.Header.Get("Who"))
	})
	ct := newCacheTransport(http.DefaultTransport, func(r *http.Request) string { return r.Header.Get("Who") }, 1<<20, nil)
	get := func(who string) string {
		req, _ := http.NewRequest(http.MethodGet, f.URL+"/x", nil)
		req.Header.Set("Who", who)
		resp, err := ct.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if get("alice") != "alice" || get("bob") != "bob" || get("alice") != "alice" {
		t.Error("one identity saw another's cached data")
	}
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	ct := newCacheTransport(nil, nil, 4000, nil)
	for i := 0; i < 10; i++ {
		ct.put(&cacheEntry{key: fmt.Sprint(i), raw: make([]byte, 900)})
	}
	if ct.size > 4000 || ct.get("0") != nil || ct.get("9") == nil {
		t.Errorf("size %d; oldest kept %v; newest kept %v", ct.size, ct.get("0") != nil, ct.get("9") != nil)
	}
}

func TestRetriesServerErrorsAndDroppedConnections(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		switch n {
		case 1:
			w.WriteHeader(http.StatusBadGateway)
		case 2:
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		default:
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, `{"id":7,"body":"hi","user":{"login":"bot"}}`)
		}
	})
	s := &sleeps{}
	c := newTestClient(t, f.URL, s, nil)
	cm, err := c.CreateComment(context.Background(), "o", "r", 1, "hi")
	if err != nil || cm.ID != 7 {
		t.Fatalf("CreateComment = %+v, %v", cm, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) != 3 || f.bodies[2] != f.bodies[0] || !strings.Contains(f.bodies[2], `"hi"`) {
		t.Errorf("requests %d, bodies %q", len(f.requests), f.bodies)
	}
	if len(s.got) != 2 {
		t.Errorf("slept %v, want two backoffs", s.got)
	}
}

func TestGivesUpAfterMaxRetries(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusServiceUnavailable) })
	c := newTestClient(t, f.URL, &sleeps{}, nil)
	_, err := c.GetPullRequest(context.Background(), "o", "r", 1)
	if err == nil || !strings.Contains(err.Error(), "get o/r#1") || !strings.Contains(err.Error(), "503") {
		t.Errorf("err = %v", err)
	}
	if f.count() != 4 {
		t.Errorf("%d attempts, want 1 + 3 retries", f.count())
	}
}

func TestWaitsOutRateLimits(t *testing.T) {
	cases := []struct {
		name   string
		limit  func(w http.ResponseWriter)
		wantGE time.Duration
	}{
		{"primary: until the reset", func(w http.ResponseWriter) {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", fmt.Sprint(fixedNow.Add(30*time.Second).Unix()))
			w.WriteHeader(http.StatusForbidden)
		}, 30 * time.Second},
		{"secondary: Retry-After", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusForbidden)
		}, 7 * time.Second},
		{"secondary: by message", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit."}`)
		}, time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				if n == 1 {
					tc.limit(w)
					return
				}
				fmt.Fprint(w, `{"login":"the-bot"}`)
			})
			s := &sleeps{}
			c := newTestClient(t, f.URL, s, nil)
			if login, err := c.BotUser(context.Background()); err != nil || login != "the-bot" {
				t.Fatalf("BotUser = %q, %v", login, err)
			}
			if len(s.got) != 1 || s.got[0] < tc.wantGE || s.got[0] > tc.wantGE+2*time.Second {
				t.Errorf("waited %v, want about %v", s.got, tc.wantGE)
			}
		})
	}
}

func TestRateLimitWaitsBeyondTheMaximumFail(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newTestClient(t, f.URL, &sleeps{}, func(o *ClientOptions) { o.MaxWait = time.Minute })
	if _, err := c.BotUser(context.Background()); err == nil || !strings.Contains(err.Error(), "exceeds the limit") {
		t.Errorf("err = %v", err)
	}
}

func TestDryRunSendsReadsButNotWrites(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		fmt.Fprint(w, `{"number":3,"state":"open","user":{"login":"a"},"head":{"sha":"abc"}}`)
	})
	c := newTestClient(t, f.URL, &sleeps{}, func(o *ClientOptions) { o.DryRun = true })
	ctx := context.Background()
	if err := c.AddLabels(ctx, "o", "r", 3, "lgtm"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateComment(ctx, "o", "r", 3, "x"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteComment(ctx, "o", "r", 9); err != nil {
		t.Fatal(err)
	}
	if f.count() != 0 {
		t.Fatalf("dry run sent %d writes", f.count())
	}
	if pr, err := c.GetPullRequest(ctx, "o", "r", 3); err != nil || pr.HeadSHA != "abc" || f.count() != 1 {
		t.Errorf("reads must go through: %+v %v", pr, err)
	}
}

func TestClientMethods(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/issues/5/assignees"):
			fmt.Fprint(w, `{"number":5,"assignees":[{"login":"Alice"}]}`)
		case r.Method == http.MethodDelete && strings.Contains(r.URL.Path, "/labels/"):
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"Label does not exist"}`)
		case strings.HasSuffix(r.URL.Path, "/issues/5/comments") && r.URL.Query().Get("page") == "":
			w.Header().Set("Link", fmt.Sprintf(`<%s%s?page=2>; rel="next"`, "http://"+r.Host, r.URL.Path))
			fmt.Fprint(w, `[{"id":1,"body":"a"}]`)
		case strings.HasSuffix(r.URL.Path, "/issues/5/comments"):
			fmt.Fprint(w, `[{"id":2,"body":"b"}]`)
		case strings.HasSuffix(r.URL.Path, "/collaborators/bob/permission"):
			w.WriteHeader(http.StatusNotFound)
		default:
			w.WriteHeader(http.StatusTeapot)
		}
	})
	c := newTestClient(t, f.URL, &sleeps{}, nil)
	ctx := context.Background()
	refused, err := c.AssignIssue(ctx, "o", "r", 5, []string{"alice", "mallory"})
	if err != nil || len(refused) != 1 || refused[0] != "mallory" {
		t.Errorf("AssignIssue refused %v, %v", refused, err)
	}
	if err := c.RemoveLabel(ctx, "o", "r", 5, "gone"); err != nil {
		t.Errorf("removing a missing label: %v", err)
	}
	comments, err := c.ListIssueComments(ctx, "o", "r", 5)
	if err != nil || len(comments) != 2 || comments[1].Body != "b" {
		t.Errorf("paged comments %+v, %v", comments, err)
	}
	if p, err := c.Permission(ctx, "o", "r", "bob"); err != nil || p != "none" {
		t.Errorf("Permission = %q, %v", p, err)
	}
	if _, err := c.GetFile(ctx, "o", "r", "OWNERS", "main"); err == nil || !strings.Contains(err.Error(), "get OWNERS of o/r@main") {
		t.Errorf("errors name the object: %v", err)
	}
}

func TestGitHubAppUsesAnInstallationTokenPerOrg(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(t.TempDir(), "app.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(keyPath, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seenAuth := map[string]string{}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		auth := r.Header.Get("Authorization")
		switch {
		case r.URL.Path == "/api/v3/orgs/acme/installation":
			if !strings.HasPrefix(auth, "Bearer ") {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			fmt.Fprint(w, `{"id":42}`)
		case r.URL.Path == "/api/v3/app/installations/42/access_tokens":
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(map[string]any{"token": "inst-42", "expires_at": time.Now().Add(time.Hour)})
		case strings.HasPrefix(r.URL.Path, "/api/v3/repos/acme/"):
			mu.Lock()
			seenAuth[r.URL.Path] = auth
			mu.Unlock()
			fmt.Fprint(w, `[]`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
	c, err := NewClient(ClientOptions{Endpoint: f.URL + "/api/v3", AppID: 1, AppPrivateKeyPath: keyPath, Logger: testlog.Discard(), Sleep: (&sleeps{}).sleep})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetRepoLabels(context.Background(), "acme", "widgets"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := seenAuth["/api/v3/repos/acme/widgets/labels"]; got != "token inst-42" {
		t.Errorf("repo call authenticated with %q, want the installation token", got)
	}
	if _, err := c.BotUser(context.Background()); err == nil || !strings.Contains(err.Error(), "as a GitHub App") {
		t.Errorf("a call about no org should explain itself: %v", err)
	}
}

func TestClientOptionsValidate(t *testing.T) {
	tok := tokenFile(t, "x")
	cases := []struct {
		name string
		o    ClientOptions
		want string
	}{
		{"no credentials", ClientOptions{Endpoint: DefaultEndpoint}, "GitHub credentials are required"},
		{"both kinds", ClientOptions{Endpoint: DefaultEndpoint, TokenPath: tok, AppID: 1}, "not both"},
		{"app id alone", ClientOptions{Endpoint: DefaultEndpoint, AppID: 1}, "go together"},
		{"a bad endpoint", ClientOptions{Endpoint: "ftp://x", TokenPath: tok}, "is not an http(s) URL"},
		{"a missing token file", ClientOptions{Endpoint: DefaultEndpoint, TokenPath: "/nonexistent/token"}, "no such file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.o.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestRouteTemplates(t *testing.T) {
	cases := map[string]string{
		"/repos/o/r/issues/12/labels/lgtm": "/repos/:owner/:repo/issues/:id/labels/:name",
		"/orgs/kubernetes/members/alice":   "/orgs/:name/members/:name",
		"/user":                            "/user",
	}
	for in, want := range cases {
		if got := route(in); got != want {
			t.Errorf("route(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGitCredentialsAreTheCurrentToken(t *testing.T) {
	c, err := NewClient(ClientOptions{Endpoint: "http://127.0.0.1:1", TokenPath: tokenFile(t, "secret-token\n"), Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	user, pass, err := c.GitCredentials(context.Background(), "demo")
	if err != nil || user != "x-access-token" || pass != "secret-token" {
		t.Errorf("GitCredentials = %q, %q, %v", user, pass, err)
	}
}
