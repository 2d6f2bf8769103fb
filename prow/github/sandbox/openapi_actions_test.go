package sandbox_test

import (
	"context"
	"fmt"
	"testing"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/github/sandbox"
)

// actionsSteps tours the workflow-run routes on pull request 1's head: a
// run waiting for approval is approved, a failed run's failed job rerun.
func actionsSteps(t *testing.T, e *env, bot *gh.Client, head string) []step {
	t.Helper()
	ctx := context.Background()
	var waiting, failed int64
	post := func(path string) error {
		req, err := bot.NewRequest("POST", path, nil)
		if err != nil {
			return err
		}
		_, err = bot.Do(ctx, req, nil)
		return err
	}
	return []step{{"workflow runs", []func() error{
		func() (err error) {
			waiting, err = e.srv.StartWorkflowRun(ctx, "demo/hello", sandbox.WorkflowRun{Workflow: "CI", HeadSHA: head, HeadBranch: "bob-patch-1",
				Actor: "bob", Jobs: []string{"build"}, NeedsApproval: true})
			return err
		},
		func() (err error) {
			if failed, err = e.srv.StartWorkflowRun(ctx, "demo/hello", sandbox.WorkflowRun{Workflow: "Lint", HeadSHA: head, Jobs: []string{"vet", "fmt"}}); err != nil {
				return err
			}
			if err := e.srv.CompleteWorkflowRun(ctx, "demo/hello", failed, "success", "fmt"); err != nil {
				return err
			}
			return e.srv.CompleteWorkflowRun(ctx, "demo/hello", failed, "failure")
		},
		func() error {
			runs, _, err := bot.Actions.ListRepositoryWorkflowRuns(ctx, "demo", "hello", &gh.ListWorkflowRunsOptions{HeadSHA: head, Status: "action_required"})
			if err == nil && (runs.GetTotalCount() != 1 || runs.WorkflowRuns[0].GetID() != waiting) {
				return fmt.Errorf("runs waiting for approval: %d, want run %d alone", runs.GetTotalCount(), waiting)
			}
			return err
		},
		func() error { return post(fmt.Sprintf("repos/demo/hello/actions/runs/%d/approve", waiting)) },
		func() error { return post(fmt.Sprintf("repos/demo/hello/actions/runs/%d/rerun-failed-jobs", failed)) },
		func() error {
			run, _, err := bot.Actions.GetWorkflowRunByID(ctx, "demo", "hello", failed)
			if err == nil && (run.GetRunAttempt() != 2 || run.GetStatus() != "in_progress") {
				return fmt.Errorf("rerun run: attempt %d, status %s", run.GetRunAttempt(), run.GetStatus())
			}
			return err
		},
		func() error {
			runs, _, err := bot.Checks.ListCheckRunsForRef(ctx, "demo", "hello", head, &gh.ListCheckRunsOptions{CheckName: gh.String("vet")})
			if err == nil && (runs.GetTotal() != 1 || runs.CheckRuns[0].GetApp().GetName() != "GitHub Actions") {
				return fmt.Errorf("the rerun job vet: %d check runs, the first by %q", runs.GetTotal(), runs.CheckRuns[0].GetApp().GetName())
			}
			return err
		},
	}}}
}
