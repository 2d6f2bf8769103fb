package tide

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/words"
)

// ScopeSearch is the GitHub search that finds every open pull request a
// query covers, whatever it lacks: the repositories and orgs, less the
// excluded repositories. Labels, author, milestone, branches and reviews
// are checked on the results, so that a pull request missing a label is
// found too and its status can say so.
func ScopeSearch(q config.TideQuery) string {
	terms := []string{"is:pr", "state:open", "archived:false"}
	for _, o := range sorted(q.Orgs) {
		terms = append(terms, fmt.Sprintf("org:%q", o))
	}
	for _, r := range sorted(q.Repos) {
		terms = append(terms, fmt.Sprintf("repo:%q", r))
	}
	for _, r := range sorted(q.ExcludedRepos) {
		terms = append(terms, fmt.Sprintf("-repo:%q", r))
	}
	return strings.Join(terms, " ")
}

func sorted(in []string) []string {
	out := slices.Clone(in)
	sort.Strings(out)
	return out
}

// Covers says whether the query's scope includes org/repo.
func Covers(q config.TideQuery, org, repo string) bool {
	full := org + "/" + repo
	for _, r := range q.ExcludedRepos {
		if strings.EqualFold(r, full) {
			return false
		}
	}
	for _, r := range q.Repos {
		if strings.EqualFold(r, full) {
			return true
		}
	}
	for _, o := range q.Orgs {
		if strings.EqualFold(o, org) {
			return true
		}
	}
	return false
}

// branchAllowed applies includedBranches and excludedBranches (exact
// names, as in Prow).
func branchAllowed(q config.TideQuery, branch string) bool {
	if len(q.IncludedBranches) > 0 {
		return slices.Contains(q.IncludedBranches, branch)
	}
	return !slices.Contains(q.ExcludedBranches, branch)
}

// queryDiff lists what pr lacks to match q, each a sentence of the tide
// status, and how many requirements are unmet.
func queryDiff(q config.TideQuery, pr PR) (reasons []string, count int) {
	var missing, unwanted []string
	for _, entry := range q.Labels {
		if !pr.hasAnyLabel(entry) {
			missing = append(missing, strings.Join(strings.Split(entry, ","), " or "))
		}
	}
	for _, l := range q.MissingLabels {
		if pr.HasLabel(l) {
			unwanted = append(unwanted, l)
		}
	}
	if len(missing) > 0 {
		reasons = append(reasons, fmt.Sprintf("Needs %s %s.", strings.Join(missing, ", "), words.Plural(len(missing), "label", "labels")))
	}
	if len(unwanted) > 0 {
		reasons = append(reasons, fmt.Sprintf("Should not have %s %s.", strings.Join(unwanted, ", "), words.Plural(len(unwanted), "label", "labels")))
	}
	count = len(missing) + len(unwanted)
	add := func(cond bool, reason string) {
		if cond {
			reasons, count = append(reasons, reason), count+1
		}
	}
	add(q.Author != "" && !strings.EqualFold(q.Author, pr.Author), fmt.Sprintf("Must be by author %s.", q.Author))
	add(q.Milestone != "" && q.Milestone != pr.Milestone, fmt.Sprintf("Must be in milestone %s.", q.Milestone))
	add(!branchAllowed(q, pr.BaseRef), fmt.Sprintf("Merging to branch %s is forbidden.", pr.BaseRef))
	add(q.ReviewApprovedRequired && !pr.ReviewApproved, "PullRequest is missing sufficient approving GitHub review(s).")
	return reasons, count
}
