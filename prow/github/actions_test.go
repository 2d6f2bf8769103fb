package github

import (
	"context"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

func TestCheckRunState(t *testing.T) {
	for _, tc := range []struct {
		status, conclusion, want string
	}{
		{"queued", "", "pending"},
		{"in_progress", "", "pending"},
		{"completed", "success", "success"},
		{"completed", "neutral", "success"},
		{"completed", "skipped", "success"},
		{"completed", "failure", "failure"},
		{"completed", "timed_out", "failure"},
		{"completed", "action_required", "failure"},
		{"completed", "cancelled", "failure"}, //nolint:misspell // GitHub's spelling
	} {
		t.Run(tc.status+" "+tc.conclusion+" is "+tc.want, func(t *testing.T) {
			if got := CheckRunState(tc.status, tc.conclusion); got != tc.want {
				t.Errorf("CheckRunState(%q, %q) = %q, want %q", tc.status, tc.conclusion, got, tc.want)
			}
		})
	}
}

// TestWorkflowRunsApprovedRerunAndSeenByTheSearch follows a fork pull
// request's workflow run through the client: waiting for approval,
// approved, failed, rerun, passed; the search sees its job as a context.
func TestWorkflowRunsApprovedRerunAndSeenByTheSearch(t *testing.T) {
	seeded := seed.New().User("the-bot", "bot-token").User("newcomer", "newcomer-token").
		Members("the-bot").Collaborators("write", "the-bot").
		Pull("newcomer", "First change", sandbox.FileChanges{"a.txt": "a\n"}).Seed()
	srv, url := serveSandbox(t, sandbox.Options{Seed: seeded})
	c := sandboxClient(t, url, "bot-token", ClientOptions{})
	ctx := context.Background()
	pr, err := c.GetPullRequest(ctx, "demo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	id, err := srv.StartWorkflowRun(ctx, "demo/hello", sandbox.WorkflowRun{Workflow: "CI", HeadSHA: pr.HeadSHA, HeadBranch: pr.HeadRef,
		Actor: "newcomer", Jobs: []string{"build"}, NeedsApproval: true})
	if err != nil {
		t.Fatal(err)
	}
	run := func() WorkflowRun {
		t.Helper()
		runs, err := c.ListWorkflowRuns(ctx, "demo", "hello", pr.HeadSHA)
		if err != nil || len(runs) != 1 || runs[0].ID != id {
			t.Fatalf("runs %+v %v, want run %d alone", runs, err, id)
		}
		return runs[0]
	}
	buildContext := func() Status {
		t.Helper()
		found, err := c.SearchPullRequests(ctx, "repo:demo/hello is:open")
		if err != nil || len(found) != 1 {
			t.Fatalf("search: %+v %v", found, err)
		}
		for _, st := range found[0].Contexts {
			if st.Context == "build" {
				return st
			}
		}
		return Status{}
	}

	if r := run(); !r.WaitsForApproval() || r.Failed() {
		t.Fatalf("before approval: %+v, want it waiting", r)
	}
	if got := buildContext(); got.State != "" {
		t.Errorf("context build before approval: %+v, want none", got)
	}
	if err := c.RerunFailedJobs(ctx, "demo", "hello", id); err == nil {
		t.Error("a run waiting for approval was rerun")
	}
	if err := c.ApproveWorkflowRun(ctx, "demo", "hello", id); err != nil {
		t.Fatal(err)
	}
	if r := run(); r.Status != "in_progress" || r.WaitsForApproval() {
		t.Errorf("after approval: %+v, want it running", r)
	}
	if got := buildContext(); got.State != "pending" || got.TargetURL == "" {
		t.Errorf("context build while it runs: %+v, want pending with a link", got)
	}
	if err := c.ApproveWorkflowRun(ctx, "demo", "hello", id); err == nil {
		t.Error("a running run was approved again")
	}
	if err := srv.CompleteWorkflowRun(ctx, "demo/hello", id, "failure"); err != nil {
		t.Fatal(err)
	}
	if r := run(); !r.Failed() || r.Attempt != 1 {
		t.Errorf("after the failure: %+v", r)
	}
	if got := buildContext(); got.State != "failure" {
		t.Errorf("context build after the failure: %+v", got)
	}
	if err := c.RerunFailedJobs(ctx, "demo", "hello", id); err != nil {
		t.Fatal(err)
	}
	if r := run(); r.Attempt != 2 || r.Status != "in_progress" {
		t.Errorf("after the rerun: %+v, want attempt 2 running", r)
	}
	if err := srv.CompleteWorkflowRun(ctx, "demo/hello", id, "success"); err != nil {
		t.Fatal(err)
	}
	if got := buildContext(); got.State != "success" {
		t.Errorf("context build after the rerun passed: %+v", got)
	}
	checks, err := c.ListCheckRuns(ctx, "demo", "hello", pr.HeadSHA)
	if err != nil || len(checks) != 1 || checks[0].Name != "build" || checks[0].Conclusion != "success" {
		t.Errorf("check runs %+v %v, want the latest build, passed", checks, err)
	}
}
