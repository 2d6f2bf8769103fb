package deck_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prowbot/prow/deck"
)

// fakeTide serves tide's JSON as `prow tide` does (pools at /, history
// at /history), from testdata.
func fakeTide(t testing.TB) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(testdata(t, "tide-pools.json"))) })
	mux.HandleFunc("GET /history", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(testdata(t, "tide-history.json"))) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// withTide makes the fixture's deck read tide at url, as `prow deck
// --tide-url` does.
func withTide(url string) fixtureOptions {
	return func(o *deck.Options) { o.Tide = deck.TideFromURL(http.DefaultClient, url, 0) }
}

// getAs fetches a page as user ("" for nobody).
func (f *fixture) getAs(t *testing.T, user, path string) (int, string) {
	t.Helper()
	var cookies []*http.Cookie
	if user != "" {
		cookies = []*http.Cookie{{Name: "test-user", Value: user}}
	}
	resp, body := send(t, http.MethodGet, f.http.URL+path, cookies, nil, nil)
	return resp.StatusCode, body
}

// noSecrets fails the test if a page shows the hidden repo.
func noSecrets(t *testing.T, page string) {
	t.Helper()
	for _, leak := range []string{"secret/vault", "secret", "vault", secretMark} {
		if strings.Contains(page, leak) {
			t.Errorf("the page shows the hidden repo (%q)", leak)
		}
	}
}

// noRawMarkup fails the test if the titles and reasons tide carries came
// through unescaped.
func noRawMarkup(t *testing.T, page string) {
	t.Helper()
	for _, raw := range []string{"<script>alert(1)", "<b>Pull Request", "<b>failed", "javascript:"} {
		if strings.Contains(page, raw) {
			t.Errorf("the page carries %q unescaped", raw)
		}
	}
}

func TestTidePageShowsEachPoolAndWhatEachPRLacks(t *testing.T) {
	f := newFixture(t, withTide(fakeTide(t).URL))
	status, page := f.get(t, "/tide")
	if status != http.StatusOK {
		t.Fatalf("/tide: %d: %s", status, page)
	}
	for _, want := range []string{
		`<a href="/tide">Tide</a>`, `<a href="/tide-history">Tide history</a>`, `<a href="/pr">My PRs</a>`,
		"Pull requests in acme/widget, with the labels lgtm and approved, without the label do-not-merge/hold.",
		`GitHub search: is:pr state:open archived:false repo:&#34;acme/widget&#34;`,
		`data-pool="acme/widget:main"`, `href="https://github.com/acme/widget/commit/abc1234567890"`, ">abc12345<",
		`action-MERGE">MERGE</span> <a href="https://github.com/acme/widget/pull/12"`,
		`Blocked by`, `href="https://github.com/acme/widget/issues/7"`,
		"Ready to merge", "Fix &lt;script&gt;alert(1)&lt;/script&gt;", "Pending", "Not mergeable. Retesting: pull-widget-unit",
		"Not in the pool", `<a href="https://github.com/acme/widget/pull/13">#13</a> Half done`,
		"Not mergeable. Needs approved label. Job ci has not succeeded.",
		"acme/gadget:main: read the branch: 502 Bad Gateway",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("/tide lacks %q", want)
		}
	}
	noSecrets(t, page)
	noRawMarkup(t, page)
}

func TestTideJSONKeepsProwsShapeWithoutHiddenRepos(t *testing.T) {
	f := newFixture(t, withTide(fakeTide(t).URL))
	status, body := f.get(t, "/tide.js")
	if status != http.StatusOK {
		t.Fatalf("/tide.js: %d", status)
	}
	noSecrets(t, body)
	var pools struct {
		Queries     []string
		TideQueries []struct{ Repos []string }
		Pools       []struct {
			Org, Repo, Branch, BaseSHA, Action string
			SuccessPRs, PendingPRs, NotInPool  []struct {
				Number             int
				AuthorLogin        string
				State, Description string
			}
			Target   []struct{ Number int }
			Blockers []int
		}
	}
	if err := json.Unmarshal([]byte(body), &pools); err != nil {
		t.Fatal(err)
	}
	if len(pools.Queries) != 1 || len(pools.TideQueries) != 1 || pools.TideQueries[0].Repos[0] != "acme/widget" {
		t.Errorf("queries: %q %+v", pools.Queries, pools.TideQueries)
	}
	if len(pools.Pools) != 1 {
		t.Fatalf("pools: %+v", pools.Pools)
	}
	p := pools.Pools[0]
	if p.Org+"/"+p.Repo+":"+p.Branch != "acme/widget:main" || p.Action != "MERGE" || p.Target[0].Number != 12 || p.NotInPool[0].Description == "" {
		t.Errorf("pool: %+v", p)
	}

	status, body = f.get(t, "/tide-history.js")
	if status != http.StatusOK {
		t.Fatalf("/tide-history.js: %d", status)
	}
	noSecrets(t, body)
	var hist struct {
		History map[string][]struct {
			Action, BaseSHA, Err string
			Target               []struct {
				Num    int `json:"num"`
				Author string
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &hist); err != nil {
		t.Fatal(err)
	}
	if len(hist.History) != 2 || len(hist.History["acme/widget:main"]) != 3 || hist.History["acme/widget:dev"][0].Target[1].Num != 21 {
		t.Errorf("history: %+v", hist.History)
	}
}

// rowsOf are the records a /tide-history page lists, as "pool action
// #numbers", in order.
func rowsOf(page string) []string {
	var out []string
	pool := ""
	for _, line := range strings.Split(page, "\n") {
		if m := regexp.MustCompile(`data-pool="([^"]+)"`).FindStringSubmatch(line); m != nil {
			pool = m[1]
		}
		if m := regexp.MustCompile(`action-[A-Z_]+">([A-Z_]+)</span>(.*)`).FindStringSubmatch(line); m != nil {
			nums := regexp.MustCompile(`>#(\d+)</a>`).FindAllStringSubmatch(m[2], -1)
			row := pool + " " + m[1]
			for _, n := range nums {
				row += " #" + n[1]
			}
			out = append(out, row)
		}
	}
	return out
}

func TestTideHistoryPageListsRecordsNewestFirstAndFilters(t *testing.T) {
	f := newFixture(t, withTide(fakeTide(t).URL))
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"every visible pool, newest first", "", []string{"acme/widget:dev TRIGGER_BATCH #20 #21",
			"acme/widget:main MERGE #12", "acme/widget:main MERGE #11", "acme/widget:main TRIGGER #13"}},
		{"by author, in any case", "?author=ALICE", []string{"acme/widget:main MERGE #11"}},
		{"by action", "?action=TRIGGER", []string{"acme/widget:main TRIGGER #13"}},
		{"by repo and branch", "?repo=acme/widget&branch=dev", []string{"acme/widget:dev TRIGGER_BATCH #20 #21"}},
		{"a hidden repo matches nothing", "?repo=secret/vault", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, page := f.get(t, "/tide-history"+tc.query)
			if status != http.StatusOK {
				t.Fatalf("%d: %s", status, page)
			}
			if got := rowsOf(page); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("rows %q, want %q", got, tc.want)
			}
			if strings.Contains(page, "SECRET-CONTENT") || strings.Contains(page, `data-pool="secret`) {
				t.Error("the page shows the hidden repo's history")
			}
			noRawMarkup(t, page)
		})
	}
	_, page := f.get(t, "/tide-history?author=alice")
	for _, want := range []string{"Failed: GitHub refused the merge: &lt;b&gt;Pull Request is not mergeable&lt;/b&gt;",
		`<option value="MERGE">MERGE</option>`, `value="alice"`, "1 of 4 actions", `href="https://github.com/acme/widget/pull/11"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the filtered page lacks %q", want)
		}
	}
}

func TestPRDashboardShowsTheUsersPullRequests(t *testing.T) {
	f := newFixture(t, withTide(fakeTide(t).URL))
	status, page := f.getAs(t, "bob", "/pr")
	if status != http.StatusOK {
		t.Fatalf("/pr: %d: %s", status, page)
	}
	for _, want := range []string{
		`data-pr="acme/widget#12"`, "Fix &lt;script&gt;alert(1)&lt;/script&gt;", "tide: ready to merge.",
		`<a href="https://deck.example/view/12">pull-widget-unit</a>`,
		`data-pr="acme/widget#13"`, "tide: not in the pool.", "Not mergeable. Needs approved label. Job ci has not succeeded.",
		`<a href="https://ci.example/run/13">ci</a>`, "tests &lt;b&gt;failed&lt;/b&gt;", `st-failure">failure</span>`,
		// bob's jobs from the job store: the latest of each, not the hidden one.
		"pull-widget-unit <span", "pull-widget-e2e <span",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("bob's /pr lacks %q", want)
		}
	}
	if strings.Contains(page, "acme/widget#14") || strings.Contains(page, "secret-scan") {
		t.Error("bob's /pr shows alice's pull request or a hidden job")
	}
	noSecrets(t, page)
	noRawMarkup(t, page)

	_, page = f.getAs(t, "alice", "/pr")
	if !strings.Contains(page, `data-pr="acme/widget#14"`) || strings.Contains(page, `data-pr="acme/widget#12"`) {
		t.Errorf("alice's /pr: %s", page)
	}
	_, page = f.getAs(t, "nobody-here", "/pr")
	if !strings.Contains(page, "You have no open pull requests in tide") {
		t.Errorf("a user without pull requests: %s", page)
	}
}

func TestPRDashboardNeedsLogin(t *testing.T) {
	t.Run("signed out, with GitHub login: the login link", func(t *testing.T) {
		gh := fakeGitHubOAuth(t, "bob")
		f := newFixture(t, withLogin(gh, "", nil, ""), withTide(fakeTide(t).URL))
		status, page := f.get(t, "/pr")
		if status != http.StatusOK || !strings.Contains(page, `id="pr-login"`) || !strings.Contains(page, `href="/github-login?dest=%2Fpr"`) {
			t.Errorf("/pr signed out: %d: %s", status, page)
		}
		if strings.Contains(page, "acme/widget#") {
			t.Error("/pr shows pull requests to nobody")
		}
		// Logged in through GitHub, bob sees his.
		cb := f.login(t, "/pr", nil)
		resp, page := send(t, http.MethodGet, f.http.URL+"/pr", cb.Cookies(), nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `data-pr="acme/widget#12"`) {
			t.Errorf("/pr after login: %d: %s", resp.StatusCode, page)
		}
	})
	t.Run("signed out, no login configured: says so", func(t *testing.T) {
		f := newFixture(t, withTide(fakeTide(t).URL))
		_, page := f.get(t, "/pr")
		if !strings.Contains(page, "no GitHub login configured") || strings.Contains(page, "acme/widget#") {
			t.Errorf("/pr signed out: %s", page)
		}
	})
}

func TestTidePagesWithoutTide(t *testing.T) {
	t.Run("no tide: the pages are absent and not linked", func(t *testing.T) {
		f := newFixture(t)
		for _, p := range []string{"/tide", "/tide-history", "/pr", "/tide.js", "/tide-history.js"} {
			if status, _ := f.get(t, p); status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, status)
			}
		}
		if _, page := f.get(t, "/"); strings.Contains(page, `href="/tide"`) {
			t.Error("the header links /tide")
		}
	})
	t.Run("tide down: 502 with a message", func(t *testing.T) {
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		f := newFixture(t, withTide(down.URL))
		for _, p := range []string{"/tide", "/tide-history", "/tide.js"} {
			if status, page := f.get(t, p); status != http.StatusBadGateway || strings.Contains(page, "127.0.0.1") {
				t.Errorf("%s: %d: %s", p, status, page)
			}
		}
		if status, page := f.getAs(t, "bob", "/pr"); status != http.StatusOK || !strings.Contains(page, "could not be read") {
			t.Errorf("/pr with tide down: %d: %s", status, page)
		}
	})
}

func TestTideFromHandlerReadsTideInProcess(t *testing.T) {
	// The JSON fakeTide serves, served at tide's in-process paths.
	h := http.NewServeMux()
	h.HandleFunc("GET /tide.js", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(testdata(t, "tide-pools.json"))) })
	h.HandleFunc("GET /tide-history.js", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(testdata(t, "tide-history.json"))) })
	f := newFixture(t, func(o *deck.Options) { o.Tide = deck.TideFromHandler(h) })
	if status, page := f.get(t, "/tide"); status != http.StatusOK || !strings.Contains(page, `data-pool="acme/widget:main"`) {
		t.Errorf("/tide: %d", status)
	}
	if status, page := f.get(t, "/tide-history"); status != http.StatusOK || !strings.Contains(page, `data-pool="acme/widget:dev"`) {
		t.Errorf("/tide-history: %d", status)
	}
}

func TestTideFromURLAsksTideOncePerPeriod(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.URL.Path]++
		mu.Unlock()
		name := map[string]string{"/": "tide-pools.json", "/history": "tide-history.json"}[r.URL.Path]
		_, _ = w.Write([]byte(testdata(t, name)))
	}))
	t.Cleanup(srv.Close)
	f := newFixture(t, func(o *deck.Options) { o.Tide = deck.TideFromURL(srv.Client(), srv.URL+"/", time.Hour) })
	for _, p := range []string{"/tide", "/tide.js", "/pr", "/tide-history", "/tide-history.js", "/tide"} {
		if status, _ := f.getAs(t, "bob", p); status != http.StatusOK {
			t.Errorf("%s: %d", p, status)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if asked["/"] != 1 || asked["/history"] != 1 || len(asked) != 2 {
		t.Errorf("deck asked tide %v, want / and /history once each", asked)
	}
}

func TestTidePagesShowHiddenReposWhenAsked(t *testing.T) {
	f := newFixture(t, withTide(fakeTide(t).URL), func(o *deck.Options) { o.ShowHidden = true })
	for _, p := range []string{"/tide", "/tide.js", "/tide-history", "/tide-history.js", "/pr"} {
		if _, page := f.getAs(t, "bob", p); !strings.Contains(page, "secret") {
			t.Errorf("%s hides the hidden repo from an internal deck", p)
		}
	}
}
