package branchprotector

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/github"
)

// excluded says whether p's exclude or include regexes (unanchored, as
// Prow reads them) keep branch out of management.
func excluded(p config.Policy, branch string) (bool, error) {
	for _, ex := range p.Exclude {
		m, err := regexp.MatchString(ex, branch)
		if err != nil {
			return false, fmt.Errorf("exclude %q: %w", ex, err)
		}
		if m {
			return true, nil
		}
	}
	if len(p.Include) == 0 {
		return false, nil
	}
	for _, in := range p.Include {
		m, err := regexp.MatchString(in, branch)
		if err != nil {
			return false, fmt.Errorf("include %q: %w", in, err)
		}
		if m {
			return false, nil
		}
	}
	return true, nil
}

// Desired is the protection rule a managed policy asks GitHub for. As in
// Prow, required reviews without a positive approval count are not
// required at all.
func Desired(p config.Policy) github.BranchProtection {
	on := func(b *bool) bool { return b != nil && *b }
	if !on(p.Protect) {
		return github.BranchProtection{}
	}
	out := github.BranchProtection{Protected: true, EnforceAdmins: on(p.Admins), LinearHistory: on(p.RequiredLinearHistory),
		AllowForcePushes: on(p.AllowForcePushes), AllowDeletions: on(p.AllowDeletions)}
	if c := p.RequiredStatusChecks; c != nil {
		out.RequiredContexts, out.Strict = sorted(c.Contexts), on(c.Strict)
	}
	if r := p.RequiredPullRequestReviews; r != nil && r.Approvals != nil && *r.Approvals > 0 {
		out.ReviewsRequired, out.RequiredApprovals = true, *r.Approvals
		out.DismissStaleReviews, out.RequireCodeOwnerReviews = on(r.DismissStale), on(r.RequireOwners)
	}
	if r := p.Restrictions; r != nil {
		out.Restrictions = &github.Restrictions{Users: sorted(r.Users), Teams: sorted(r.Teams), Apps: sorted(r.Apps)}
	}
	return out
}

// sorted is a sorted copy of s, never nil.
func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

// normal is p in a form that compares equal to every rule that means the
// same: lists sorted, review details dropped when reviews are not
// required, everything dropped when unprotected.
func normal(p github.BranchProtection) github.BranchProtection {
	if !p.Protected {
		return github.BranchProtection{}
	}
	p.Partial = false
	p.RequiredContexts = sorted(p.RequiredContexts)
	if !p.ReviewsRequired {
		p.RequiredApprovals, p.DismissStaleReviews, p.RequireCodeOwnerReviews = 0, false, false
	}
	if r := p.Restrictions; r != nil {
		p.Restrictions = &github.Restrictions{Users: lower(r.Users), Teams: lower(r.Teams), Apps: lower(r.Apps)}
	}
	return p
}

func lower(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strings.ToLower(v)
	}
	sort.Strings(out)
	return out
}

// Changes lists, in words, what turns current into desired; none when
// they mean the same. A rule read without admin permission (Partial)
// is not known in full, so it is always rewritten.
func Changes(current, desired github.BranchProtection) []string {
	partial := current.Partial
	c, d := normal(current), normal(desired)
	switch {
	case !c.Protected && !d.Protected:
		return nil
	case !d.Protected:
		return []string{"remove protection"}
	case !c.Protected:
		return append([]string{"protect"}, describe(github.BranchProtection{Protected: true}, d)...)
	}
	out := describe(c, d)
	if len(out) == 0 && partial {
		out = []string{"rewrite the rule (it could not be read in full)"}
	}
	return out
}

// describe names each setting that differs between two protected rules.
func describe(c, d github.BranchProtection) []string {
	var out []string
	for _, f := range []struct {
		name     string
		changed  bool
		from, to any
	}{
		{"required contexts", !slices.Equal(c.RequiredContexts, d.RequiredContexts), c.RequiredContexts, d.RequiredContexts},
		{"strict", c.Strict != d.Strict, c.Strict, d.Strict},
		{"required approving reviews", c.ReviewsRequired != d.ReviewsRequired || c.RequiredApprovals != d.RequiredApprovals, c.RequiredApprovals, d.RequiredApprovals},
		{"dismiss stale reviews", c.DismissStaleReviews != d.DismissStaleReviews, c.DismissStaleReviews, d.DismissStaleReviews},
		{"require code owner reviews", c.RequireCodeOwnerReviews != d.RequireCodeOwnerReviews, c.RequireCodeOwnerReviews, d.RequireCodeOwnerReviews},
		{"enforce admins", c.EnforceAdmins != d.EnforceAdmins, c.EnforceAdmins, d.EnforceAdmins},
		{"required linear history", c.LinearHistory != d.LinearHistory, c.LinearHistory, d.LinearHistory},
		{"allow force pushes", c.AllowForcePushes != d.AllowForcePushes, c.AllowForcePushes, d.AllowForcePushes},
		{"allow deletions", c.AllowDeletions != d.AllowDeletions, c.AllowDeletions, d.AllowDeletions},
		{"push restrictions", !sameRestrictions(c.Restrictions, d.Restrictions), restrictionsText(c.Restrictions), restrictionsText(d.Restrictions)},
	} {
		if f.changed {
			out = append(out, fmt.Sprintf("%s: %v -> %v", f.name, f.from, f.to))
		}
	}
	return out
}

func sameRestrictions(a, b *github.Restrictions) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.Equal(a.Users, b.Users) && slices.Equal(a.Teams, b.Teams) && slices.Equal(a.Apps, b.Apps)
}

func restrictionsText(r *github.Restrictions) string {
	if r == nil {
		return "none"
	}
	return fmt.Sprintf("users %v, teams %v, apps %v", r.Users, r.Teams, r.Apps)
}
