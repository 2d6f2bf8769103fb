package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	gh "github.com/google/go-github/v60/github"
)

// BranchProtection is what a branch's protection asks of a pull request
// before it merges. The zero value is an unprotected branch.
type BranchProtection struct {
	// Protected says whether the branch has a protection rule at all.
	Protected bool
	// RequiredContexts must be green on the head (statuses or check
	// runs); Strict also requires the head to contain the branch's tip.
	RequiredContexts []string
	Strict           bool
	// ReviewsRequired: RequiredApprovals approvals by reviewers with
	// write access are needed; with DismissStaleReviews, of the head.
	ReviewsRequired     bool
	RequiredApprovals   int
	DismissStaleReviews bool
	// RequireCodeOwnerReviews also asks for an approval by a code owner.
	RequireCodeOwnerReviews bool
	// EnforceAdmins applies the rule to admins as well.
	EnforceAdmins bool
	// LinearHistory refuses merge commits; AllowForcePushes and
	// AllowDeletions let those with push access force-push to or delete
	// the branch.
	LinearHistory    bool
	AllowForcePushes bool
	AllowDeletions   bool
	// Restrictions, when set, name the only users, teams (by slug) and
	// apps (by slug) that may push to the branch.
	Restrictions *Restrictions
	// Partial says the rule was read without admin permission, from the
	// branch itself: only Protected and RequiredContexts are known.
	Partial bool
}

// Restrictions name who may push to a protected branch.
type Restrictions struct {
	Users, Teams, Apps []string
}

// GetBranchProtection reads the protection of org/repo's branch. An
// unprotected branch is the zero BranchProtection, not an error. Without
// admin permission GitHub hides the rule; the branch itself still shows
// whether it is protected and its required contexts, which are returned
// with Partial set. Repeated reads are conditional, as every read.
func (c *Client) GetBranchProtection(ctx context.Context, org, repo, branch string) (BranchProtection, error) {
	p, _, err := c.gh.Repositories.GetBranchProtection(ctx, org, repo, branch)
	switch {
	case errors.Is(err, gh.ErrBranchNotProtected):
		return BranchProtection{}, nil
	case notFound(err):
		return c.branchProtectionSummary(ctx, org, repo, branch)
	case err != nil:
		return BranchProtection{}, fmt.Errorf("get protection of %s/%s:%s: %w", org, repo, branch, err)
	}
	out := BranchProtection{Protected: true, EnforceAdmins: p.GetEnforceAdmins().Enabled,
		LinearHistory: p.GetRequireLinearHistory().Enabled, AllowForcePushes: p.GetAllowForcePushes().Enabled,
		AllowDeletions: p.GetAllowDeletions().Enabled, Restrictions: restrictionsOf(p.GetRestrictions())}
	if s := p.GetRequiredStatusChecks(); s != nil {
		out.Strict = s.Strict
		seen := map[string]bool{}
		if s.Contexts != nil {
			for _, ctx := range *s.Contexts {
				seen[ctx] = true
				out.RequiredContexts = append(out.RequiredContexts, ctx)
			}
		}
		if s.Checks != nil {
			for _, ch := range *s.Checks {
				if !seen[ch.Context] {
					seen[ch.Context] = true
					out.RequiredContexts = append(out.RequiredContexts, ch.Context)
				}
			}
		}
	}
	if r := p.GetRequiredPullRequestReviews(); r != nil {
		out.ReviewsRequired, out.RequiredApprovals, out.DismissStaleReviews = true, r.RequiredApprovingReviewCount, r.DismissStaleReviews
		out.RequireCodeOwnerReviews = r.RequireCodeOwnerReviews
	}
	return out, nil
}

// branchSummary is the part of GET .../branches/{branch} that readers
// see of its protection.
type branchSummary struct {
	Protected  bool `json:"protected"`
	Protection struct {
		RequiredStatusChecks struct {
			Contexts []string `json:"contexts"`
		} `json:"required_status_checks"`
	} `json:"protection"`
}

func (c *Client) branchProtectionSummary(ctx context.Context, org, repo, branch string) (BranchProtection, error) {
	u := fmt.Sprintf("repos/%s/%s/branches/%s", url.PathEscape(org), url.PathEscape(repo), url.PathEscape(branch))
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return BranchProtection{}, fmt.Errorf("get branch %s/%s:%s: %w", org, repo, branch, err)
	}
	var b branchSummary
	if _, err := c.gh.Do(ctx, req, &b); err != nil {
		return BranchProtection{}, fmt.Errorf("get branch %s/%s:%s: %w", org, repo, branch, err)
	}
	if !b.Protected {
		return BranchProtection{}, nil
	}
	return BranchProtection{Protected: true, RequiredContexts: b.Protection.RequiredStatusChecks.Contexts, Partial: true}, nil
}

// UpdateBranchProtection sets the protection of org/repo's branch to p
// (admins only); status checks are required when p names contexts or is
// strict, reviews when ReviewsRequired. An unprotected p removes the
// protection.
func (c *Client) UpdateBranchProtection(ctx context.Context, org, repo, branch string, p BranchProtection) error {
	if !p.Protected {
		return c.RemoveBranchProtection(ctx, org, repo, branch)
	}
	req := &gh.ProtectionRequest{EnforceAdmins: p.EnforceAdmins, RequireLinearHistory: &p.LinearHistory,
		AllowForcePushes: &p.AllowForcePushes, AllowDeletions: &p.AllowDeletions}
	if r := p.Restrictions; r != nil {
		req.Restrictions = &gh.BranchRestrictionsRequest{Users: orEmpty(r.Users), Teams: orEmpty(r.Teams), Apps: orEmpty(r.Apps)}
	}
	if len(p.RequiredContexts) > 0 || p.Strict {
		contexts := append([]string{}, p.RequiredContexts...)
		req.RequiredStatusChecks = &gh.RequiredStatusChecks{Strict: p.Strict, Contexts: &contexts}
	}
	if p.ReviewsRequired {
		req.RequiredPullRequestReviews = &gh.PullRequestReviewsEnforcementRequest{
			RequiredApprovingReviewCount: p.RequiredApprovals, DismissStaleReviews: p.DismissStaleReviews,
			RequireCodeOwnerReviews: p.RequireCodeOwnerReviews}
	}
	if _, _, err := c.gh.Repositories.UpdateBranchProtection(ctx, org, repo, branch, req); err != nil {
		return fmt.Errorf("protect %s/%s:%s: %w", org, repo, branch, err)
	}
	return nil
}

// RemoveBranchProtection removes the protection of org/repo's branch;
// removing none is no error.
func (c *Client) RemoveBranchProtection(ctx context.Context, org, repo, branch string) error {
	_, err := c.gh.Repositories.RemoveBranchProtection(ctx, org, repo, branch)
	if err != nil && !notProtected(err) {
		return fmt.Errorf("remove protection of %s/%s:%s: %w", org, repo, branch, err)
	}
	return nil
}

// notProtected says whether err is GitHub's 404 Branch not protected.
func notProtected(err error) bool {
	var e *gh.ErrorResponse
	return errors.Is(err, gh.ErrBranchNotProtected) || (notFound(err) && errors.As(err, &e) && e.Message == "Branch not protected")
}

// restrictionsOf turns GitHub's push restrictions into logins and slugs.
func restrictionsOf(r *gh.BranchRestrictions) *Restrictions {
	if r == nil {
		return nil
	}
	out := &Restrictions{Users: []string{}, Teams: []string{}, Apps: []string{}}
	for _, u := range r.Users {
		out.Users = append(out.Users, u.GetLogin())
	}
	for _, t := range r.Teams {
		out.Teams = append(out.Teams, t.GetSlug())
	}
	for _, a := range r.Apps {
		out.Apps = append(out.Apps, a.GetSlug())
	}
	return out
}

// orEmpty is s, or an empty list where s is nil: GitHub wants the lists
// of a restrictions object present.
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
