package trigger

import (
	"context"
	"errors"
	"fmt"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// WorkflowClient is what trigger needs of GitHub Actions when a repo sets
// trigger_github_workflows.
type WorkflowClient interface {
	ListWorkflowRuns(ctx context.Context, org, repo, headSHA string) ([]github.WorkflowRun, error)
	ApproveWorkflowRun(ctx context.Context, org, repo string, id int64) error
	RerunFailedJobs(ctx context.Context, org, repo string, id int64) error
}

// WorkflowActions picks, among a head commit's workflow runs, those to
// approve (waiting for approval, when approve) and those whose failed
// jobs to rerun (completed with failed jobs, when rerun).
func WorkflowActions(runs []github.WorkflowRun, approve, rerun bool) (toApprove, toRerun []int64) {
	for _, r := range runs {
		switch {
		case approve && r.WaitsForApproval():
			toApprove = append(toApprove, r.ID)
		case rerun && r.Failed():
			toRerun = append(toRerun, r.ID)
		}
	}
	return toApprove, toRerun
}

// actOnWorkflows approves or reruns the workflow runs of a pull request's
// head, as WorkflowActions picks them; it goes on past a run GitHub
// refuses and reports every failure.
func (t *trigger) actOnWorkflows(ctx context.Context, env plugins.Env, r plugins.Repo, headSHA string, approve, rerun bool) error {
	if !approve && !rerun {
		return nil
	}
	runs, err := t.gh.ListWorkflowRuns(ctx, r.Org, r.Name, headSHA)
	if err != nil {
		return err
	}
	toApprove, toRerun := WorkflowActions(runs, approve, rerun)
	var errs []error
	for _, id := range toApprove {
		if err := t.gh.ApproveWorkflowRun(ctx, r.Org, r.Name, id); err != nil {
			errs = append(errs, err)
			continue
		}
		env.Log.WithField("workflow_run", id).Info("Approved a workflow run")
	}
	for _, id := range toRerun {
		if err := t.gh.RerunFailedJobs(ctx, r.Org, r.Name, id); err != nil {
			errs = append(errs, err)
			continue
		}
		env.Log.WithField("workflow_run", id).Info("Reran the failed jobs of a workflow run")
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("workflow runs of %s@%s: %w", r.FullName(), headSHA, err)
	}
	return nil
}

// contextStates maps each context of a commit to its latest state: first
// from before (statuses), then the check runs, then after (statuses), a
// context taking the first state found. Statuses and check runs are
// listed newest first, as GitHub lists them; a check run's state is what
// github.CheckRunState says.
func contextStates(before []github.Status, checks []github.CheckRun, after []github.Status) map[string]string {
	out := map[string]string{}
	add := func(name, state string) {
		if _, seen := out[name]; !seen {
			out[name] = state
		}
	}
	for _, s := range before {
		add(s.Context, s.State)
	}
	for _, c := range checks {
		add(c.Name, github.CheckRunState(c.Status, c.Conclusion))
	}
	for _, s := range after {
		add(s.Context, s.State)
	}
	return out
}
