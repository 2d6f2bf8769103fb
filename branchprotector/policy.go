package branchprotector

import (
	"fmt"
	"slices"
	"sort"

	"github.com/prowbot/prow/config"
)

// Merge applies child over parent as Prow does: a setting the child sets
// wins, lists (contexts, restrictions, exclude, include) add up.
func Merge(parent, child config.Policy) config.Policy {
	return config.Policy{
		Unmanaged:                    pick(parent.Unmanaged, child.Unmanaged),
		Protect:                      pick(parent.Protect, child.Protect),
		RequiredStatusChecks:         mergeContexts(parent.RequiredStatusChecks, child.RequiredStatusChecks),
		Admins:                       pick(parent.Admins, child.Admins),
		Restrictions:                 mergeRestrictions(parent.Restrictions, child.Restrictions),
		RequiredPullRequestReviews:   mergeReviews(parent.RequiredPullRequestReviews, child.RequiredPullRequestReviews),
		RequiredLinearHistory:        pick(parent.RequiredLinearHistory, child.RequiredLinearHistory),
		AllowForcePushes:             pick(parent.AllowForcePushes, child.AllowForcePushes),
		AllowDeletions:               pick(parent.AllowDeletions, child.AllowDeletions),
		RequireManuallyTriggeredJobs: pick(parent.RequireManuallyTriggeredJobs, child.RequireManuallyTriggeredJobs),
		RequireSignedCommits:         pick(parent.RequireSignedCommits, child.RequireSignedCommits),
		Exclude:                      union(parent.Exclude, child.Exclude),
		Include:                      union(parent.Include, child.Include),
	}
}

// pick is child when set, else parent.
func pick[T any](parent, child *T) *T {
	if child != nil {
		return child
	}
	return parent
}

// union is a followed by the entries of b it lacks; nil when both are
// empty.
func union(a, b []string) []string {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func mergeContexts(parent, child *config.ContextPolicy) *config.ContextPolicy {
	if parent == nil || child == nil {
		return pick(parent, child)
	}
	return &config.ContextPolicy{Contexts: union(parent.Contexts, child.Contexts), Strict: pick(parent.Strict, child.Strict)}
}

func mergeRestrictions(parent, child *config.Restrictions) *config.Restrictions {
	if parent == nil || child == nil {
		return pick(parent, child)
	}
	return &config.Restrictions{Apps: union(parent.Apps, child.Apps), Users: union(parent.Users, child.Users), Teams: union(parent.Teams, child.Teams)}
}

func mergeReviews(parent, child *config.ReviewPolicy) *config.ReviewPolicy {
	if parent == nil || child == nil {
		return pick(parent, child)
	}
	return &config.ReviewPolicy{
		DismissalRestrictions: mergeDismissal(parent.DismissalRestrictions, child.DismissalRestrictions),
		DismissStale:          pick(parent.DismissStale, child.DismissStale),
		RequireOwners:         pick(parent.RequireOwners, child.RequireOwners),
		Approvals:             pick(parent.Approvals, child.Approvals),
		BypassRestrictions:    mergeBypass(parent.BypassRestrictions, child.BypassRestrictions),
	}
}

func mergeDismissal(parent, child *config.DismissalRestrictions) *config.DismissalRestrictions {
	if parent == nil || child == nil {
		return pick(parent, child)
	}
	return &config.DismissalRestrictions{Users: union(parent.Users, child.Users), Teams: union(parent.Teams, child.Teams)}
}

func mergeBypass(parent, child *config.BypassRestrictions) *config.BypassRestrictions {
	if parent == nil || child == nil {
		return pick(parent, child)
	}
	return &config.BypassRestrictions{Users: union(parent.Users, child.Users), Teams: union(parent.Teams, child.Teams)}
}

// Requirements sorts the status contexts of a repository's presubmits
// that could run against branch, as Prow's branchprotector does:
// Required are the contexts GitHub can require (jobs that report, are not
// optional and always run, or, with requireManual, only run when asked
// for); Conditional the reporting, non-optional jobs that run only for
// some changes, whose context may never appear, so GitHub must not
// require it (tide does, when present); Optional the rest that report.
type Requirements struct {
	Required, Conditional, Optional []string
}

// BranchRequirements computes the Requirements of presubmits on branch.
func BranchRequirements(branch string, presubmits []config.Presubmit, requireManual bool) Requirements {
	var r Requirements
	for _, ps := range presubmits {
		if !ps.CouldRun(branch) || ps.SkipReport {
			continue
		}
		switch {
		case ps.Optional:
			r.Optional = append(r.Optional, ps.Context)
		case ps.AlwaysRun, requireManual && ps.NeedsExplicitTrigger():
			r.Required = append(r.Required, ps.Context)
		default:
			r.Conditional = append(r.Conditional, ps.Context)
		}
	}
	sort.Strings(r.Required)
	return r
}

// defined says whether p asks anything of a branch beyond protect.
func defined(p config.Policy) bool {
	return p.RequiredStatusChecks != nil || p.Admins != nil || p.Restrictions != nil || p.RequiredPullRequestReviews != nil ||
		p.RequiredLinearHistory != nil || p.AllowForcePushes != nil || p.AllowDeletions != nil
}

// Settings are the branch-protection switches that are not policies.
type Settings struct {
	ProtectTested, ProtectReposWithOptionalJobs, AllowDisabledPolicies, AllowDisabledJobPolicies bool
}

// settingsOf reads the switches of bp.
func settingsOf(bp *config.BranchProtection) Settings {
	on := func(b *bool) bool { return b != nil && *b }
	return Settings{ProtectTested: on(bp.ProtectTested), ProtectReposWithOptionalJobs: on(bp.ProtectReposWithOptionalJobs),
		AllowDisabledPolicies: on(bp.AllowDisabledPolicies), AllowDisabledJobPolicies: on(bp.AllowDisabledJobPolicies)}
}

// BranchPolicy is the policy for one branch, the levels merged top to
// bottom and the required presubmits' contexts added, as Prow computes
// it. It is nil when the branch is not managed: unmanaged, excluded (or
// not included), or no level says whether to protect it. Protect false
// with anything else set is an error unless the matching
// allow_disabled_* switch says to drop the rest.
func BranchPolicy(s Settings, levels []config.Policy, branch string, presubmits []config.Presubmit) (*config.Policy, error) {
	var p config.Policy
	for _, l := range levels {
		p = Merge(p, l)
	}
	if p.Unmanaged != nil && *p.Unmanaged {
		return nil, nil
	}
	if skip, err := excluded(p, branch); skip || err != nil {
		return nil, err
	}
	return withJobs(s, p, BranchRequirements(branch, presubmits, p.RequireManuallyTriggeredJobs != nil && *p.RequireManuallyTriggeredJobs))
}

// withJobs adds the required jobs' contexts to a merged, managed policy
// and checks what protect: false leaves.
func withJobs(s Settings, p config.Policy, req Requirements) (*config.Policy, error) {
	disabled := p.Protect != nil && !*p.Protect
	if len(req.Required) > 0 {
		if disabled {
			if !s.AllowDisabledJobPolicies {
				return nil, fmt.Errorf("required jobs (%v) but protect: false (allow_disabled_job_policies permits it)", req.Required)
			}
			return &config.Policy{Protect: p.Protect}, nil
		}
		add := config.Policy{RequiredStatusChecks: &config.ContextPolicy{Contexts: req.Required}}
		if s.ProtectTested {
			add.Protect = ptr(true)
		}
		p = Merge(p, add)
	} else if s.ProtectTested && s.ProtectReposWithOptionalJobs && len(req.Optional) > 0 && p.Protect == nil {
		p.Protect = ptr(true)
	}
	if disabled && defined(p) {
		if !s.AllowDisabledPolicies {
			return nil, fmt.Errorf("a policy but protect: false (allow_disabled_policies permits it)")
		}
		return &config.Policy{Protect: p.Protect}, nil
	}
	if p.Protect == nil {
		return nil, nil
	}
	return &p, nil
}

func ptr[T any](v T) *T { return &v }
