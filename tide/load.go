package tide

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/mapkeys"
)

// load finds every open pull request in the queries' scope and reads
// what the decision needs. Repositories and pools whose reads fail are
// left out, and their errors joined; when the blocker issues cannot be
// read, everything is.
func (c *Controller) load(ctx context.Context, cfg *config.Config) ([]Candidate, map[string][]BatchRun, error) {
	t := &cfg.Tide
	byRepo, err := c.search(ctx, t)
	repos := mapkeys.Sorted(byRepo)
	results := make([][]Candidate, len(repos))
	runs := make([]map[string][]BatchRun, len(repos))
	errs := make([]error, len(repos))
	c.forEach(max(t.MaxGoroutines, 1), len(repos), func(i int) {
		results[i], errs[i] = c.loadRepo(ctx, cfg, byRepo[repos[i]])
		if len(results[i]) > 0 {
			var batchErr error
			runs[i], batchErr = c.batchRuns(ctx, results[i])
			errs[i] = errors.Join(errs[i], batchErr)
		}
	})
	// The blockers are searched once the pull requests are read: a blocker
	// opened before a pull request was read ready is then always seen.
	blockers, blockErr := c.blockerIssues(ctx, t)
	if blockErr != nil {
		return nil, nil, errors.Join(append(errs, err, blockErr)...)
	}
	var out []Candidate
	batches := map[string][]BatchRun{}
	for i, r := range results {
		for _, cand := range r {
			cand.Blockers = blocking(blockers, cand.Org, cand.Repo, cand.BaseRef)
			out = append(out, cand)
		}
		for k, v := range runs[i] {
			batches[k] = v
		}
	}
	return out, batches, errors.Join(append(errs, err)...)
}

// search runs each distinct scope search once (GitHub's GraphQL search:
// each pull request comes with its labels, head, base branch tip,
// mergeability and statuses) and groups the open pull requests found by
// org/repo.
func (c *Controller) search(ctx context.Context, t *config.Tide) (map[string][]Candidate, error) {
	byRepo := map[string][]Candidate{}
	seen, have := map[string]bool{}, map[string]bool{}
	var errs []error
	for _, q := range t.Queries {
		s := ScopeSearch(q)
		if seen[s] {
			continue
		}
		seen[s] = true
		found, err := c.opts.GitHub.SearchPullRequests(ctx, s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for i := range found {
			cand := fromSearch(&found[i])
			if have[cand.Key()] {
				continue
			}
			// GitHub decides on reviews only where the branch requires
			// them; elsewhere tide reads the reviews itself.
			if found[i].ReviewDecision == "" && needsReviews(t, cand.Org, cand.Repo) {
				reviews, err := c.opts.GitHub.ListReviews(ctx, cand.Org, cand.Repo, cand.Number)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				cand.ReviewApproved = approved(reviews)
			}
			have[cand.Key()] = true
			byRepo[cand.Org+"/"+cand.Repo] = append(byRepo[cand.Org+"/"+cand.Repo], cand)
		}
	}
	return byRepo, errors.Join(errs...)
}

// fromSearch is a candidate from a pull request GraphQL search found.
func fromSearch(f *github.PullRequestInfo) Candidate {
	cand := Candidate{PR: PR{Org: f.Org, Repo: f.Repo, Number: f.Number, Title: f.Title, Body: f.Body, Author: f.Author,
		BaseRef: f.BaseRef, HeadRef: f.HeadRef, HeadSHA: f.HeadSHA, HTMLURL: f.HTMLURL, Labels: f.Labels,
		Milestone: f.Milestone, Draft: f.Draft, Mergeable: f.Mergeable, MergeState: f.MergeState, ReviewApproved: f.ReviewDecision == "APPROVED"}, BaseSHA: f.BaseSHA}
	cand.Contexts = make([]Context, 0, len(f.Contexts))
	for _, s := range f.Contexts {
		cand.Contexts = append(cand.Contexts, Context{Name: s.Context, State: s.State, Description: s.Description, TargetURL: s.TargetURL})
	}
	return cand
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
		if len(b.branches) == 0 || slices.Contains(b.branches, branch) {
			out = append(out, b.number)
		}
	}
	sort.Ints(out)
	return out
}

// loadRepo completes the candidates of one repository the search found;
// a failure to read the repository's runs leaves it out, a failure in a
// pool leaves that pool out.
func (c *Controller) loadRepo(ctx context.Context, cfg *config.Config, found []Candidate) ([]Candidate, error) {
	if len(found) == 0 {
		return nil, nil
	}
	org, repo := found[0].Org, found[0].Repo
	failed := map[string]bool{}
	var errs []error
	runs, err := c.presubmitRuns(ctx, org, repo)
	if err != nil {
		return nil, err
	}
	pools := map[string]*poolBase{}
	out := make([]Candidate, 0, len(found))
	for _, cand := range found {
		if failed[cand.BaseRef] {
			continue
		}
		pool, ok := pools[cand.BaseRef]
		if !ok {
			if pool, err = c.poolBase(ctx, cfg, org, repo, cand.BaseRef); err != nil {
				failed[cand.BaseRef] = true
				errs = append(errs, err)
				continue
			}
			pools[cand.BaseRef] = pool
		}
		if err := c.complete(ctx, cfg, &cand, pool, runs); err != nil {
			failed[cand.BaseRef] = true
			errs = append(errs, err)
			continue
		}
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

// poolBase is what every pull request of a pool shares: the branch's
// context policy and the presubmits that could run on it.
type poolBase struct {
	policy ContextPolicy
	all    []config.Presubmit
}

// poolBase works out the policy and presubmits of org/repo's branch, once
// per pool and sync.
func (c *Controller) poolBase(ctx context.Context, cfg *config.Config, org, repo, branch string) (*poolBase, error) {
	policy, err := c.policyFor(ctx, cfg, org, repo, branch)
	if err != nil {
		return nil, err
	}
	pb := &poolBase{policy: policy}
	for _, ps := range cfg.PresubmitsFor(org, repo) {
		if ps.CouldRun(branch) {
			pb.all = append(pb.all, ps)
		}
	}
	return pb, nil
}

// complete adds what the decision needs beyond GitHub's view of the pull
// request: the context policy with the presubmits that run for it, and
// the states of its runs in the job store.
func (c *Controller) complete(ctx context.Context, cfg *config.Config, cand *Candidate, pool *poolBase, runs map[runKey]runStates) error {
	org, repo := cand.Org, cand.Repo
	changes := func() ([]string, error) { return c.changedFiles(ctx, org, repo, cand.Number, cand.HeadSHA) }
	all, err := c.candidatePresubmits(ctx, cfg, cand, pool)
	if err != nil {
		return err
	}
	if cand.run, err = config.PresubmitsToRun(all, cand.BaseRef, changes); err != nil {
		return err
	}
	cand.Policy = pool.policy.WithPresubmits(all, cand.run)
	st := runs[runKey{number: cand.Number, head: cand.HeadSHA, base: cand.BaseSHA}]
	cand.Jobs, cand.JobErrors = st.best, st.errored
	return nil
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

// changedFiles lists the files a pull request changes; a head's list is
// read once and kept while the pull request is open at that head.
func (c *Controller) changedFiles(ctx context.Context, org, repo string, number int, head string) ([]string, error) {
	key := fmt.Sprintf("%s/%s#%d@%s", org, repo, number, head)
	if files, ok := c.changes.get(key); ok {
		return files, nil
	}
	files, err := c.opts.GitHub.GetPullRequestChanges(ctx, org, repo, number)
	if err != nil {
		return nil, err
	}
	out := github.ChangedFileNames(files)
	c.changes.put(key, out)
	return out, nil
}

// runKey names a pull request's head tested against a base.
type runKey struct {
	number     int
	head, base string
}

// runStates are the best states, by context, of presubmit runs, and how
// many of them errored.
type runStates struct {
	best    map[string]string
	errored map[string]int
}

// presubmitRuns reads the presubmit runs of one repository from the job
// store, once per sync, indexed by pull request, head and base.
func (c *Controller) presubmitRuns(ctx context.Context, org, repo string) (map[runKey]runStates, error) {
	out := map[runKey]runStates{}
	if c.opts.Jobs == nil {
		return out, nil
	}
	page := jobs.Page{Limit: 500}
	for {
		list, err := c.opts.Jobs.List(ctx, jobs.Filter{Org: org, Repo: repo, Type: prowapi.PresubmitJob}, page)
		if err != nil {
			return nil, fmt.Errorf("list presubmit jobs of %s/%s: %w", org, repo, err)
		}
		for i := range list.Items {
			pj := &list.Items[i]
			r := pj.Spec.Refs
			if r == nil || len(r.Pulls) == 0 {
				continue
			}
			k := runKey{number: r.Pulls[0].Number, head: r.Pulls[0].SHA, base: r.BaseSHA}
			st, ok := out[k]
			if !ok {
				st = runStates{best: map[string]string{}, errored: map[string]int{}}
				out[k] = st
			}
			s := string(pj.Status.State)
			if pj.Status.State == prowapi.ErrorState {
				st.errored[pj.Spec.Context]++
			}
			if rank(s) > rank(st.best[pj.Spec.Context]) {
				st.best[pj.Spec.Context] = s
			}
		}
		if list.Continue == "" {
			return out, nil
		}
		page.Continue = list.Continue
	}
}
