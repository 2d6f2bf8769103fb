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
		{"batches and branch protection", config.Tide{BatchSizeLimitMap: map[string]int{"*": 5},
			ContextOptions: config.TideContextPolicyOptions{Orgs: map[string]config.TideOrgContextPolicy{"o": {Repos: map[string]config.TideRepoContextPolicy{
				"r": {Branches: map[string]config.TideContextPolicy{"main": {FromBranchProtection: &yes}}}}}}}},
			[]string{"tide.batch_size_limit (pull requests merge one at a time)", "tide.context_options from-branch-protection"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Unsupported(&tc.tide); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Unsupported = %q, want %q", got, tc.want)
			}
		})
	}
}
