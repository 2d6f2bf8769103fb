package tide

import (
	"sort"

	"github.com/prowbot/prow/config"
)

// Unsupported names the tide settings the configuration sets that tide
// accepts but does not act on yet, so that checkconfig and the start-up
// log can say so.
func Unsupported(t *config.Tide) []string {
	var out []string
	add := func(set bool, key string) {
		if set {
			out = append(out, key)
		}
	}
	add(len(t.PrioritizeExistingBatchesMap) > 0, "tide.prioritize_existing_batches")
	add(len(t.GitHubMergeBlocksPolicy) > 0, "tide.github_merge_blocks_policy")
	add(t.DisplayAllQueriesInStatus, "tide.display_all_tide_queries_in_status")
	add(len(t.Gerrit) > 0, "tide.gerrit")
	add(fromBranchProtection(t.ContextOptions), "tide.context_options from-branch-protection")
	sort.Strings(out)
	return out
}

func fromBranchProtection(o config.TideContextPolicyOptions) bool {
	set := func(p config.TideContextPolicy) bool { return p.FromBranchProtection != nil && *p.FromBranchProtection }
	if set(o.TideContextPolicy) {
		return true
	}
	for _, org := range o.Orgs {
		if set(org.TideContextPolicy) {
			return true
		}
		for _, repo := range org.Repos {
			if set(repo.TideContextPolicy) {
				return true
			}
			for _, b := range repo.Branches {
				if set(b) {
					return true
				}
			}
		}
	}
	return false
}
