package plugins

import (
	"context"

	"github.com/prowbot/prow/prow/github"
)

// ContextClient is what ContextRewrite.Apply needs of GitHub: the statuses and
// check runs of a commit, read and written.
type ContextClient interface {
	ListStatuses(ctx context.Context, org, repo, ref string) ([]github.Status, error)
	CreateStatus(ctx context.Context, org, repo, sha string, s github.Status) error
	ListCheckRuns(ctx context.Context, org, repo, ref string) ([]github.CheckRun, error)
	CreateCheckRun(ctx context.Context, org, repo string, run github.CheckRun) (int64, error)
}

// ContextRewrite is what a plugin sets on a commit's status contexts
// (override, skip): Plan gives the statuses and check runs to create from
// those the commit has (newest first, as GitHub lists them), and each one
// created is logged with StatusLog or RunLog.
type ContextRewrite struct {
	Plan              func(statuses []github.Status, checks []github.CheckRun) ([]github.Status, []github.CheckRun)
	StatusLog, RunLog string
}

// Apply lists the statuses and check runs of sha in r, then creates those
// the plan gives: the statuses first, then the check runs.
func (w ContextRewrite) Apply(ctx context.Context, env Env, gh ContextClient, r Repo, sha string) error {
	statuses, err := gh.ListStatuses(ctx, r.Org, r.Name, sha)
	if err != nil {
		return err
	}
	checks, err := gh.ListCheckRuns(ctx, r.Org, r.Name, sha)
	if err != nil {
		return err
	}
	setStatuses, newRuns := w.Plan(statuses, checks)
	for _, s := range setStatuses {
		env.Log.WithField("context", s.Context).Info(w.StatusLog)
		if err := gh.CreateStatus(ctx, r.Org, r.Name, sha, s); err != nil {
			return err
		}
	}
	for _, run := range newRuns {
		env.Log.WithField("context", run.Name).Info(w.RunLog)
		if _, err := gh.CreateCheckRun(ctx, r.Org, r.Name, run); err != nil {
			return err
		}
	}
	return nil
}
