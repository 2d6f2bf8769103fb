package tide

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
)

// maxLandedCache bounds the answers of landed kept between syncs.
const maxLandedCache = 1000

// AbortedSpeculative is the description of the jobs of a speculative
// batch tide abandons.
const AbortedSpeculative = "Aborted by tide: the speculative batch can no longer be used."

// checkLanded sets what landed on the pool's base since a speculative
// run's base, when the run may still be of use: none of its jobs failed
// or was aborted, and one of its pull requests is still open at the head
// tested. A failed read leaves the run unverified, which holds the pool.
func (c *Controller) checkLanded(ctx context.Context, run *BatchRun, pool *Candidate, cands []Candidate) {
	if run.Aborted {
		return
	}
	for _, s := range run.States {
		if rank(s) == 1 {
			return
		}
	}
	open := false
	for _, cand := range cands {
		open = open || cand.BaseRef == pool.BaseRef && run.Pulls[cand.Number] == cand.HeadSHA
	}
	if !open {
		return
	}
	n, err := c.landed(ctx, pool.Org, pool.Repo, pool.BaseRef, pool.BaseSHA, run)
	if err != nil {
		c.opts.Logger.WithError(err).WithFields(logrus.Fields{"org": pool.Org, "repo": pool.Repo, "base": run.BaseSHA}).
			Warn("Could not read what landed under a speculative batch")
		run.Unverified = true
		return
	}
	if n > 0 {
		run.Landed, run.LandedOn = n, pool.BaseSHA
	}
}

// landed counts the first pull requests of the run that merged onto its
// base, exactly as tested and with nothing else, making head: walking
// head's first parents back to the run's base, each commit must be the
// merge commit of the next pull request in the run's order, merged at the
// head tested, as a merge (two parents: the commit before and that head)
// or a squash (one parent): both put the tree of the clean merge the job
// tested. A rebase counts for nothing: its commits are copies whose trees
// tide cannot vouch for. 0 when it does not hold. Answers are kept: for
// a given head they never change (commits are immutable, and a pull
// request merged stays merged with the same merge commit; one not merged
// yet would merge as a new commit, not one of head's history).
func (c *Controller) landed(ctx context.Context, org, repo, branch, head string, run *BatchRun) (int, error) {
	key := strings.Join([]string{org, repo, head, run.BaseSHA, BatchKey(run.Pulls)}, " ")
	c.mu.Lock()
	n, ok := c.landedCache[key]
	c.mu.Unlock()
	if ok {
		return n, nil
	}
	n, err := c.readLanded(ctx, org, repo, branch, head, run)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	if len(c.landedCache) >= maxLandedCache {
		c.landedCache = map[string]int{}
	}
	c.landedCache[key] = n
	c.mu.Unlock()
	return n, nil
}

// readLanded is landed, read from GitHub.
func (c *Controller) readLanded(ctx context.Context, org, repo, branch, head string, run *BatchRun) (int, error) {
	gh := c.opts.GitHub
	chain, parents, err := c.firstParents(ctx, org, repo, head, run.BaseSHA, len(run.Order))
	if err != nil || len(chain) == 0 {
		return 0, err
	}
	t := &c.opts.Config().Tide
	configured, err := RepoMethod(t, org, repo, branch)
	if err != nil {
		return 0, err
	}
	for i := range chain {
		commit, ps, number := chain[len(chain)-1-i], parents[len(chain)-1-i], run.Order[i]
		pr, err := gh.GetPullRequest(ctx, org, repo, number)
		if err != nil {
			return 0, err
		}
		method, _ := prMethod(t, PR{Labels: pr.Labels}, configured)
		if !MergedAsTested(pr, method, commit, ps, run.Pulls[number]) {
			return 0, nil
		}
	}
	return len(chain), nil
}

// MergedAsTested says whether commit, with parents, is the pull request
// merged at the head tested with method: its merge commit, by a merge
// (two parents, the second the head) or a squash (one parent). Both put
// on the branch the tree of the clean merge a batch job tests; a rebase
// never counts.
func MergedAsTested(pr github.PullRequest, method, commit string, parents []string, tested string) bool {
	if !pr.Merged || pr.MergeCommitSHA != commit || pr.HeadSHA != tested {
		return false
	}
	switch method {
	case MethodMerge:
		return len(parents) == 2 && parents[1] == tested
	case MethodSquash:
		return len(parents) == 1
	}
	return false
}

// firstParents walks head's first parents back to base, at most limit
// commits: the commits on the way, newest first, and the parents of
// each; none when base is not reached.
func (c *Controller) firstParents(ctx context.Context, org, repo, head, base string, limit int) (chain []string, parents [][]string, err error) {
	for sha := head; sha != base; sha = parents[len(parents)-1][0] {
		if len(chain) >= limit {
			return nil, nil, nil
		}
		ps, err := c.opts.GitHub.GetCommitParents(ctx, org, repo, sha)
		if err != nil {
			return nil, nil, err
		}
		if len(ps) == 0 {
			return nil, nil, nil
		}
		chain, parents = append(chain, sha), append(parents, ps)
	}
	return chain, parents, nil
}

// abandon aborts the unfinished jobs of speculative runs that can no
// longer be used.
func (c *Controller) abandon(ctx context.Context, pool string, runs []BatchRun) error {
	if c.opts.Jobs == nil {
		return nil
	}
	org, repo, _ := strings.Cut(strings.SplitN(pool, ":", 2)[0], "/")
	var errs []error
	for _, run := range runs {
		names := map[string]bool{}
		for _, n := range run.Unfinished {
			names[n] = true
		}
		f := jobs.Filter{Org: org, Repo: repo, Type: prowapi.BatchJob, Pull: run.firstPull()}
		n, err := jobs.Abort(ctx, namedJobs{Jobs: c.opts.Jobs, names: names}, f, AbortedSpeculative)
		log := c.opts.Logger.WithFields(logrus.Fields{"org": org, "repo": repo, "pulls": run.Order, "base": run.BaseSHA})
		if err != nil {
			log.WithError(err).Warn("Could not abort a speculative batch")
			errs = append(errs, fmt.Errorf("abort the speculative batch %s: %w", BatchKey(run.Pulls), err))
			continue
		}
		log.WithField("aborted", n).Info("Abandoned a speculative batch")
	}
	return errors.Join(errs...)
}

// firstPull is the number of the run's first pull request.
func (r BatchRun) firstPull() int {
	if len(r.Order) > 0 {
		return r.Order[0]
	}
	for n := range r.Pulls {
		return n
	}
	return 0
}

// namedJobs lists only the jobs named.
type namedJobs struct {
	Jobs
	names map[string]bool
}

func (n namedJobs) List(ctx context.Context, f jobs.Filter, page jobs.Page) (*jobs.List, error) {
	list, err := n.Jobs.List(ctx, f, page)
	if err != nil {
		return nil, err
	}
	kept := list.Items[:0]
	for _, pj := range list.Items {
		if n.names[pj.Name] {
			kept = append(kept, pj)
		}
	}
	list.Items = kept
	return list, nil
}

// room counts the unfinished jobs in the job store against
// plank.max_concurrency and each job's own; only read when tide may
// test speculative batches.
func (c *Controller) room(ctx context.Context, cfg *config.Config) (Room, error) {
	if c.opts.Jobs == nil || cfg.Tide.Speculation() <= 0 {
		return Room{}, nil
	}
	room := Room{Free: -1, Running: map[string]int{}}
	total := 0
	page := jobs.Page{Limit: 500}
	for {
		list, err := c.opts.Jobs.List(ctx, jobs.Filter{Incomplete: true}, page)
		if err != nil {
			return Room{}, fmt.Errorf("list unfinished jobs: %w", err)
		}
		for i := range list.Items {
			room.Running[list.Items[i].Spec.Job]++
			total++
		}
		if list.Continue == "" {
			break
		}
		page.Continue = list.Continue
	}
	if n := cfg.Plank.MaxConcurrency; n > 0 {
		room.Free = max(n-total, 0)
	}
	return room, nil
}
