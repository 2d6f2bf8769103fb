package trigger

import (
	"context"
	"errors"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// InRepoConfigContext is the status a pull request gets when its in-repo
// configuration (.prow.yaml or .prow/) cannot be used: it fails, naming
// the problem, and no job runs until the file is fixed.
const InRepoConfigContext = "prow/in-repo-config"

// maxDescription is GitHub's limit on a status description.
const maxDescription = 140

// JobConfig answers for a repository's jobs at a base commit with heads
// merged on top: the central ones and the in-repo ones (config/inrepo's
// Getter; a nil *inrepo.Getter answers with the central jobs).
type JobConfig interface {
	Jobs(ctx context.Context, cfg *config.Config, org, repo, baseSHA string, heads ...string) (config.InRepoJobs, error)
	Enabled(cfg *config.Config, org, repo string) bool
}

// presubmits returns the pull request's presubmits. ok is false when its
// in-repo configuration is broken: the failing status was written and no
// job may run.
func (t *trigger) presubmits(ctx context.Context, env plugins.Env, r plugins.Repo, pr github.PullRequest) (_ []config.Presubmit, ok bool, _ error) {
	cfg := env.Config()
	if !t.inrepo.Enabled(cfg, r.Org, r.Name) {
		return cfg.PresubmitsFor(r.Org, r.Name), true, nil
	}
	baseSHA, err := t.gh.GetRef(ctx, r.Org, r.Name, "heads/"+pr.BaseRef)
	if err != nil {
		return nil, false, err
	}
	jobs, err := t.inrepo.Jobs(ctx, cfg, r.Org, r.Name, baseSHA, pr.HeadSHA)
	var bad *config.InRepoError
	if errors.As(err, &bad) {
		env.Log.WithError(err).Info("Not starting jobs: the in-repo configuration is invalid")
		return nil, false, t.gh.CreateStatus(ctx, r.Org, r.Name, pr.HeadSHA, github.Status{
			Context: InRepoConfigContext, State: "failure", Description: InRepoFailure(bad)})
	}
	if err != nil {
		return nil, false, err
	}
	return jobs.Presubmits, true, t.clearInRepoFailure(ctx, r, pr.HeadSHA)
}

// InRepoFailure is the failing status's description: the problems, cut to
// GitHub's length.
func InRepoFailure(bad *config.InRepoError) string {
	d := "Invalid in-repo config: " + bad.Summary()
	if len(d) > maxDescription {
		d = d[:maxDescription-3] + "..."
	}
	return d
}

// InRepoValid is the description of the status once the configuration is
// fixed.
const InRepoValid = "In-repo config is valid."

// clearInRepoFailure turns an earlier failing in-repo config status of the
// head into success; a head that never had one gets none.
func (t *trigger) clearInRepoFailure(ctx context.Context, r plugins.Repo, sha string) error {
	list, err := t.gh.ListStatuses(ctx, r.Org, r.Name, sha)
	if err != nil {
		return err
	}
	if state, seen := contextStates(list, nil, nil)[InRepoConfigContext]; !seen || state == "success" {
		return nil
	}
	return t.gh.CreateStatus(ctx, r.Org, r.Name, sha, github.Status{Context: InRepoConfigContext, State: "success", Description: InRepoValid})
}
