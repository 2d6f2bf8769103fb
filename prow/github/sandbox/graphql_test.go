package sandbox_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/prow/github/sandbox"
)

// gqlAnswer is a GraphQL response, read.
type gqlAnswer struct {
	code   int
	header http.Header
	Data   map[string]any `json:"data"`
	Errors []struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"errors"`
}

// graphql posts a query to path (/graphql or /api/graphql) as the user
// with token ("" for none).
func (e *env) graphql(token, path, query string, vars map[string]any) gqlAnswer {
	e.t.Helper()
	var header []string
	if token != "" {
		header = []string{"Authorization", "bearer " + token}
	}
	ans := e.call(http.DefaultClient, http.MethodPost, e.url+path, e.jsonBody(map[string]any{"query": query, "variables": vars}), header...)
	a := gqlAnswer{code: ans.code, header: ans.header}
	if err := json.Unmarshal(ans.body, &a); err != nil {
		e.t.Fatalf("%s: %v", ans.body, err)
	}
	return a
}

func TestGraphQLAnswersAsGitHubDoes(t *testing.T) {
	e := start(t)
	const pr = `query($n: Int!) { repository(owner: "demo", name: "hello") { pullRequest(number: $n) {
		number title state isDraft mergeable baseRefName headRefName headRefOid baseRefOid
		baseRef { name target { oid } } author { login } repository { nameWithOwner owner { login } }
		labels(first: 10) { nodes { name } } commits(last: 1) { nodes { commit { oid status { state } } } } } } }`
	cases := []struct {
		name, token, path, query string
		vars                     map[string]any
		code                     int
		wantErr                  string // part of the first error's message
		check                    func(t *testing.T, data map[string]any)
	}{
		{name: "without a token: 401", path: "/graphql", query: "{ rateLimit { limit } }", code: http.StatusUnauthorized},
		{name: "a pull request, with its base and head", token: "bot-token", path: "/graphql", query: pr, vars: map[string]any{"n": 1}, code: 200,
			check: func(t *testing.T, data map[string]any) {
				p := dig(data, "repository", "pullRequest").(map[string]any)
				if p["state"] != "OPEN" || p["mergeable"] != "MERGEABLE" || p["baseRefName"] != "main" || dig(p, "author", "login") != "bob" ||
					dig(p, "baseRef", "target", "oid") != p["baseRefOid"] || dig(p, "repository", "nameWithOwner") != "demo/hello" {
					t.Errorf("pull request %v", p)
				}
				if nodes := dig(p, "commits", "nodes").([]any); len(nodes) != 1 || dig(nodes[0], "commit", "oid") != p["headRefOid"] {
					t.Errorf("commits(last: 1) %v, want the head %v", nodes, p["headRefOid"])
				}
			}},
		{name: "GitHub Enterprise's path", token: "bot-token", path: "/api/graphql", query: pr, vars: map[string]any{"n": 5}, code: 200,
			check: func(t *testing.T, data map[string]any) {
				if s := dig(data, "repository", "pullRequest", "state"); s != "MERGED" {
					t.Errorf("state %v, want MERGED", s)
				}
			}},
		{name: "a missing pull request: null and an error, with 200", token: "bot-token", path: "/graphql", query: pr, vars: map[string]any{"n": 99},
			code: 200, wantErr: "Could not resolve to a PullRequest with the number of 99."},
		{name: "an unknown field: an error, with 200", token: "bot-token", path: "/graphql", query: "{ viewer { login } }", code: 200, wantErr: "viewer"},
		{name: "a connection without first or last", token: "bot-token", path: "/graphql", code: 200, wantErr: "first",
			query: `{ search(type: ISSUE, query: "repo:demo/hello") { issueCount } }`},
		{name: "more than 100 records", token: "bot-token", path: "/graphql", code: 200, wantErr: "limit of 100",
			query: `{ search(type: ISSUE, query: "repo:demo/hello", first: 101) { issueCount } }`},
		{name: "a private repository the caller cannot see", token: "bob-token", path: "/graphql", code: 200, wantErr: "demo/private",
			query: `{ repository(owner: "demo", name: "private") { name } }`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := e.graphql(tc.token, tc.path, tc.query, tc.vars)
			if a.code != tc.code {
				t.Fatalf("status %d, want %d", a.code, tc.code)
			}
			switch {
			case tc.wantErr == "" && len(a.Errors) > 0:
				t.Fatalf("errors %+v", a.Errors)
			case tc.wantErr != "" && (len(a.Errors) == 0 || !strings.Contains(a.Errors[0].Message, tc.wantErr)):
				t.Fatalf("errors %+v, want one saying %q", a.Errors, tc.wantErr)
			}
			if tc.check != nil {
				tc.check(t, a.Data)
			}
		})
	}
}

// TestGraphQLSearchPagesThroughWhatRESTFinds: the same query finds the
// same issues and pull requests in the same order through REST's
// /search/issues and GraphQL's search, page by page with opaque cursors.
func TestGraphQLSearchPagesThroughWhatRESTFinds(t *testing.T) {
	e := start(t)
	for _, q := range []string{"repo:demo/hello", "repo:demo/hello is:pr is:open", "org:demo label:kind/bug", "repo:demo/hello sort:created-asc",
		"repo:demo/hello -is:draft is:pr"} {
		t.Run(q, func(t *testing.T) {
			want := e.searchNumbers(q)
			var got []int
			var after any
			for pages := 0; ; pages++ {
				a := e.graphql("bot-token", "/graphql", `query($q: String!, $after: String) { search(type: ISSUE, query: $q, first: 2, after: $after) {
					issueCount pageInfo { hasNextPage endCursor } nodes { ... on Issue { number } ... on PullRequest { number } } } }`,
					map[string]any{"q": q, "after": after})
				if len(a.Errors) > 0 || pages > 10 {
					t.Fatalf("page %d: %+v", pages, a.Errors)
				}
				if n := dig(a.Data, "search", "issueCount"); n != float64(len(want)) {
					t.Errorf("issueCount %v, want %d", n, len(want))
				}
				for _, n := range dig(a.Data, "search", "nodes").([]any) {
					got = append(got, int(n.(map[string]any)["number"].(float64)))
				}
				if dig(a.Data, "search", "pageInfo", "hasNextPage") != true {
					break
				}
				after = dig(a.Data, "search", "pageInfo", "endCursor")
			}
			if !slices.Equal(got, want) {
				t.Errorf("GraphQL found %v, REST %v", got, want)
			}
		})
	}
}

func TestGraphQLSpendsItsOwnBudget(t *testing.T) {
	e := start(t, func(o *sandbox.Options) { o.RateLimit = 3 })
	const q = `{ rateLimit { cost limit remaining used } }`
	for k := 1; k <= 3; k++ {
		a := e.graphql("alice-token", "/graphql", q, nil)
		if len(a.Errors) > 0 || a.header.Get("X-RateLimit-Resource") != "graphql" || a.header.Get("X-RateLimit-Remaining") != strconv.Itoa(3-k) {
			t.Fatalf("query %d: %+v, headers %v", k, a.Errors, a.header)
		}
		if rl := a.Data["rateLimit"].(map[string]any); rl["cost"] != 1.0 || rl["remaining"] != float64(3-k) || rl["used"] != float64(k) {
			t.Errorf("query %d: rateLimit %v", k, rl)
		}
	}
	if a := e.do("alice-token", http.MethodGet, "/user", nil); a.code != http.StatusOK || a.header.Get("X-RateLimit-Remaining") != "2" {
		t.Errorf("REST after the GraphQL budget is spent: %d, remaining %s; want its own budget", a.code, a.header.Get("X-RateLimit-Remaining"))
	}
	a := e.graphql("alice-token", "/graphql", q, nil)
	if a.code != http.StatusOK || len(a.Errors) != 1 || a.Errors[0].Type != "RATE_LIMITED" || a.header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("over the budget: %d %+v %v; want 200 with a RATE_LIMITED error", a.code, a.Errors, a.header)
	}
}

func TestLazyMergeabilityIsUnknownOnTheFirstReadAfterAChange(t *testing.T) {
	e := start(t, func(o *sandbox.Options) { o.LazyMergeable = true })
	const q = `{ repository(owner: "demo", name: "hello") { pullRequest(number: 1) { mergeable } } }`
	gql := func() any {
		return dig(e.graphql("bot-token", "/graphql", q, nil).Data, "repository", "pullRequest", "mergeable")
	}
	rest := func() any {
		var p map[string]any
		if err := json.Unmarshal(e.do("bot-token", http.MethodGet, "/repos/demo/hello/pulls/1", nil).body, &p); err != nil {
			t.Fatal(err)
		}
		return p["mergeable"]
	}
	steps := []struct {
		name string
		read func() any
		want any
	}{
		{"the first read asks for it", gql, "UNKNOWN"},
		{"the next read has it", gql, "MERGEABLE"},
		{"so does REST", rest, true},
	}
	// Each read builds on the one before: a failed step stops the rest.
	for _, s := range steps {
		if !t.Run(s.name, func(t *testing.T) {
			if got := s.read(); got != s.want {
				t.Fatalf("%s: %v, want %v", s.name, got, s.want)
			}
		}) {
			return
		}
	}
	if code, body := e.admin(http.MethodPost, "/repos/demo/hello/pulls/1/push", map[string]any{"files": map[string]any{"more.txt": "more\n"}}); code >= 300 {
		t.Fatalf("push: %d %s", code, body)
	}
	for _, s := range []struct {
		name string
		read func() any
		want any
	}{
		{"after a push, REST's first read is null", rest, nil},
		{"and the next is known", gql, "MERGEABLE"},
	} {
		if !t.Run(s.name, func(t *testing.T) {
			if got := s.read(); got != s.want {
				t.Fatalf("%s: %v, want %v", s.name, got, s.want)
			}
		}) {
			return
		}
	}
}

func TestSearchDateQualifiers(t *testing.T) {
	at := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	e := start(t, func(o *sandbox.Options) { o.Now = func() time.Time { return at } })
	all := len(e.searchNumbers("repo:demo/hello"))
	cases := []struct {
		query string
		want  int
	}{
		{"created:2030-01-01", all},
		{"created:>2030-01-01", 0},
		{"created:>=2030-01-01T12:00:00Z", all},
		{"created:>2030-01-01T11:59:59Z", all},
		{"created:<=2030-01-01T11:59:59Z", 0},
		{"created:<2030-01-01", 0},
		{"created:2029-12-31..2030-01-01", all},
		{"created:*..2029-12-31", 0},
		{"updated:>=2030-01-01", all},
		{"created:yesterday", all},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			if got := len(e.searchNumbers("repo:demo/hello " + tc.query)); got != tc.want {
				t.Errorf("%d found, want %d", got, tc.want)
			}
		})
	}
}

// searchNumbers are the numbers REST's /search/issues finds for q.
func (e *env) searchNumbers(q string) []int {
	e.t.Helper()
	var res struct {
		Items []struct {
			Number int `json:"number"`
		} `json:"items"`
	}
	if err := json.Unmarshal(e.do("bot-token", http.MethodGet, "/search/issues?per_page=100&q="+url.QueryEscape(q), nil).body, &res); err != nil {
		e.t.Fatal(err)
	}
	out := make([]int, 0, len(res.Items))
	for _, it := range res.Items {
		out = append(out, it.Number)
	}
	return out
}
