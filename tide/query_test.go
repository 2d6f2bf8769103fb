package tide

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config"
)

func TestScopeSearch(t *testing.T) {
	for _, tc := range []struct {
		name string
		q    config.TideQuery
		want string
	}{
		{"repos only", config.TideQuery{Repos: []string{"o/b", "o/a"}, Labels: []string{"lgtm"}},
			`is:pr state:open archived:false repo:"o/a" repo:"o/b"`},
		{"an org less a repo", config.TideQuery{Orgs: []string{"o"}, ExcludedRepos: []string{"o/x"}, Author: "bob"},
			`is:pr state:open archived:false org:"o" -repo:"o/x"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ScopeSearch(tc.q); got != tc.want {
				t.Errorf("ScopeSearch = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestCovers(t *testing.T) {
	q := config.TideQuery{Orgs: []string{"o"}, Repos: []string{"p/r"}, ExcludedRepos: []string{"o/x"}}
	for _, tc := range []struct {
		name      string
		org, repo string
		want      bool
	}{
		{"a repo of a listed org", "o", "a", true},
		{"org names match case-insensitively", "O", "a", true},
		{"an excluded repo of a listed org", "o", "x", false},
		{"a listed repo", "p", "r", true},
		{"an unlisted repo of an unlisted org", "p", "s", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Covers(q, tc.org, tc.repo); got != tc.want {
				t.Errorf("Covers(%s/%s) = %v, want %v", tc.org, tc.repo, got, tc.want)
			}
		})
	}
}

func TestQueryDiff(t *testing.T) {
	base := PR{Org: "o", Repo: "r", Author: "bob", BaseRef: "main", Labels: []string{"lgtm"}, Milestone: "v1"}
	for _, tc := range []struct {
		name  string
		q     config.TideQuery
		pr    PR
		want  []string
		count int
	}{
		{"everything matches", config.TideQuery{Labels: []string{"LGTM"}, Author: "Bob", Milestone: "v1"}, base, nil, 0},
		{"two labels missing", config.TideQuery{Labels: []string{"lgtm", "approved", "cla"}}, base,
			[]string{"Needs approved, cla labels."}, 2},
		{"one label missing", config.TideQuery{Labels: []string{"approved"}}, base, []string{"Needs approved label."}, 1},
		{"either of two labels", config.TideQuery{Labels: []string{"cla,cla-yes"}}, base, []string{"Needs cla or cla-yes label."}, 1},
		{"either of two labels present", config.TideQuery{Labels: []string{"x,lgtm"}}, base, nil, 0},
		{"a forbidden label", config.TideQuery{MissingLabels: []string{"do-not-merge/hold", "lgtm"}}, base,
			[]string{"Should not have lgtm label."}, 1},
		{"wrong author", config.TideQuery{Author: "alice"}, base, []string{"Must be by author alice."}, 1},
		{"wrong milestone", config.TideQuery{Milestone: "v2"}, base, []string{"Must be in milestone v2."}, 1},
		{"excluded branch", config.TideQuery{ExcludedBranches: []string{"main"}}, base, []string{"Merging to branch main is forbidden."}, 1},
		{"not an included branch", config.TideQuery{IncludedBranches: []string{"release"}}, base, []string{"Merging to branch main is forbidden."}, 1},
		{"no approving review", config.TideQuery{ReviewApprovedRequired: true}, base,
			[]string{"PullRequest is missing sufficient approving GitHub review(s)."}, 1},
		{"approved by review", config.TideQuery{ReviewApprovedRequired: true}, func() PR { p := base; p.ReviewApproved = true; return p }(), nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, n := queryDiff(tc.q, tc.pr)
			if !reflect.DeepEqual(got, tc.want) || n != tc.count {
				t.Errorf("queryDiff = %q (%d), want %q (%d)", got, n, tc.want, tc.count)
			}
		})
	}
}
