package statusreconciler

import (
	"context"
	"errors"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/github"
)

// InRepo answers for a repository's jobs at a base with heads merged on
// top, in-repo ones (.prow.yaml) included: config/inrepo's Getter.
type InRepo interface {
	Jobs(ctx context.Context, cfg *config.Config, org, repo, baseSHA string, heads ...string) (config.InRepoJobs, error)
	Enabled(cfg *config.Config, org, repo string) bool
}

// keepInRepo drops from rs the contexts a job of the pull request's
// in-repo configuration still reports: a presubmit that left the central
// configuration may live on in .prow.yaml. When that configuration is
// broken nothing is retired (the pull request runs nothing until it is
// fixed, and its status says so).
func (r *Reconciler) keepInRepo(ctx context.Context, cfg *config.Config, org, repo string, pr github.PullRequest, rs []Retirement) ([]Retirement, error) {
	if len(rs) == 0 || r.InRepo == nil || !r.InRepo.Enabled(cfg, org, repo) {
		return rs, nil
	}
	base, err := r.GitHub.GetRef(ctx, org, repo, "heads/"+pr.BaseRef)
	if err != nil {
		return nil, err
	}
	jobs, err := r.InRepo.Jobs(ctx, cfg, org, repo, base, pr.HeadSHA)
	var bad *config.InRepoError
	if errors.As(err, &bad) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	reported := map[string]bool{}
	for _, ps := range jobs.Presubmits {
		if !ps.SkipReport {
			reported[ps.Context] = true
		}
	}
	var out []Retirement
	for _, rt := range rs {
		if !reported[rt.Context] {
			out = append(out, rt)
		}
	}
	return out, nil
}
