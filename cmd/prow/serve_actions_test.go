package main

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

// actionsConfig is tide's section for demo/actions: the GitHub Actions
// job build must pass before a pull request merges.
const actionsConfig = `tide:
  sync_period: 1s
  queries:
  - repos: [demo/actions]
    labels: [lgtm, approved]
    missingLabels: [do-not-merge/hold]
  context_options:
    required-contexts: [build]
`

// actionsPlugins turns trigger_github_workflows on for demo/actions.
const actionsPlugins = `plugins:
  demo:
    plugins: [trigger]
triggers:
- repos: [demo/actions]
  trigger_github_workflows: true
`

// TestServeGitHubActions runs a newcomer's pull request through one
// `prow serve` (SQLite job store, local runner, sandbox GitHub) whose
// repository also runs GitHub Actions: the workflow run GitHub holds is
// approved by a member's /ok-to-test, its failed job is rerun by /retest,
// and tide merges only once the required Actions check run build passes.
func TestServeGitHubActions(t *testing.T) {
	bin := buildProw(t)
	w := newServeWorldOf(t, actionsConfig, func(b *seed.Builder) {
		b.User("newcomer", "newcomer-token").
			Repo(sandbox.SeedRepo{Name: "demo/actions", Files: sandbox.FileChanges{"README.md": "hello\n"},
				Collaborators: map[string]string{"the-bot": "write", "member": "write"},
				Workflows:     []sandbox.SeedWorkflow{{Name: "CI", Jobs: []string{"build", "lint"}}}})
	}, map[string]map[string]string{"demo/actions": {"unit": "echo ok"}})
	i := slices.Index(w.args, "--plugin-config")
	if err := os.WriteFile(w.args[i+1], []byte(actionsPlugins), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, p := serveWorldUntilEnd(t, bin, w, 5*time.Minute)
	w.log = collectLog(p)
	r := w.repo(t, "demo/actions")
	t.Cleanup(r.explainFailure)

	// A newcomer's pull request: GitHub holds its workflow run for
	// approval (demo/actions' workflow CI runs on every pull request), and
	// trigger asks for /ok-to-test.
	w.do("", http.MethodPost, "/_sandbox/repos/demo/actions/push", map[string]any{"branch": "typo", "author": "newcomer",
		"files": map[string]string{"README.md": "hello, world\n"}, "message": "Fix a typo"}, nil)
	var pr ghPull
	w.do("newcomer-token", http.MethodPost, "/repos/demo/actions/pulls", map[string]string{"title": "Fix a typo", "head": "typo", "base": "main"}, &pr)
	n, head := pr.Number, pr.Head.SHA
	var runs struct {
		Runs []struct {
			ID int64 `json:"id"`
		} `json:"workflow_runs"`
	}
	w.do("member-token", http.MethodGet, "/repos/demo/actions/actions/runs?event=pull_request&head_sha="+head, nil, &runs)
	if len(runs.Runs) != 1 {
		t.Fatalf("workflow runs on the newcomer's head: %+v, want the CI run", runs.Runs)
	}
	id := runs.Runs[0].ID
	r.await("needs-ok-to-test on the newcomer's pull request", func() bool { return slices.Contains(w.labels("demo/actions", n), "needs-ok-to-test") })
	if got := w.workflowRun("demo/actions", id); got.Conclusion != "action_required" {
		t.Fatalf("the run before /ok-to-test: %+v, want it waiting for approval", got)
	}

	// A member's /ok-to-test approves it and starts the presubmit.
	w.do("member-token", http.MethodPost, fmt.Sprintf("/repos/demo/actions/issues/%d/comments", n), map[string]string{"body": "/ok-to-test"}, nil)
	r.await("the workflow run approved by /ok-to-test", func() bool { return w.workflowRun("demo/actions", id).Status == "in_progress" })
	r.green(head)

	// Its build fails; /retest reruns the failed job, not the passed one.
	if err := w.sb.CompleteWorkflowRun(ctx, "demo/actions", id, "success", "lint"); err != nil {
		t.Fatal(err)
	}
	if err := w.sb.CompleteWorkflowRun(ctx, "demo/actions", id, "failure", "build"); err != nil {
		t.Fatal(err)
	}
	r.label(n, "lgtm", "approved")
	r.await("tide naming the failed build", func() bool {
		s := r.tide(head)
		return s.State == "pending" && s.Description == "Not mergeable. Job build has not succeeded."
	})
	w.do("member-token", http.MethodPost, fmt.Sprintf("/repos/demo/actions/issues/%d/comments", n), map[string]string{"body": "/retest"}, nil)
	r.await("the failed job rerun by /retest", func() bool {
		run := w.workflowRun("demo/actions", id)
		return run.Attempt == 2 && run.Status == "in_progress"
	})

	// While the rerun runs tide holds the pull request; once build
	// passes, it merges.
	r.await("tide waiting for the rerun build", func() bool {
		s := r.tide(head)
		return s.State == "pending" && s.Description == "Not mergeable. Job build has not succeeded."
	})
	if r.merged(n) {
		t.Fatal("merged while the required build was running")
	}
	if err := w.sb.CompleteWorkflowRun(ctx, "demo/actions", id, "success"); err != nil {
		t.Fatal(err)
	}
	r.await("the merge once build passed", func() bool { return r.merged(n) })
	if got := w.workflowRun("demo/actions", id); got.Conclusion != "success" || got.Attempt != 2 {
		t.Errorf("the run at the merge: %+v", got)
	}
}

// ghWorkflowRun is what the scenario reads of a workflow run.
type ghWorkflowRun struct {
	Status     string `json:"status"`
	Conclusion string `json:"conclusion"`
	Attempt    int    `json:"run_attempt"`
}

func (w *serveWorld) workflowRun(repo string, id int64) ghWorkflowRun {
	w.t.Helper()
	var run ghWorkflowRun
	w.do("member-token", http.MethodGet, fmt.Sprintf("/repos/%s/actions/runs/%d", repo, id), nil, &run)
	return run
}

func (w *serveWorld) labels(repo string, n int) []string {
	w.t.Helper()
	var ls []struct{ Name string }
	w.do("member-token", http.MethodGet, fmt.Sprintf("/repos/%s/issues/%d/labels", repo, n), nil, &ls)
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return out
}
