package ghproxy

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/ghclient"
	"github.com/prowbot/prow/test/seed"
	"github.com/prowbot/prow/test/statusrec"
	"github.com/prowbot/prow/test/testlog"
	"github.com/prowbot/prow/test/wait"
)

const botToken = "bot-token"

// world is the sandbox with a proxy in front of it.
type world struct {
	t       *testing.T
	sandbox string // the sandbox's URL
	proxy   string // the proxy's URL
	p       *Proxy
	reg     *prometheus.Registry

	mu       sync.Mutex
	upstream []string // "METHOD path status" of each request the sandbox answered
}

func newWorld(t *testing.T, o Options) *world {
	t.Helper()
	w := &world{t: t, reg: prometheus.NewRegistry()}
	seeded := seed.New().User("the-bot", botToken).User("author", "author-token").
		Collaborators("write", "the-bot").Labels("lgtm", "approved").
		Pull("author", "Change", sandbox.FileChanges{"a.txt": "a\n"}).Seed()
	srv, err := sandbox.New(sandbox.Options{Seed: seeded, GitDir: t.TempDir(), Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rec := statusrec.New(rw)
		method, path := r.Method, r.URL.Path
		srv.Handler().ServeHTTP(rec, r)
		w.mu.Lock()
		w.upstream = append(w.upstream, fmt.Sprintf("%s %s %d", method, path, rec.Code))
		w.mu.Unlock()
	}))
	t.Cleanup(func() { ts.Close(); srv.Close() })
	w.sandbox = ts.URL
	w.startProxy(o)
	return w
}

// startProxy (re)starts the proxy in front of the sandbox.
func (w *world) startProxy(o Options) {
	o.Upstream, o.Logger = w.sandbox, testlog.Discard()
	if o.Registerer == nil {
		w.reg = prometheus.NewRegistry()
		o.Registerer = w.reg
	}
	p, err := New(o)
	if err != nil {
		w.t.Fatal(err)
	}
	ps := httptest.NewServer(p)
	w.t.Cleanup(ps.Close)
	w.p, w.proxy = p, ps.URL
}

// client is a component's GitHub client: through the proxy, with its own
// in-process cache as every component has.
func (w *world) client(endpoint string) *github.Client {
	w.t.Helper()
	return ghclient.New(w.t, endpoint, botToken)
}

// used is the bot's core budget spent so far, as the sandbox counts it.
func (w *world) used() int {
	w.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.sandbox+"/rate_limit", nil)
	req.Header.Set("Authorization", "token "+botToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Resources map[string]struct{ Used int } `json:"resources"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		w.t.Fatal(err)
	}
	return body.Resources["core"].Used
}

func (w *world) upstreamCount(prefix string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, u := range w.upstream {
		if strings.HasPrefix(u, prefix) {
			n++
		}
	}
	return n
}

// reads is what a component reads of the one pull request.
func reads(t *testing.T, c *github.Client) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.GetPullRequest(ctx, "demo", "hello", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListIssueComments(ctx, "demo", "hello", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPullRequestChanges(ctx, "demo", "hello", 1); err != nil {
		t.Fatal(err)
	}
}

// TestThreeComponentsSpendTheBudgetOfOne: the same reads by one component
// and by three, each behind its own fresh proxy, cost the same; read
// again, they cost nothing (GitHub's 304s are free).
func TestThreeComponentsSpendTheBudgetOfOne(t *testing.T) {
	cost := func(components int) (first, again int) {
		w := newWorld(t, Options{})
		clients := make([]*github.Client, components)
		for i := range clients {
			clients[i] = w.client(w.proxy)
		}
		before := w.used()
		for _, c := range clients {
			reads(t, c)
		}
		mid := w.used()
		for _, c := range clients {
			reads(t, c)
		}
		return mid - before, w.used() - mid
	}
	oneFirst, oneAgain := cost(1)
	threeFirst, threeAgain := cost(3)
	if oneFirst == 0 {
		t.Fatal("the reads cost nothing the first time: the sandbox did not count them")
	}
	if threeFirst != oneFirst {
		t.Errorf("three components behind one proxy spent %d, one spent %d: want the same", threeFirst, oneFirst)
	}
	if oneAgain != 0 || threeAgain != 0 {
		t.Errorf("reading again cost %d (one component) and %d (three): want nothing, GitHub answers 304", oneAgain, threeAgain)
	}
	// Without the proxy, three components pay three times.
	w := newWorld(t, Options{})
	before := w.used()
	for range 3 {
		reads(t, w.client(w.sandbox))
	}
	if direct := w.used() - before; direct != 3*oneFirst {
		t.Errorf("three components straight to GitHub spent %d, want %d", direct, 3*oneFirst)
	}
}

// TestAChangeIsPaidForOnce: after a write, the first reader fetches the
// new version (and pays), the others revalidate it for free.
func TestAChangeIsPaidForOnce(t *testing.T) {
	w := newWorld(t, Options{})
	a, b := w.client(w.proxy), w.client(w.proxy)
	ctx := context.Background()
	list := func(c *github.Client) int {
		comments, err := c.ListIssueComments(ctx, "demo", "hello", 1)
		if err != nil {
			t.Fatal(err)
		}
		return len(comments)
	}
	list(a)
	list(b)
	if _, err := a.CreateComment(ctx, "demo", "hello", 1, "hello"); err != nil {
		t.Fatal(err)
	}
	before := w.used()
	if n := list(b); n != 1 {
		t.Fatalf("b sees %d comments after a commented, want 1", n)
	}
	if n := list(a); n != 1 {
		t.Fatalf("a sees %d comments, want 1", n)
	}
	if spent := w.used() - before; spent != 1 {
		t.Errorf("two readers of the changed list spent %d, want 1", spent)
	}
	if got := testutil.ToFloat64(w.p.metrics.responses.WithLabelValues(modeSkip)); got != 1 {
		t.Errorf("%v writes went straight through, want 1", got)
	}
}

// TestIdenticalReadsInFlightAreCoalesced: many components asking for the
// same thing at once make one upstream request.
func TestIdenticalReadsInFlightAreCoalesced(t *testing.T) {
	w := newWorld(t, Options{})
	start := make(chan struct{})
	release := make(chan struct{})
	w.p.client.Transport = gate{next: w.p.client.Transport, wait: release}
	var wg sync.WaitGroup
	const n = 8
	codes := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, _ := http.NewRequest(http.MethodGet, w.proxy+"/api/v3/repos/demo/hello/pulls/1", nil)
			req.Header.Set("Authorization", "token "+botToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	close(start)
	// Hold the first upstream request until every client is waiting on it.
	eventuallyInFlight(t, w.p, n)
	close(release)
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusOK {
			t.Errorf("client %d got %d", i, code)
		}
	}
	if got := w.upstreamCount("GET /api/v3/repos/demo/hello/pulls/1"); got != 1 {
		t.Errorf("%d upstream requests for %d identical reads in flight, want 1: %v", got, n, w.upstream)
	}
	coalesced := testutil.ToFloat64(w.p.metrics.responses.WithLabelValues(modeCoalesced))
	if coalesced != n-1 {
		t.Errorf("%v responses coalesced, want %d", coalesced, n-1)
	}
}

// gate holds every upstream request until wait is closed.
type gate struct {
	next http.RoundTripper
	wait <-chan struct{}
}

func (g gate) RoundTrip(r *http.Request) (*http.Response, error) {
	<-g.wait
	return g.next.RoundTrip(r)
}

func eventuallyInFlight(t *testing.T, p *Proxy, n int) {
	t.Helper()
	wait.For(t, 10*time.Second, fmt.Sprintf("%d reads waiting in the proxy", n), func() bool { return p.waiting.Load() == int64(n) })
}
