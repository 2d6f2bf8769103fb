package ghproxy

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTheDiskCacheOutlivesTheProxy: a proxy restarted on the same cache
// directory revalidates what the last one fetched, for free.
func TestTheDiskCacheOutlivesTheProxy(t *testing.T) {
	dir := t.TempDir()
	w := newWorld(t, Options{CacheDir: dir})
	reads(t, w.client(w.proxy))
	w.startProxy(Options{CacheDir: dir})
	before := w.used()
	reads(t, w.client(w.proxy))
	if spent := w.used() - before; spent != 0 {
		t.Errorf("the same reads through a restarted proxy cost %d, want nothing", spent)
	}
	if got := w.upstreamCount("GET /api/v3/repos/demo/hello/pulls/1 304"); got != 1 {
		t.Errorf("%d revalidations of the pull request after the restart, want 1", got)
	}
}

func TestTheCacheKeepsToItsSize(t *testing.T) {
	for _, dir := range []string{"", "disk"} {
		name := "memory"
		if dir != "" {
			name, dir = "disk", t.TempDir()
		}
		t.Run(name, func(t *testing.T) {
			c, err := newCache(dir, 100)
			if err != nil {
				t.Fatal(err)
			}
			entry := func(b byte) []byte { return []byte(strings.Repeat(string(b), 40)) }
			for _, k := range []string{"aa1", "bb2", "cc3"} {
				if err := c.put(k, entry(k[0])); err != nil {
					t.Fatal(err)
				}
				if k == "bb2" {
					c.get("aa1") // aa1 is now used more recently than bb2
				}
			}
			if size, n := c.stats(); size != 80 || n != 2 {
				t.Errorf("%d bytes in %d entries, want 80 in 2", size, n)
			}
			if c.get("bb2") != nil {
				t.Error("the least recently used entry is still there")
			}
			if string(c.get("aa1")) != string(entry('a')) || string(c.get("cc3")) != string(entry('c')) {
				t.Error("a recently used entry is gone")
			}
			if err := c.put("dd4", make([]byte, 101)); err != nil || c.get("dd4") != nil {
				t.Errorf("an entry larger than the cache was kept (%v)", err)
			}
			if dir == "" {
				return
			}
			if _, err := os.Stat(c.path("bb2")); !os.IsNotExist(err) {
				t.Errorf("the evicted entry's file is still there: %v", err)
			}
			// A crash mid-write leaves a .tmp file; a restart indexes the
			// rest and removes it.
			if err := os.WriteFile(c.path("cc3")+".tmp", []byte("half"), 0o600); err != nil {
				t.Fatal(err)
			}
			again, err := newCache(dir, 100)
			if err != nil {
				t.Fatal(err)
			}
			if size, n := again.stats(); size != 80 || n != 2 {
				t.Errorf("after a restart: %d bytes in %d entries, want 80 in 2", size, n)
			}
			if _, err := os.Stat(filepath.Join(dir, "cc", "cc3.tmp")); !os.IsNotExist(err) {
				t.Errorf("the half-written file is still there: %v", err)
			}
		})
	}
}

// TestPagesLinkBackToTheProxy: GitHub's Link headers name the proxy, so a
// client following them stays behind it.
func TestPagesLinkBackToTheProxy(t *testing.T) {
	w := newWorld(t, Options{})
	c := w.client(w.proxy)
	ctx := context.Background()
	for i := range 3 {
		if _, err := c.CreateComment(ctx, "demo", "hello", 1, strings.Repeat("x", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, w.proxy+"/api/v3/repos/demo/hello/issues/1/comments?per_page=1", nil)
	req.Header.Set("Authorization", "token "+botToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	link := resp.Header.Get("Link")
	if !strings.Contains(link, w.proxy+"/api/v3/repos/demo/hello/issues/1/comments") || strings.Contains(link, w.sandbox) {
		t.Errorf("Link %q: want the proxy's URLs, not GitHub's", link)
	}
}

// TestGraphQLGoesThrough: tide's search works through the proxy.
func TestGraphQLGoesThrough(t *testing.T) {
	w := newWorld(t, Options{})
	prs, err := w.client(w.proxy).SearchPullRequests(context.Background(), "repo:demo/hello is:open")
	if err != nil || len(prs) != 1 {
		t.Fatalf("search through the proxy: %d pull requests, %v; want 1", len(prs), err)
	}
	if got := w.upstreamCount("POST /api/graphql 200"); got != 1 {
		t.Errorf("%d GraphQL requests upstream, want 1", got)
	}
}

func TestAnUnreachableGitHubIsABadGateway(t *testing.T) {
	p, err := New(Options{Upstream: "http://127.0.0.1:1", RequestTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			rec := httptest.NewRecorder()
			p.ServeHTTP(rec, httptest.NewRequest(method, "/repos/demo/hello", nil))
			if rec.Code != http.StatusBadGateway || !strings.Contains(rec.Body.String(), "GitHub could not be reached") {
				t.Errorf("got %d %q, want 502 saying GitHub could not be reached", rec.Code, rec.Body.String())
			}
		})
	}
}

func TestATokensRequestsAreSpaced(t *testing.T) {
	th := newThrottle(map[string]time.Duration{kindWrite: time.Hour}, 50*time.Millisecond, 0)
	ctx := context.Background()
	first, done, err := th.acquire(ctx, "a", kindWrite)
	done()
	if err != nil || first >= 50*time.Millisecond {
		t.Fatalf("the first write waited %s (%v)", first, err)
	}
	second, done, _ := th.acquire(ctx, "a", kindWrite)
	done()
	if second < 50*time.Millisecond {
		t.Errorf("the second write of the token waited %s, want its turn (capped at 50ms)", second)
	}
	// Another token, and reads, are not held back by a's writes.
	for _, c := range []struct{ token, kind string }{{"b", kindWrite}, {"a", kindRead}} {
		t.Run(c.token+" "+c.kind, func(t *testing.T) {
			waited, done, _ := th.acquire(ctx, c.token, c.kind)
			done()
			if waited >= 50*time.Millisecond {
				t.Errorf("%s %s waited %s behind another token's writes", c.token, c.kind, waited)
			}
		})
	}
}
