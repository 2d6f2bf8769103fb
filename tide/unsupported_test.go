package tide

import (
	"encoding/json"
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
		{"blocks policy, branch protection and every query in the status are implemented", config.Tide{GitHubMergeBlocksPolicy: map[string]string{"*": "permit"},
			DisplayAllQueriesInStatus: true,
			ContextOptions: config.TideContextPolicyOptions{Orgs: map[string]config.TideOrgContextPolicy{"o": {Repos: map[string]config.TideRepoContextPolicy{
				"r": {Branches: map[string]config.TideContextPolicy{"main": {FromBranchProtection: &yes}}}}}}}},
			nil},
		{"gerrit and prioritize_existing_batches are not", config.Tide{Gerrit: json.RawMessage(`{}`), PrioritizeExistingBatchesMap: map[string]bool{"*": true}},
			[]string{"tide.gerrit", "tide.prioritize_existing_batches"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Unsupported(&tc.tide); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Unsupported = %q, want %q", got, tc.want)
			}
		})
	}
}
