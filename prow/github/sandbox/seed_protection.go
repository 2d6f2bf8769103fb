package sandbox

import (
	"slices"

	"github.com/prowbot/prow/prow/mapkeys"
)

// SeedProtection is a branch's protection rule, as
// PUT /repos/{owner}/{repo}/branches/{branch}/protection sets it:
//
//	protection:
//	  main:
//	    required_contexts: [unit]
//	    strict: true
//	    required_approving_review_count: 1
type SeedProtection struct {
	// RequiredContexts must each be green (a successful status or check
	// run) on a pull request's head before it merges.
	RequiredContexts []string `json:"required_contexts,omitempty"`
	// Strict also requires the head to contain the branch's tip.
	Strict bool `json:"strict,omitempty"`
	// RequiredApprovingReviewCount approvals by reviewers with write
	// access are needed (none when 0), and no request for changes.
	RequiredApprovingReviewCount int `json:"required_approving_review_count,omitempty"`
	// DismissStaleReviews: a push to the head dismisses its approvals.
	DismissStaleReviews bool `json:"dismiss_stale_reviews,omitempty"`
	// EnforceAdmins applies the rule to admins as well.
	EnforceAdmins bool `json:"enforce_admins,omitempty"`
	// PushUsers and PushTeams (slugs), when either is set, are the only
	// ones who may push to the branch, and so merge into it.
	PushUsers []string `json:"push_users,omitempty"`
	PushTeams []string `json:"push_teams,omitempty"`
}

func (sp SeedProtection) rule() *protection {
	return &protection{StatusChecks: len(sp.RequiredContexts) > 0 || sp.Strict, Strict: sp.Strict, Contexts: slices.Clone(sp.RequiredContexts),
		Reviews: sp.RequiredApprovingReviewCount > 0, ApprovalCount: sp.RequiredApprovingReviewCount, DismissStale: sp.DismissStaleReviews,
		EnforceAdmins: sp.EnforceAdmins, Restricted: len(sp.PushUsers) > 0 || len(sp.PushTeams) > 0,
		RestrictUsers: slices.Clone(sp.PushUsers), RestrictTeams: slices.Clone(sp.PushTeams)}
}

// checkProtection checks that every protected branch exists and each
// rule makes sense.
func (c *seedChecker) checkProtection(where string, r SeedRepo, facts *seedRepoFacts) {
	for _, branch := range mapkeys.Sorted(r.Protection) {
		if !facts.branches[branch] {
			c.fail(where, "protection: branch %q is not a branch of the repository", branch)
		}
		if n := r.Protection[branch].RequiredApprovingReviewCount; n < 0 || n > 6 {
			c.fail(where, "protection of %s: required_approving_review_count %d is not between 0 and 6", branch, n)
		}
	}
}
