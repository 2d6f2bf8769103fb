package tide

import (
	"testing"

	"github.com/prowbot/prow/config"
)

func TestMergeBlocksPolicy(t *testing.T) {
	for _, tc := range []struct {
		name     string
		policies map[string]string
		want     string
	}{
		{"unset permits, as Prow", nil, MergeBlocksPermit},
		{"the global entry", map[string]string{"*": "block"}, MergeBlocksBlock},
		{"the org's entry beats the global one", map[string]string{"*": "block", "o": "ignore"}, MergeBlocksIgnore},
		{"the repo's entry beats the org's", map[string]string{"o": "ignore", "o/r": "block"}, MergeBlocksBlock},
		{"another repo's entry does not apply", map[string]string{"o/other": "block"}, MergeBlocksPermit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := MergeBlocksPolicy(&config.Tide{GitHubMergeBlocksPolicy: tc.policies}, "o", "r"); got != tc.want {
				t.Errorf("MergeBlocksPolicy = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDecideUnderMergeBlocksPolicyAndDisplayAllQueries(t *testing.T) {
	blocked := func(c *Candidate) { c.MergeState = "blocked" }
	for _, tc := range []struct {
		name        string
		change      func(*config.Tide)
		cand        Candidate
		state, desc string
		inPool      bool
	}{
		{"block keeps a pull request GitHub blocks out of the pool", func(t *config.Tide) { t.GitHubMergeBlocksPolicy = map[string]string{"*": "block"} },
			with(ready(1), blocked), "error", "Not mergeable. Merging is blocked by GitHub.", false},
		{"block reads GraphQL's BLOCKED too", func(t *config.Tide) { t.GitHubMergeBlocksPolicy = map[string]string{"o": "block"} },
			with(ready(1), func(c *Candidate) { c.MergeState = "BLOCKED" }), "error", "Not mergeable. Merging is blocked by GitHub.", false},
		{"block leaves a clean pull request alone", func(t *config.Tide) { t.GitHubMergeBlocksPolicy = map[string]string{"*": "block"} },
			with(ready(1), func(c *Candidate) { c.MergeState = "clean" }), "success", "In merge pool.", true},
		{"permit keeps it in the pool and says so", func(t *config.Tide) { t.GitHubMergeBlocksPolicy = map[string]string{"o/r": "permit"} },
			with(ready(1), blocked), "success", "In merge pool (despite BLOCKED).", true},
		{"unset is permit", func(*config.Tide) {}, with(ready(1), blocked), "success", "In merge pool (despite BLOCKED).", true},
		{"ignore pays no attention", func(t *config.Tide) { t.GitHubMergeBlocksPolicy = map[string]string{"*": "ignore"} },
			with(ready(1), blocked), "success", "In merge pool.", true},
		{"the closest query alone by default", func(*config.Tide) {},
			with(ready(1), func(c *Candidate) { c.BaseRef = "release"; c.Labels = []string{"lgtm", "do-not-merge/hold"} }),
			"pending", "Not mergeable. Needs approved label. Should not have do-not-merge/hold label.", false},
		{"every query's lacks with display_all_tide_queries_in_status", func(t *config.Tide) { t.DisplayAllQueriesInStatus = true },
			with(ready(1), func(c *Candidate) { c.BaseRef = "release"; c.Labels = []string{"lgtm", "do-not-merge/hold"} }),
			"pending", "Not mergeable. Needs approved label. Should not have do-not-merge/hold label. OR Needs approved, cherry-pick-approved labels.", false},
		{"display_all_tide_queries_in_status changes nothing for a pull request in the pool", func(t *config.Tide) { t.DisplayAllQueriesInStatus = true },
			ready(1), "success", "In merge pool.", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testTide()
			tc.change(cfg)
			vs, err := Decide(cfg, []Candidate{tc.cand})
			if err != nil || len(vs) != 1 {
				t.Fatalf("Decide = %v, %v", vs, err)
			}
			if v := vs[0]; v.State != tc.state || v.Description != tc.desc || v.InPool != tc.inPool {
				t.Errorf("status = %s %q (in pool %v), want %s %q (%v)", v.State, v.Description, v.InPool, tc.state, tc.desc, tc.inPool)
			}
		})
	}
}

func TestFromBranchProtection(t *testing.T) {
	yes, no := true, false
	opts := func(top, org, repo, branch *bool) *config.Tide {
		return &config.Tide{ContextOptions: config.TideContextPolicyOptions{
			TideContextPolicy: config.TideContextPolicy{FromBranchProtection: top},
			Orgs: map[string]config.TideOrgContextPolicy{"o": {TideContextPolicy: config.TideContextPolicy{FromBranchProtection: org},
				Repos: map[string]config.TideRepoContextPolicy{"r": {TideContextPolicy: config.TideContextPolicy{FromBranchProtection: repo},
					Branches: map[string]config.TideContextPolicy{"main": {FromBranchProtection: branch}}}}}}}}
	}
	for _, tc := range []struct {
		name   string
		tide   *config.Tide
		branch string
		want   bool
	}{
		{"unset is off", opts(nil, nil, nil, nil), "main", false},
		{"set at the top applies everywhere", opts(&yes, nil, nil, nil), "dev", true},
		{"set for the org", opts(nil, &yes, nil, nil), "main", true},
		{"the repo turns the org's off", opts(nil, &yes, &no, nil), "main", false},
		{"the branch turns it on", opts(nil, nil, &no, &yes), "main", true},
		{"another branch keeps the repo's", opts(nil, nil, &no, &yes), "dev", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FromBranchProtection(tc.tide, "o", "r", tc.branch); got != tc.want {
				t.Errorf("FromBranchProtection = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWithRequiredAddsEachContextOnce(t *testing.T) {
	p := ContextPolicy{Required: []string{"ci"}}.WithRequired([]string{"ci", "e2e", "e2e"})
	if got := p.Required; len(got) != 2 || got[0] != "ci" || got[1] != "e2e" {
		t.Errorf("Required = %q, want [ci e2e]", got)
	}
}
