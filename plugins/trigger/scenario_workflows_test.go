package trigger_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/prowbot/prow/jobs/memstore"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/trigger"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// TestTriggerActsOnGitHubWorkflows: with trigger_github_workflows, the
// workflow run GitHub holds on a newcomer's pull request waits until a
// member's /ok-to-test approves it, and /retest reruns its failed job;
// without the setting, neither happens.
func TestTriggerActsOnGitHubWorkflows(t *testing.T) {
	for _, on := range []bool{true, false} {
		t.Run(fmt.Sprintf("trigger_github_workflows %v", on), func(t *testing.T) {
			store := memstore.New()
			pluginsYAML := fmt.Sprintf("plugins:\n  demo:\n    plugins: [trigger]\ntriggers:\n- repos: [demo/hello]\n  trigger_github_workflows: %v\n", on)
			seeded := scenarioSeed()
			if seeded.Repos[0].Collaborators == nil {
				seeded.Repos[0].Collaborators = map[string]string{}
			}
			seeded.Repos[0].Collaborators["member"] = "triage" // labels by hand
			env := harness.StartWithConfig(t, seeded, scenarioConfig, pluginsYAML,
				func(d harness.Deps) []plugins.Plugin { return []plugins.Plugin{trigger.New(d.GitHub, store, nil)} })
			ctx := context.Background()
			n := env.OpenPull("newcomer", "demo", "hello", "newcomer-patch", "main", "Fix a typo", map[string]string{"README.md": "hi\n"})
			var pr struct {
				Head struct {
					SHA string `json:"sha"`
					Ref string `json:"ref"`
				} `json:"head"`
			}
			env.Do("member", http.MethodGet, fmt.Sprintf("/repos/demo/hello/pulls/%d", n), nil, &pr)
			id, err := env.Sandbox.StartWorkflowRun(ctx, "demo/hello", sandbox.WorkflowRun{Workflow: "CI", HeadSHA: pr.Head.SHA,
				HeadBranch: pr.Head.Ref, Actor: "newcomer", Jobs: []string{"build", "lint"}, NeedsApproval: true})
			if err != nil {
				t.Fatal(err)
			}
			read := func() string {
				var run struct {
					Status     string `json:"status"`
					Conclusion string `json:"conclusion"`
					Attempt    int    `json:"run_attempt"`
				}
				env.Do("member", http.MethodGet, fmt.Sprintf("/repos/demo/hello/actions/runs/%d", id), nil, &run)
				return fmt.Sprintf("%s/%s/%d", run.Status, run.Conclusion, run.Attempt)
			}

			env.Comment("newcomer", "demo", "hello", n, "/ok-to-test")
			if got := read(); got != "completed/action_required/1" {
				t.Fatalf("after the newcomer's own /ok-to-test the run is %s, want it still waiting", got)
			}
			env.Comment("member", "demo", "hello", n, "/ok-to-test")
			want := "in_progress//1"
			if !on {
				want = "completed/action_required/1"
			}
			if got := read(); got != want {
				t.Fatalf("after the member's /ok-to-test the run is %s, want %s", got, want)
			}
			if !on {
				return
			}
			if err := env.Sandbox.CompleteWorkflowRun(ctx, "demo/hello", id, "success", "lint"); err != nil {
				t.Fatal(err)
			}
			if err := env.Sandbox.CompleteWorkflowRun(ctx, "demo/hello", id, "failure", "build"); err != nil {
				t.Fatal(err)
			}
			if got := read(); got != "completed/failure/1" {
				t.Fatalf("after the build failed the run is %s", got)
			}
			env.Comment("newcomer", "demo", "hello", n, "/retest")
			if got := read(); got != "in_progress//2" {
				t.Fatalf("after /retest the run is %s, want its second attempt running", got)
			}
			var checks struct {
				CheckRuns []struct {
					Name, Status, Conclusion string
				} `json:"check_runs"`
			}
			env.Do("member", http.MethodGet, "/repos/demo/hello/commits/"+pr.Head.SHA+"/check-runs", nil, &checks)
			var states []string
			for _, c := range checks.CheckRuns {
				states = append(states, c.Name+":"+c.Status+":"+c.Conclusion)
			}
			if got := strings.Join(states, ","); got != "build:in_progress:,lint:completed:success" {
				t.Errorf("check runs after /retest: %s, want the failed job rerun and the passed one kept", got)
			}

			// A member adding ok-to-test by hand approves too.
			m := env.OpenPull("newcomer", "demo", "hello", "newcomer-2", "main", "Another fix", map[string]string{"b.txt": "b\n"})
			env.Do("member", http.MethodGet, fmt.Sprintf("/repos/demo/hello/pulls/%d", m), nil, &pr)
			if id, err = env.Sandbox.StartWorkflowRun(ctx, "demo/hello", sandbox.WorkflowRun{Workflow: "CI", HeadSHA: pr.Head.SHA,
				HeadBranch: pr.Head.Ref, Actor: "newcomer", Jobs: []string{"build"}, NeedsApproval: true}); err != nil {
				t.Fatal(err)
			}
			env.Do("member", http.MethodPost, fmt.Sprintf("/repos/demo/hello/issues/%d/labels", m), map[string][]string{"labels": {trigger.OkToTest}}, nil)
			env.Settle()
			if got := read(); got != "in_progress//1" {
				t.Errorf("after a member added ok-to-test the run is %s, want it approved", got)
			}
		})
	}
}
