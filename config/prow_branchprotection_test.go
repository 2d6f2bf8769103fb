package config

import (
	"reflect"
	"testing"
)

func TestBranchProtectionRequiredContexts(t *testing.T) {
	yes, no := true, false
	checks := func(contexts ...string) *ContextPolicy { return &ContextPolicy{Contexts: contexts} }
	bp := BranchProtection{
		Policy: Policy{Protect: &yes, RequiredStatusChecks: checks("cla")},
		Orgs: map[string]Org{
			"o": {Policy: Policy{RequiredStatusChecks: checks("lint")}, Repos: map[string]Repo{
				"r":         {Policy: Policy{RequiredStatusChecks: checks("unit", "cla")}, Branches: map[string]Branch{"main": {Policy: Policy{RequiredStatusChecks: checks("e2e")}}}},
				"off":       {Policy: Policy{Protect: &no}},
				"unmanaged": {Policy: Policy{Unmanaged: &yes}},
				"back-on":   {Policy: Policy{Protect: &no}, Branches: map[string]Branch{"main": {Policy: Policy{Protect: &yes}}}},
			}},
		},
	}
	for _, tc := range []struct {
		name            string
		org, repo, bran string
		want            []string
	}{
		{"every level adds its contexts, once each", "o", "r", "main", []string{"cla", "lint", "unit", "e2e"}},
		{"another branch has the repo's", "o", "r", "dev", []string{"cla", "lint", "unit"}},
		{"an org without an entry has the top level's", "x", "y", "main", []string{"cla"}},
		{"protect: false at the repo turns it off", "o", "off", "main", nil},
		{"an unmanaged repo requires nothing of tide", "o", "unmanaged", "main", nil},
		{"a branch turns protection back on", "o", "back-on", "main", []string{"cla", "lint"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := bp.RequiredContexts(tc.org, tc.repo, tc.bran); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("RequiredContexts = %q, want %q", got, tc.want)
			}
		})
	}
	if got := (&BranchProtection{}).RequiredContexts("o", "r", "main"); got != nil {
		t.Errorf("no branch-protection: %q", got)
	}
}
