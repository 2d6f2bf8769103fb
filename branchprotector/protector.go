package branchprotector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/mapkeys"
)

// GitHub is what the protector needs of GitHub.
type GitHub interface {
	ListOrgRepos(ctx context.Context, org string) ([]github.RepoSummary, error)
	ListBranches(ctx context.Context, org, repo string) ([]github.Branch, error)
	GetBranchProtection(ctx context.Context, org, repo, branch string) (github.BranchProtection, error)
	UpdateBranchProtection(ctx context.Context, org, repo, branch string, p github.BranchProtection) error
}

// Protector applies one configuration's branch protection.
type Protector struct {
	GitHub GitHub
	Config *config.Config
	// Confirm applies the plan; without it the plan is only printed.
	Confirm bool
	// Out receives the plan, one block per branch that changes.
	Out    io.Writer
	Logger *logrus.Entry
}

// Step is what one branch needs.
type Step struct {
	Org, Repo, Branch string
	Changes           []string
	Desired           github.BranchProtection
}

// Result sums up a run.
type Result struct {
	// Steps are the branches that needed (or, confirmed, got) a change.
	Steps []Step
	// UpToDate counts the managed branches already as configured.
	UpToDate int
}

// Run plans every managed branch and, with Confirm, applies the plan. A
// failing repository or branch does not stop the others; the errors are
// returned together at the end.
func (p *Protector) Run(ctx context.Context) (Result, error) {
	var res Result
	var errs []error
	repos, err := p.repos(ctx)
	if err != nil {
		errs = append(errs, err)
	}
	for _, r := range repos {
		if err := p.repo(ctx, r[0], r[1], &res); err != nil {
			errs = append(errs, err)
		}
	}
	p.summary(res)
	return res, errors.Join(errs...)
}

// repos lists the managed repositories: every unarchived repository of an
// org whose policy says whether to protect, the listed ones of the other
// orgs, and with protect-tested-repos every repository with presubmits.
func (p *Protector) repos(ctx context.Context) ([][2]string, error) {
	bp := p.Config.BranchProtection
	var out [][2]string
	seen := map[string]bool{}
	add := func(org, repo string) {
		if k := org + "/" + repo; !seen[k] {
			seen[k] = true
			out = append(out, [2]string{org, repo})
		}
	}
	var errs []error
	for _, org := range mapkeys.Sorted(bp.Orgs) {
		o := bp.Orgs[org]
		if Merge(bp.Policy, o.Policy).Protect == nil {
			for _, repo := range mapkeys.Sorted(o.Repos) {
				add(org, repo)
			}
			continue
		}
		if err := github.EachActiveRepo(ctx, p.GitHub, org, add); err != nil {
			errs = append(errs, err)
		}
	}
	if bp.ProtectTested != nil && *bp.ProtectTested {
		for _, key := range mapkeys.Sorted(p.Config.Presubmits) {
			if org, repo, ok := strings.Cut(key, "/"); ok {
				add(org, repo)
			}
		}
	}
	return out, errors.Join(errs...)
}

// repo plans (and applies) every branch of org/repo.
func (p *Protector) repo(ctx context.Context, org, repo string, res *Result) error {
	bp := p.Config.BranchProtection
	o := bp.Orgs[org]
	r := o.Repos[repo]
	branches, err := p.GitHub.ListBranches(ctx, org, repo)
	if err != nil {
		return err
	}
	presubmits := p.Config.PresubmitsFor(org, repo)
	var errs []error
	for _, b := range branches {
		levels := []config.Policy{bp.Policy, o.Policy, r.Policy, r.Branches[b.Name].Policy}
		policy, err := BranchPolicy(settingsOf(&bp), levels, b.Name, presubmits)
		if err != nil {
			errs = append(errs, fmt.Errorf("branch protection of %s/%s:%s: %w", org, repo, b.Name, err))
			continue
		}
		if policy == nil {
			continue
		}
		if err := p.branch(ctx, org, repo, b, *policy, res); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// branch compares one branch's rule with its policy and, confirmed,
// writes the difference.
func (p *Protector) branch(ctx context.Context, org, repo string, b github.Branch, policy config.Policy, res *Result) error {
	desired := Desired(policy)
	if ignored := unsent(policy); len(ignored) > 0 {
		p.Logger.WithFields(logrus.Fields{"org": org, "repo": repo, "branch": b.Name, "settings": ignored}).
			Warn("Branch protection settings are accepted but not applied")
	}
	current := github.BranchProtection{}
	if b.Protected || desired.Protected {
		var err error
		if current, err = p.GitHub.GetBranchProtection(ctx, org, repo, b.Name); err != nil {
			return err
		}
	}
	changes := Changes(current, desired)
	if len(changes) == 0 {
		res.UpToDate++
		return nil
	}
	step := Step{Org: org, Repo: repo, Branch: b.Name, Changes: changes, Desired: desired}
	res.Steps = append(res.Steps, step)
	fmt.Fprintf(p.Out, "%s/%s:%s\n", org, repo, b.Name)
	for _, c := range changes {
		fmt.Fprintf(p.Out, "  %s\n", c)
	}
	if !p.Confirm {
		return nil
	}
	p.Logger.WithFields(logrus.Fields{"org": org, "repo": repo, "branch": b.Name}).Info("Updating branch protection")
	return p.GitHub.UpdateBranchProtection(ctx, org, repo, b.Name, desired)
}

func (p *Protector) summary(res Result) {
	verb := "to change"
	if p.Confirm {
		verb = "changed"
	}
	fmt.Fprintf(p.Out, "%d branches %s, %d up to date", len(res.Steps), verb, res.UpToDate)
	if !p.Confirm && len(res.Steps) > 0 {
		fmt.Fprint(p.Out, " (dry run: nothing was changed; pass --confirm to apply)")
	}
	fmt.Fprintln(p.Out)
}

// unsent names the settings of policy that are read but not sent to
// GitHub.
func unsent(policy config.Policy) []string {
	var out []string
	if policy.RequireSignedCommits != nil && *policy.RequireSignedCommits {
		out = append(out, "require_signed_commits")
	}
	if r := policy.RequiredPullRequestReviews; r != nil && r.DismissalRestrictions != nil {
		out = append(out, "dismissal_restrictions")
	}
	if r := policy.RequiredPullRequestReviews; r != nil && r.BypassRestrictions != nil {
		out = append(out, "bypass_pull_request_allowances")
	}
	return out
}
