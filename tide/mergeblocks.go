package tide

import (
	"strings"

	"github.com/prowbot/prow/config"
)

// The values of github_merge_blocks_policy.
const (
	// MergeBlocksIgnore: GitHub's blocked state plays no part.
	MergeBlocksIgnore = "ignore"
	// MergeBlocksPermit: a blocked pull request stays in the pool and
	// tide tries the merge; its status says it is blocked.
	MergeBlocksPermit = "permit"
	// MergeBlocksBlock: a blocked pull request is out of the pool.
	MergeBlocksBlock = "block"
)

// Status texts of the merge blocks policy.
const (
	inPoolDespiteBlocked = "In merge pool (despite BLOCKED)."
	blockedByGitHub      = "Merging is blocked by GitHub."
)

// MergeBlocksPolicy is github_merge_blocks_policy for org/repo: the
// org/repo entry, else the org's, else "*", else permit, as Prow.
func MergeBlocksPolicy(t *config.Tide, org, repo string) string {
	for _, key := range []string{org + "/" + repo, org, "*"} {
		if p, ok := t.GitHubMergeBlocksPolicy[key]; ok && p != "" {
			return p
		}
	}
	return MergeBlocksPermit
}

// githubBlocked says whether GitHub reports the pull request's merge as
// blocked (by branch protection or rules).
func githubBlocked(pr PR) bool { return strings.EqualFold(pr.MergeState, "blocked") }

// statusQueryReasons is what the status says the pull request lacks for
// the queries: the closest query's lacks, or with
// display_all_tide_queries_in_status every query's; best is -1 when no
// query covers its repository.
func statusQueryReasons(t *config.Tide, pr PR) (reasons []string, best int) {
	reasons, best = queryReasons(t.Queries, pr)
	if t.DisplayAllQueriesInStatus && len(reasons) > 0 {
		reasons = allQueryReasons(t.Queries, pr)
	}
	return reasons, best
}

// allQueryReasons is, for display_all_tide_queries_in_status, what the
// pull request lacks for each query covering its repository, the queries
// joined by OR; nil when it matches one.
func allQueryReasons(queries []config.TideQuery, pr PR) []string {
	var parts []string
	seen := map[string]bool{}
	for _, q := range queries {
		if !Covers(q, pr.Org, pr.Repo) {
			continue
		}
		r, n := queryDiff(q, pr)
		if n == 0 {
			return nil
		}
		part := strings.Join(r, " ")
		if !seen[part] {
			seen[part] = true
			parts = append(parts, part)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return []string{strings.Join(parts, " OR ")}
}
