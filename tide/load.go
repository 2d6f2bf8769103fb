package tide

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
)

// load finds every open pull request in the queries' scope and reads
// what the decision needs. Repositories and pools whose reads fail are
// left out, and their errors joined.
func (c *Controller) load(ctx context.Context, cfg *config.Config) ([]Candidate, map[string][]BatchRun, error) {
	t := &cfg.Tide
	byRepo, err := c.search(ctx, t)
	blockers, blockErr := c.blockerIssues(ctx, t)
	err = errors.Join(err, blockErr)
	repos := make([]string, 0, len(byRepo))
	for r := range byRepo {
		repos = append(repos, r)
	}
	sort.Strings(repos)
	results := make([][]Candidate, len(repos))
	runs := make([]map[string][]BatchRun, len(repos))
	errs := make([]error, len(repos))
	c.forEach(max(t.MaxGoroutines, 1), len(repos), func(i int) {
		results[i], errs[i] = c.loadRepo(ctx, cfg, byRepo[repos[i]], blockers)
		if len(results[i]) > 0 {
			var batchErr error
			runs[i], batchErr = c.batchRuns(ctx, results[i])
			errs[i] = errors.Join(errs[i], batchErr)
		}
	})
	var out []Candidate
	batches := map[string][]BatchRun{}
	for i, r := range results {
		out = append(out, r...)
		for k, v := range runs[i] {
			batches[k] = v
		}
	}
	return out, batches, errors.Join(append(errs, err)...)
}

// search runs each distinct scope search once and groups the open pull
// requests found by org/repo.
func (c *Controller) search(ctx context.Context, t *config.Tide) (map[string][]github.FoundIssue, error) {
	byRepo := map[string][]github.FoundIssue{}
	seen := map[string]bool{}
	var errs []error
	for _, q := range t.Queries {
		s := ScopeSearch(q)
		if seen[s] {
			continue
		}
		seen[s] = true
		found, err := c.opts.GitHub.FindIssues(ctx, s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, f := range found {
			key := f.Org + "/" + f.Repo
			if !f.IsPR || f.State != "open" || seenPR(byRepo[key], f.Number) {
				continue
			}
			byRepo[key] = append(byRepo[key], f)
		}
	}
	return byRepo, errors.Join(errs...)
}

func seenPR(list []github.FoundIssue, n int) bool {
	for _, f := range list {
		if f.Number == n {
			return true
		}
	}
	return false
}

// blocker is an open issue carrying the blocker label.
type blocker struct {
	org, repo string
	number    int
	branches  []string // empty: every branch
}

var blockerBranch = regexp.MustCompile(`\bbranch:([^\s]+)`)

// blockerIssues finds the open issues carrying blocker_label in the
// queries' repositories, with one search.
func (c *Controller) blockerIssues(ctx context.Context, t *config.Tide) ([]blocker, error) {
	if t.BlockerLabel == "" {
		return nil, nil
	}
	terms := []string{"is:issue", "state:open", fmt.Sprintf("label:%q", t.BlockerLabel)}
	scope := map[string]bool{}
	for _, q := range t.Queries {
		for _, o := range q.Orgs {
			scope[fmt.Sprintf("org:%q", o)] = true
		}
		for _, r := range q.Repos {
			scope[fmt.Sprintf("repo:%q", r)] = true
		}
	}
	for s := range scope {
		terms = append(terms, s)
	}
	sort.Strings(terms[3:])
	found, err := c.opts.GitHub.FindIssues(ctx, strings.Join(terms, " "))
	if err != nil {
		return nil, fmt.Errorf("blocker issues: %w", err)
	}
	out := make([]blocker, 0, len(found))
	for _, f := range found {
		b := blocker{org: f.Org, repo: f.Repo, number: f.Number}
		for _, m := range blockerBranch.FindAllStringSubmatch(f.Title, -1) {
			b.branches = append(b.branches, m[1])
		}
		out = append(out, b)
	}
	return out, nil
}

// blocking lists the blocker issues of org/repo that block branch.
func blocking(all []blocker, org, repo, branch string) []int {
	var out []int
	for _, b := range all {
		if !strings.EqualFold(b.org, org) || !strings.EqualFold(b.repo, repo) {
			continue
		}
		if len(b.branches) == 0 || containsString(b.branches, branch) {
			out = append(out, b.number)
		}
	}
	sort.Ints(out)
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// loadRepo reads the pull requests of one repository; a failure to read
// one leaves the whole repository out (its branches are not known), a
// failure in a pool leaves that pool out.
func (c *Controller) loadRepo(ctx context.Context, cfg *config.Config, found []github.FoundIssue, blockers []blocker) ([]Candidate, error) {
	gh := c.opts.GitHub
	prs := make([]github.PullRequest, 0, len(found))
	for _, f := range found {
		pr, err := gh.GetPullRequest(ctx, f.Org, f.Repo, f.Number)
		if err != nil {
			return nil, err
		}
		prs = append(prs, pr)
	}
	bases := map[string]string{}
	failed := map[string]bool{}
	var errs []error
	var out []Candidate
	for i, pr := range prs {
		org, repo := found[i].Org, found[i].Repo
		if failed[pr.BaseRef] {
			continue
		}
		cand, err := c.candidate(ctx, cfg, org, repo, pr, bases)
		if err != nil {
			failed[pr.BaseRef] = true
			errs = append(errs, err)
			continue
		}
		cand.Blockers = blocking(blockers, org, repo, pr.BaseRef)
		out = append(out, cand)
	}
	kept := out[:0]
	for _, cand := range out {
		if !failed[cand.BaseRef] {
			kept = append(kept, cand)
		}
	}
	return kept, errors.Join(errs...)
}

// candidate reads one pull request's base, statuses, reviews (when a
// query asks for them), presubmits and jobs.
func (c *Controller) candidate(ctx context.Context, cfg *config.Config, org, repo string, pr github.PullRequest, bases map[string]string) (Candidate, error) {
	gh, t := c.opts.GitHub, &cfg.Tide
	base, ok := bases[pr.BaseRef]
	if !ok {
		sha, err := gh.GetRef(ctx, org, repo, "heads/"+pr.BaseRef)
		if err != nil {
			return Candidate{}, err
		}
		base, bases[pr.BaseRef] = sha, sha
	}
	cand := Candidate{PR: PR{Org: org, Repo: repo, Number: pr.Number, Title: pr.Title, Body: pr.Body, Author: pr.Author,
		BaseRef: pr.BaseRef, HeadRef: pr.HeadRef, HeadSHA: pr.HeadSHA, HTMLURL: pr.HTMLURL, Labels: pr.Labels,
		Milestone: pr.Milestone, Draft: pr.Draft, Mergeable: pr.Mergeable, MergeState: pr.MergeableState}, BaseSHA: base}
	statuses, err := gh.ListStatuses(ctx, org, repo, pr.HeadSHA)
	if err != nil {
		return Candidate{}, err
	}
	for _, s := range statuses {
		cand.Contexts = append(cand.Contexts, Context{Name: s.Context, State: s.State, Description: s.Description, TargetURL: s.TargetURL})
	}
	if needsReviews(t, org, repo) {
		reviews, err := gh.ListReviews(ctx, org, repo, pr.Number)
		if err != nil {
			return Candidate{}, err
		}
		cand.ReviewApproved = approved(reviews)
	}
	if cand.Policy, err = c.policyFor(ctx, cfg, org, repo, pr.BaseRef); err != nil {
		return Candidate{}, err
	}
	var all []config.Presubmit
	for _, ps := range cfg.PresubmitsFor(org, repo) {
		if ps.CouldRun(pr.BaseRef) {
			all = append(all, ps)
		}
	}
	changes := func() ([]string, error) { return changedFiles(ctx, gh, org, repo, pr.Number) }
	if cand.run, err = cfg.PresubmitsToRun(org, repo, pr.BaseRef, changes); err != nil {
		return Candidate{}, err
	}
	cand.Policy = cand.Policy.WithPresubmits(all, cand.run)
	if cand.Jobs, cand.JobErrors, err = c.jobStates(ctx, org, repo, pr.Number, pr.HeadSHA, base); err != nil {
		return Candidate{}, err
	}
	return cand, nil
}

func needsReviews(t *config.Tide, org, repo string) bool {
	for _, q := range t.Queries {
		if q.ReviewApprovedRequired && Covers(q, org, repo) {
			return true
		}
	}
	return false
}

// approved: some reviewer's latest verdict approves, none requests
// changes.
func approved(reviews []github.Review) bool {
	latest := map[string]string{}
	for _, r := range reviews {
		switch r.State {
		case "APPROVED", "CHANGES_REQUESTED", "DISMISSED":
			latest[strings.ToLower(r.User)] = r.State
		}
	}
	ok := false
	for _, s := range latest {
		if s == "CHANGES_REQUESTED" {
			return false
		}
		ok = ok || s == "APPROVED"
	}
	return ok
}

func changedFiles(ctx context.Context, gh GitHub, org, repo string, number int) ([]string, error) {
	files, err := gh.GetPullRequestChanges(ctx, org, repo, number)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(files))
	for _, f := range files {
		out = append(out, f.Filename)
		if f.PreviousFilename != "" {
			out = append(out, f.PreviousFilename)
		}
	}
	return out, nil
}

// jobStates are the best states, by context, of the presubmit runs for
// head against base in the job store, and how many of them errored.
func (c *Controller) jobStates(ctx context.Context, org, repo string, number int, head, base string) (map[string]string, map[string]int, error) {
	if c.opts.Jobs == nil {
		return nil, nil, nil
	}
	out, errored := map[string]string{}, map[string]int{}
	page := jobs.Page{Limit: 500}
	for {
		list, err := c.opts.Jobs.List(ctx, jobs.Filter{Org: org, Repo: repo, Pull: number, Type: prowapi.PresubmitJob}, page)
		if err != nil {
			return nil, nil, fmt.Errorf("list jobs of %s/%s#%d: %w", org, repo, number, err)
		}
		for i := range list.Items {
			pj := &list.Items[i]
			if r := pj.Spec.Refs; r == nil || r.BaseSHA != base || len(r.Pulls) == 0 || r.Pulls[0].SHA != head {
				continue
			}
			s := string(pj.Status.State)
			if pj.Status.State == prowapi.ErrorState {
				errored[pj.Spec.Context]++
			}
			if rank(s) > rank(out[pj.Spec.Context]) {
				out[pj.Spec.Context] = s
			}
		}
		if list.Continue == "" {
			return out, errored, nil
		}
		page.Continue = list.Continue
	}
}
