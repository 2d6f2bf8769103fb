package tide

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config"
)

func TestUnsupported(t *testing.T) {
	yes := true
	for _, tc := range []struct {
		name string
		tide config.Tide
		want []string
	}{
		{"nothing set", config.Tide{Queries: []config.TideQuery{{Repos: []string{"o/r"}}}}, nil},
		{"blocks policy and branch protection", config.Tide{GitHubMergeBlocksPolicy: map[string]string{"*": "permit"},
			ContextOptions: config.TideContextPolicyOptions{Orgs: map[string]config.TideOrgContextPolicy{"o": {Repos: map[string]config.TideRepoContextPolicy{
				"r": {Branches: map[string]config.TideContextPolicy{"main": {FromBranchProtection: &yes}}}}}}}},
			[]string{"tide.context_options from-branch-protection", "tide.github_merge_blocks_policy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Unsupported(&tc.tide); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Unsupported = %q, want %q", got, tc.want)
			}
		})
	}
}
