package sandbox_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/github/sandbox"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestEveryAnswerCarriesRateLimitHeaders(t *testing.T) {
	e := start(t)
	cases := []struct {
		name, token, method, path string
		wantStatus                int
		wantResource, wantLimit   string
	}{
		{"a read", "bob-token", http.MethodGet, "/repos/demo/hello", http.StatusOK, "core", "5000"},
		{"a write", "bob-token", http.MethodPost, "/repos/demo/hello/issues/3/comments", http.StatusCreated, "core", "5000"},
		{"a search", "bob-token", http.MethodGet, "/search/issues?q=repo:demo/hello", http.StatusOK, "search", "300"},
		{"a missing issue", "bob-token", http.MethodGet, "/repos/demo/hello/issues/404", http.StatusNotFound, "core", "5000"},
		{"a bad token", "nope", http.MethodGet, "/user", http.StatusUnauthorized, "core", "60"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.method == http.MethodPost {
				body = map[string]string{"body": "hi"}
			}
			checkRateHeaders(t, e.do(tc.token, tc.method, tc.path, body), tc.wantStatus, tc.wantResource, tc.wantLimit)
		})
	}
	t.Run("an unknown route", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, e.url+"/api/v3/repos/demo/hello/nothing-here", nil)
		req.Header.Set("Authorization", "Bearer bob-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		checkRateHeaders(t, answer{code: resp.StatusCode, header: resp.Header, body: data}, http.StatusNotFound, "core", "5000")
	})
}

func checkRateHeaders(t *testing.T, a answer, status int, resource, limit string) {
	t.Helper()
	h := a.header
	if a.code != status || h.Get("X-RateLimit-Resource") != resource || h.Get("X-RateLimit-Limit") != limit ||
		h.Get("X-RateLimit-Remaining") == "" || h.Get("X-RateLimit-Reset") == "" || h.Get("X-RateLimit-Used") == "" {
		t.Errorf("%d %s with headers %v; want %d and %s rate-limit headers with limit %s", a.code, a.body, h, status, resource, limit)
	}
}

func TestConditionalRequests(t *testing.T) {
	e := start(t)
	first := e.do("bob-token", http.MethodGet, "/repos/demo/hello/labels", nil)
	etag := first.header.Get("ETag")
	if etag == "" || first.header.Get("X-RateLimit-Remaining") != "4999" {
		t.Fatalf("first read: ETag %q, remaining %s", etag, first.header.Get("X-RateLimit-Remaining"))
	}
	cases := []struct {
		name, ifNoneMatch string
		want              int
		wantRemaining     string
	}{
		{"the current ETag gets a 304 that costs nothing", etag, http.StatusNotModified, "4999"},
		{"so does its weak form", "W/" + etag, http.StatusNotModified, "4999"},
		{"so does a list holding it", `"other", ` + etag, http.StatusNotModified, "4999"},
		{"another ETag gets the answer, which costs one request", `"stale"`, http.StatusOK, "4998"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := e.do("bob-token", http.MethodGet, "/repos/demo/hello/labels", nil, "If-None-Match", tc.ifNoneMatch)
			if a.code != tc.want || a.header.Get("X-RateLimit-Remaining") != tc.wantRemaining || a.header.Get("ETag") != etag {
				t.Errorf("%d (%d bytes), remaining %s, ETag %s; want %d, remaining %s, ETag %s", a.code, len(a.body),
					a.header.Get("X-RateLimit-Remaining"), a.header.Get("ETag"), tc.want, tc.wantRemaining, etag)
			}
		})
	}
	t.Run("a change makes a new ETag", func(t *testing.T) {
		must[*gh.Label](t)(e.client("alice-token").Issues.CreateLabel(context.Background(), "demo", "hello", &gh.Label{Name: gh.String("new")}))
		a := e.do("bob-token", http.MethodGet, "/repos/demo/hello/labels", nil, "If-None-Match", etag)
		if a.code != http.StatusOK || a.header.Get("ETag") == etag {
			t.Errorf("%d with ETag %s after a change", a.code, a.header.Get("ETag"))
		}
	})
}

// ceilUnix is t in Unix seconds, rounded up as reset times are.
func ceilUnix(t time.Time) int64 {
	if t.Truncate(time.Second).Equal(t) {
		return t.Unix()
	}
	return t.Unix() + 1
}

func TestAnExhaustedBudgetIsGitHubsPrimaryRateLimit(t *testing.T) {
	c := &clock{now: time.Date(2030, 1, 1, 12, 0, 0, 500_000_000, time.UTC)}
	e := start(t, func(o *sandbox.Options) { o.Now, o.RateLimit = c.Now, 3 })
	get := func() answer { return e.do("bob-token", http.MethodGet, "/user", nil) }
	for k := 0; k < 3; k++ {
		if a := get(); a.code != http.StatusOK {
			t.Fatalf("request %d of 3 allowed: %d", k+1, a.code)
		}
	}
	exhausted := func(t *testing.T, wantReset int64) {
		t.Helper()
		a := get()
		if a.code != http.StatusForbidden || a.header.Get("X-RateLimit-Remaining") != "0" ||
			a.header.Get("X-RateLimit-Reset") != strconv.FormatInt(wantReset, 10) || !strings.Contains(string(a.body), "API rate limit exceeded") {
			t.Errorf("%d %s with remaining %s and reset %s; want 403, remaining 0, reset %d", a.code, a.body,
				a.header.Get("X-RateLimit-Remaining"), a.header.Get("X-RateLimit-Reset"), wantReset)
		}
		var limited *gh.RateLimitError
		if _, _, err := e.client("bob-token").Users.Get(context.Background(), ""); !errors.As(err, &limited) {
			t.Errorf("go-github took it for %T %v, not its RateLimitError", err, err)
		}
	}
	t.Run("the fourth of 3 allowed requests is refused until the window ends", func(t *testing.T) {
		exhausted(t, ceilUnix(c.Now().Add(time.Hour)))
	})
	t.Run("/rate_limit costs nothing and shows the spent budget", func(t *testing.T) {
		rates := must[*gh.RateLimits](t)(e.client("bob-token").RateLimit.Get(context.Background()))
		if rates.GetCore().Remaining != 0 || rates.GetCore().Limit != 3 {
			t.Errorf("/rate_limit says %+v", rates.GetCore())
		}
	})
	t.Run("the budget is full again after the reset", func(t *testing.T) {
		c.advance(time.Hour + time.Second)
		if a := get(); a.code != http.StatusOK || a.header.Get("X-RateLimit-Remaining") != "2" {
			t.Errorf("%d with remaining %s", a.code, a.header.Get("X-RateLimit-Remaining"))
		}
	})
	t.Run("SetRateLimit empties it until a second later", func(t *testing.T) {
		e.srv.SetRateLimit(0, time.Second)
		exhausted(t, ceilUnix(c.Now().Add(time.Second)))
		c.advance(1500 * time.Millisecond)
		if a := get(); a.code != http.StatusOK {
			t.Errorf("once the reset passed: %d", a.code)
		}
	})
	t.Run("so does POST /_sandbox/ratelimit", func(t *testing.T) {
		if code, body := e.admin(http.MethodPost, "/ratelimit", map[string]any{"remaining": 0, "reset_in_seconds": 1}); code != http.StatusNoContent {
			t.Fatalf("POST /_sandbox/ratelimit: %d %s", code, body)
		}
		exhausted(t, ceilUnix(c.Now().Add(time.Second)))
	})
}
