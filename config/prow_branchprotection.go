package config

// BranchProtection configures GitHub branch protection, applied by the
// branch protector.
type BranchProtection struct {
	Policy                       `json:",inline"`
	AllowDisabledPolicies        *bool          `json:"allow_disabled_policies,omitempty"`
	AllowDisabledJobPolicies     *bool          `json:"allow_disabled_job_policies,omitempty"`
	ProtectTested                *bool          `json:"protect-tested-repos,omitempty"`
	ProtectReposWithOptionalJobs *bool          `json:"protect_repos_with_optional_jobs,omitempty"`
	Orgs                         map[string]Org `json:"orgs,omitempty"`
}

// Policy is a branch protection policy; a level's policy applies below it
// unless overridden.
type Policy struct {
	Unmanaged                    *bool          `json:"unmanaged,omitempty"`
	Protect                      *bool          `json:"protect,omitempty"`
	RequiredStatusChecks         *ContextPolicy `json:"required_status_checks,omitempty"`
	Admins                       *bool          `json:"enforce_admins,omitempty"`
	Restrictions                 *Restrictions  `json:"restrictions,omitempty"`
	RequiredPullRequestReviews   *ReviewPolicy  `json:"required_pull_request_reviews,omitempty"`
	RequiredLinearHistory        *bool          `json:"required_linear_history,omitempty"`
	AllowForcePushes             *bool          `json:"allow_force_pushes,omitempty"`
	AllowDeletions               *bool          `json:"allow_deletions,omitempty"`
	RequireManuallyTriggeredJobs *bool          `json:"require_manually_triggered_jobs,omitempty"`
	RequireSignedCommits         *bool          `json:"require_signed_commits,omitempty"`
	Exclude                      []string       `json:"exclude,omitempty"`
	Include                      []string       `json:"include,omitempty"`
}

// ContextPolicy lists required status contexts.
type ContextPolicy struct {
	Contexts []string `json:"contexts,omitempty"`
	Strict   *bool    `json:"strict,omitempty"`
}

// ReviewPolicy configures required reviews.
type ReviewPolicy struct {
	DismissalRestrictions *DismissalRestrictions `json:"dismissal_restrictions,omitempty"`
	DismissStale          *bool                  `json:"dismiss_stale_reviews,omitempty"`
	RequireOwners         *bool                  `json:"require_code_owner_reviews,omitempty"`
	Approvals             *int                   `json:"required_approving_review_count,omitempty"`
	BypassRestrictions    *BypassRestrictions    `json:"bypass_pull_request_allowances,omitempty"`
}

// DismissalRestrictions name who may dismiss reviews.
type DismissalRestrictions struct {
	Users []string `json:"users,omitempty"`
	Teams []string `json:"teams,omitempty"`
}

// BypassRestrictions name who may skip required reviews.
type BypassRestrictions struct {
	Users []string `json:"users,omitempty"`
	Teams []string `json:"teams,omitempty"`
}

// Restrictions name who may push.
type Restrictions struct {
	Apps  []string `json:"apps,omitempty"`
	Users []string `json:"users,omitempty"`
	Teams []string `json:"teams,omitempty"`
}

// Org is an org's policy and its repos'.
type Org struct {
	Policy `json:",inline"`
	Repos  map[string]Repo `json:"repos,omitempty"`
}

// Repo is a repo's policy and its branches'.
type Repo struct {
	Policy   `json:",inline"`
	Branches map[string]Branch `json:"branches,omitempty"`
}

// Branch is a branch's policy.
type Branch struct {
	Policy `json:",inline"`
}

// RequiredContexts are the status contexts branch-protection requires on
// org/repo's branch, as Prow's tide reads them for from-branch-protection:
// the contexts of every level (top, org, repo, branch) add up, and the
// lowest level that sets protect decides whether the branch is protected
// at all (none when it is not, or when it is unmanaged).
func (bp *BranchProtection) RequiredContexts(org, repo, branch string) []string {
	levels := []Policy{bp.Policy}
	if o, ok := bp.Orgs[org]; ok {
		levels = append(levels, o.Policy)
		if r, ok := o.Repos[repo]; ok {
			levels = append(levels, r.Policy)
			if b, ok := r.Branches[branch]; ok {
				levels = append(levels, b.Policy)
			}
		}
	}
	protect, unmanaged := false, false
	var out []string
	seen := map[string]bool{}
	for _, p := range levels {
		if p.Protect != nil {
			protect = *p.Protect
		}
		if p.Unmanaged != nil {
			unmanaged = *p.Unmanaged
		}
		if p.RequiredStatusChecks == nil {
			continue
		}
		for _, c := range p.RequiredStatusChecks.Contexts {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	if !protect || unmanaged {
		return nil
	}
	return out
}
