package tide

import (
	"context"
	"errors"

	"github.com/prowbot/prow/config"
)

// InRepo answers for a repository's jobs at a base with heads merged on
// top, in-repo ones (.prow.yaml) included: config/inrepo's Getter.
type InRepo interface {
	Jobs(ctx context.Context, cfg *config.Config, org, repo, baseSHA string, heads ...string) (config.InRepoJobs, error)
	Enabled(cfg *config.Config, org, repo string) bool
}

// inRepoInvalid is the reason a pull request whose in-repo configuration
// is broken stays out of the pool.
func inRepoInvalid(bad *config.InRepoError) string {
	return "In-repo config is invalid: " + bad.Summary()
}

// candidatePresubmits are the presubmits that could run for the pull
// request on its branch: the pool's, or, with in-repo configuration, the
// central and in-repo ones at the pool's base with the head merged. A
// broken in-repo configuration is the candidate's InRepoProblem, not an
// error of the pool.
func (c *Controller) candidatePresubmits(ctx context.Context, cfg *config.Config, cand *Candidate, pool *poolBase) ([]config.Presubmit, error) {
	if c.opts.InRepo == nil || !c.opts.InRepo.Enabled(cfg, cand.Org, cand.Repo) {
		return pool.all, nil
	}
	jobs, err := c.opts.InRepo.Jobs(ctx, cfg, cand.Org, cand.Repo, cand.BaseSHA, cand.HeadSHA)
	var bad *config.InRepoError
	if errors.As(err, &bad) {
		cand.InRepoProblem = inRepoInvalid(bad)
		return pool.all, nil
	}
	if err != nil {
		return nil, err
	}
	return couldRun(jobs.Presubmits, cand.BaseRef), nil
}

func couldRun(all []config.Presubmit, branch string) []config.Presubmit {
	var out []config.Presubmit
	for _, ps := range all {
		if ps.CouldRun(branch) {
			out = append(out, ps)
		}
	}
	return out
}

// batchPresubmits are the jobs a batch runs. With in-repo configuration
// they come from the base with every head of the batch merged, in order,
// as the batch is tested: each required job that runs for one of its pull
// requests, in the batch's version.
func (c *Controller) batchPresubmits(ctx context.Context, cfg *config.Config, batch []*Verdict) ([]config.Presubmit, error) {
	want := batchJobs(batch)
	first := batch[0]
	if c.opts.InRepo == nil || !c.opts.InRepo.Enabled(cfg, first.Org, first.Repo) {
		return want, nil
	}
	heads := make([]string, len(batch))
	for i, v := range batch {
		heads[i] = v.HeadSHA
	}
	jobs, err := c.opts.InRepo.Jobs(ctx, cfg, first.Org, first.Repo, first.BaseSHA, heads...)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, ps := range want {
		names[ps.Name] = true
	}
	var out []config.Presubmit
	for _, ps := range jobs.Presubmits {
		if names[ps.Name] && ps.ContextRequired() {
			out = append(out, ps)
		}
	}
	return out, nil
}
