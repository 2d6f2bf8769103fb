package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/prowbot/prow/prow/mapkeys"
	"github.com/prowbot/prow/prow/yamlconf"
)

// bpLevel is one policy of branch-protection and its path in config.yaml.
type bpLevel struct {
	path       []any
	policy     Policy
	org, repo  string // the repository the level is about, when it is one
	repoScoped bool
}

// levels lists every policy of bp with its path, top first.
func (bp *BranchProtection) levels() []bpLevel {
	root := []any{"branch-protection"}
	out := []bpLevel{{path: root, policy: bp.Policy}}
	for _, org := range mapkeys.Sorted(bp.Orgs) {
		o := bp.Orgs[org]
		op := append(append([]any{}, root...), "orgs", org)
		out = append(out, bpLevel{path: op, policy: o.Policy})
		for _, repo := range mapkeys.Sorted(o.Repos) {
			r := o.Repos[repo]
			rp := append(append([]any{}, op...), "repos", repo)
			out = append(out, bpLevel{path: rp, policy: r.Policy, org: org, repo: repo, repoScoped: true})
			for _, branch := range mapkeys.Sorted(r.Branches) {
				bpath := append(append([]any{}, rp...), "branches", branch)
				out = append(out, bpLevel{path: bpath, policy: r.Branches[branch].Policy, org: org, repo: repo, repoScoped: true})
			}
		}
	}
	return out
}

// dotted writes a path as the docs do.
func dotted(path []any) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, ".")
}

// validate checks each policy of branch-protection on its own: regexes
// that compile, a review count GitHub accepts, no context twice.
func (bp *BranchProtection) validate() []error {
	var errs []error
	for _, l := range bp.levels() {
		for _, key := range []string{"exclude", "include"} {
			res := l.policy.Exclude
			if key == "include" {
				res = l.policy.Include
			}
			for i, re := range res {
				if _, err := regexp.Compile(re); err != nil {
					path := append(append([]any{}, l.path...), key, i)
					errs = append(errs, at(fmt.Errorf("%s: %w", dotted(path), err), path...))
				}
			}
		}
		if r := l.policy.RequiredPullRequestReviews; r != nil && r.Approvals != nil && (*r.Approvals < 0 || *r.Approvals > 6) {
			path := append(append([]any{}, l.path...), "required_pull_request_reviews", "required_approving_review_count")
			errs = append(errs, at(fmt.Errorf("%s: %d is not between 0 and 6", dotted(path), *r.Approvals), path...))
		}
		if c := l.policy.RequiredStatusChecks; c != nil {
			seen := map[string]bool{}
			for i, ctx := range c.Contexts {
				if seen[ctx] {
					path := append(append([]any{}, l.path...), "required_status_checks", "contexts", i)
					errs = append(errs, at(fmt.Errorf("%s: context %q is listed twice", dotted(path), ctx), path...))
				}
				seen[ctx] = true
			}
		}
	}
	return errs
}

// branchProtectionJobProblems finds the contexts a repository's (or its
// branches') branch protection requires that one of its presubmits
// produces and never reports (skip_report): no pull request could merge.
func (c *Config) branchProtectionJobProblems(file string, doc *yamlconf.Document) Problems {
	var out Problems
	for _, l := range c.BranchProtection.levels() {
		if !l.repoScoped || l.policy.RequiredStatusChecks == nil {
			continue
		}
		silent := map[string]string{}
		for _, ps := range c.PresubmitsFor(l.org, l.repo) {
			if ps.SkipReport {
				silent[ps.Context] = ps.Name
			}
		}
		for i, ctx := range l.policy.RequiredStatusChecks.Contexts {
			if job, ok := silent[ctx]; ok {
				path := append(append([]any{}, l.path...), "required_status_checks", "contexts", i)
				out = append(out, yamlconf.Problem{File: file, Line: doc.Line(path...), Message: fmt.Sprintf(
					"%s: context %q is the context of presubmit %s, which never reports it (skip_report): no pull request could merge",
					dotted(path), ctx, job)})
			}
		}
	}
	return out
}
