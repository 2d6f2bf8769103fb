package github

import (
	"context"
	"fmt"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
	"github.com/prowbot/prow/test/testlog"
)

func TestGraphQLEndpointFollowsTheRESTOne(t *testing.T) {
	for _, tc := range []struct{ name, rest, want string }{
		{"github.com", DefaultEndpoint, DefaultEndpoint + "/graphql"},
		{"github.com with a trailing slash", DefaultEndpoint + "/", DefaultEndpoint + "/graphql"},
		{"GitHub Enterprise", "https://ghe.example.com/api/v3", "https://ghe.example.com/api/graphql"},
		{"GitHub Enterprise with a trailing slash", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/graphql"},
		{"a bare host", "http://127.0.0.1:8888", "http://127.0.0.1:8888/api/graphql"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := graphqlEndpoint(tc.rest); got != tc.want {
				t.Errorf("GraphQL endpoint of %s: %s, want %s", tc.rest, got, tc.want)
			}
		})
	}
}

// graphqlWorld is demo/hello with pull requests of every kind, demo/more
// with 105 (two pages), an issue, and a client with its own registry.
func graphqlWorld(t *testing.T, mutate func(*sandbox.Options, *ClientOptions)) (*sandbox.Server, *Client, *prometheus.Registry) {
	t.Helper()
	b := seed.New().User("the-bot", "bot-token").User("alice", "").User("bob", "").Members("the-bot").Collaborators("write", "the-bot").Labels("lgtm", "approved").
		Repo(sandbox.SeedRepo{Name: "demo/more", Files: sandbox.FileChanges{"README.md": "more\n"}}).
		PullWith(sandbox.SeedPull{Author: "alice", Title: "Ready", Body: "Fixes it.", Files: sandbox.FileChanges{"a.txt": "a\n"},
			Labels: []string{"lgtm", "approved"}, Milestone: "v1"}).
		PullWith(sandbox.SeedPull{Author: "bob", Title: "Conflicts", Files: sandbox.FileChanges{"shared.txt": "bob\n"}}).
		PullWith(sandbox.SeedPull{Author: "alice", Title: "Landed", Files: sandbox.FileChanges{"shared.txt": "alice\n"}, State: "merged"}).
		PullWith(sandbox.SeedPull{Author: "bob", Title: "Draft", Files: sandbox.FileChanges{"d.txt": "d\n"}, Draft: true}).
		Issue("alice", "Not a pull request", "lgtm")
	for i := range 105 {
		b.PullWith(sandbox.SeedPull{Repo: "demo/more", Number: i + 1, Author: "bob", Title: fmt.Sprint("More ", i), Files: sandbox.FileChanges{fmt.Sprint(i): "x\n"}})
	}
	sd := b.Seed()
	sd.Repos[0].Milestones = append(sd.Repos[0].Milestones, sandbox.SeedMilestone{Title: "v1"})
	opts := sandbox.Options{Seed: sd, GitDir: t.TempDir(), Logger: testlog.Discard()}
	reg := prometheus.NewRegistry()
	co := ClientOptions{TokenPath: tokenFile(t, "bot-token"), Logger: testlog.Discard(), Registerer: reg}
	if mutate != nil {
		mutate(&opts, &co)
	}
	srv, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	co.Endpoint = ts.URL
	c, err := NewClient(co)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, reg
}

// graphqlCalls is how many GraphQL requests the client's metrics counted.
func graphqlCalls(t testing.TB, reg *prometheus.Registry) int {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range families {
		if f.GetName() != "prowbot_github_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "route" && l.GetValue() == "/api/graphql" {
					n += int(m.GetCounter().GetValue())
				}
			}
		}
	}
	return n
}

func TestSearchPullRequestsReadsWhatRESTShows(t *testing.T) {
	_, c, reg := graphqlWorld(t, nil)
	ctx := context.Background()
	ready, err := c.GetPullRequest(ctx, "demo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	statuses := []Status{{Context: "ci", State: "success", Description: "All green", TargetURL: "https://ci.example.com/1"}, {Context: "lint", State: "pending"}}
	for _, s := range statuses {
		if err := c.CreateStatus(ctx, "demo", "hello", ready.HeadSHA, s); err != nil {
			t.Fatal(err)
		}
	}

	found, err := c.SearchPullRequests(ctx, "repo:demo/hello is:open sort:created-asc")
	if err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	want := []PullRequestInfo{
		{Org: "demo", Repo: "hello", Number: 1, Title: "Ready", Body: "Fixes it.", Author: "alice", Mergeable: &yes, Labels: []string{"lgtm", "approved"},
			Milestone: "v1", Contexts: statuses},
		{Org: "demo", Repo: "hello", Number: 2, Title: "Conflicts", Author: "bob", Mergeable: &no, Labels: []string{}},
		{Org: "demo", Repo: "hello", Number: 4, Title: "Draft", Author: "bob", Mergeable: &yes, Draft: true, Labels: []string{}},
	}
	if len(found) != len(want) {
		t.Fatalf("found %d pull requests (%+v), want %d: the open ones, no issue", len(found), found, len(want))
	}
	for k, f := range found {
		rest, err := c.GetPullRequest(ctx, "demo", "hello", f.Number)
		if err != nil {
			t.Fatal(err)
		}
		w := want[k]
		w.HTMLURL, w.BaseRef, w.BaseSHA, w.HeadRef, w.HeadSHA = rest.HTMLURL, rest.BaseRef, rest.BaseSHA, rest.HeadRef, rest.HeadSHA
		w.MergeState = rest.MergeableState // no branch protection: no review decision
		if f.CreatedAt.IsZero() || f.UpdatedAt.Before(f.CreatedAt) {
			t.Errorf("#%d: created %v, updated %v", f.Number, f.CreatedAt, f.UpdatedAt)
		}
		w.CreatedAt, w.UpdatedAt = f.CreatedAt, f.UpdatedAt
		if !reflect.DeepEqual(f, w) {
			t.Errorf("#%d:\n got %+v\nwant %+v", f.Number, f, w)
		}
		if (f.Mergeable == nil) != (rest.Mergeable == nil) || (f.Mergeable != nil && *f.Mergeable != *rest.Mergeable) {
			t.Errorf("#%d: mergeable %v, REST says %v", f.Number, f.Mergeable, rest.Mergeable)
		}
	}
	if n := graphqlCalls(t, reg); n != 1 {
		t.Errorf("%d GraphQL calls counted, want 1", n)
	}
}

func TestSearchPullRequestsFollowsEveryPage(t *testing.T) {
	cases := []struct {
		name   string
		dryRun bool
	}{
		{"live", false},
		{"dry run: queries are reads and go through", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, c, reg := graphqlWorld(t, func(_ *sandbox.Options, o *ClientOptions) { o.DryRun = tc.dryRun })
			found, err := c.SearchPullRequests(context.Background(), "org:demo is:open")
			if err != nil {
				t.Fatal(err)
			}
			var more []int
			for _, f := range found {
				if f.Repo != "more" {
					continue
				}
				more = append(more, f.Number)
				if f.Mergeable == nil || !*f.Mergeable { // heads holding their base: one git call learns it for all
					t.Errorf("demo/more#%d: mergeable %v, want true", f.Number, f.Mergeable)
				}
			}
			slices.Sort(more)
			if len(found) != 108 || len(more) != 105 || more[0] != 1 || more[104] != 105 {
				t.Errorf("found %d pull requests, %d of demo/more; want 108, each of demo/more's once", len(found), len(more))
			}
			if n := graphqlCalls(t, reg); n != 2 {
				t.Errorf("%d GraphQL calls, want 2 pages of 100", n)
			}
		})
	}
}

func TestSearchPullRequestsLeavesUncomputedMergeabilityUnknown(t *testing.T) {
	_, c, _ := graphqlWorld(t, func(o *sandbox.Options, _ *ClientOptions) { o.LazyMergeable = true })
	ctx := context.Background()
	for _, want := range []string{"unknown", "known"} {
		found, err := c.SearchPullRequests(ctx, "repo:demo/hello is:open")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range found {
			if (f.Mergeable == nil) != (want == "unknown") {
				t.Errorf("#%d: mergeable %v, want %s", f.Number, f.Mergeable, want)
			}
		}
	}
}

// clock is a time both the sandbox and the client read, which the
// client's sleeps move on.
type clock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

func TestSearchPullRequestsWaitsOutTheGraphQLRateLimit(t *testing.T) {
	clk := &clock{now: fixedNow}
	_, c, _ := graphqlWorld(t, func(o *sandbox.Options, co *ClientOptions) {
		o.Now, o.RateLimit = clk.Now, 1 // one query an hour: the second page is over the budget
		co.Now, co.Sleep, co.MaxWait = clk.Now, clk.Sleep, 2*time.Hour
	})
	found, err := c.SearchPullRequests(context.Background(), "org:demo is:open")
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 108 {
		t.Errorf("found %d pull requests, want 108", len(found))
	}
	if len(clk.slept) != 1 || clk.slept[0] < 59*time.Minute || clk.slept[0] > time.Hour+2*time.Second {
		t.Errorf("slept %v, want once, until the hour's budget comes back", clk.slept)
	}
}

// ticking is a clock that moves a second each time it is read.
type ticking struct {
	mu  sync.Mutex
	now time.Time
}

func (c *ticking) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

func TestSearchPullRequestsGoesPastTheSearchLimitInWindowsOfCreation(t *testing.T) {
	cases := []struct {
		name, query string
		sameSecond  bool
		wantErr     string
	}{
		{name: "newest first", query: "org:demo is:open"},
		{name: "oldest first", query: "org:demo is:open sort:created-asc"},
		{name: "another order cannot", query: "org:demo is:open sort:updated-desc", wantErr: "sort by created"},
		{name: "nor more than the limit created in one second", query: "org:demo is:open", sameSecond: true, wantErr: "were created at"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := &ticking{now: fixedNow}
			_, c, reg := graphqlWorld(t, func(o *sandbox.Options, _ *ClientOptions) {
				o.SearchLimit, o.Now = 40, clk.Now
				if tc.sameSecond {
					o.Now = func() time.Time { return fixedNow }
				}
			})
			found, err := c.SearchPullRequests(context.Background(), tc.query)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for k, f := range found {
				seen[fmt.Sprintf("%s#%d", f.Repo, f.Number)] = true
				if k > 0 && f.CreatedAt.Equal(found[k-1].CreatedAt) {
					t.Errorf("%s#%d created with the one before it; the clock should tick", f.Repo, f.Number)
				}
			}
			if len(found) != 108 || len(seen) != 108 {
				t.Errorf("found %d pull requests, %d different; want all 108 once", len(found), len(seen))
			}
			if n := graphqlCalls(t, reg); n < 3 || n > 6 {
				t.Errorf("%d GraphQL calls; want about one per 40 in windows", n)
			}
		})
	}
}
