package sandbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
)

func TestWorkflowRunsFilterAndPermissions(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	headOf := func(n int) string {
		var pr struct{ Head struct{ SHA, Ref string } }
		if err := json.Unmarshal(e.do("alice-token", http.MethodGet, fmt.Sprintf("/repos/demo/hello/pulls/%d", n), nil).body, &pr); err != nil {
			t.Fatal(err)
		}
		return pr.Head.SHA
	}
	head := headOf(1)
	startRun := func(in sandbox.WorkflowRun) int64 {
		t.Helper()
		id, err := e.srv.StartWorkflowRun(ctx, "demo/hello", in)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	waiting := startRun(sandbox.WorkflowRun{Workflow: "CI", HeadSHA: head, HeadBranch: "bob-patch-1", Jobs: []string{"build"}, NeedsApproval: true})
	pushed := startRun(sandbox.WorkflowRun{Workflow: "CI", Event: "push", HeadSHA: "main", HeadBranch: "main", Jobs: []string{"build"}})
	failing := startRun(sandbox.WorkflowRun{Workflow: "Lint", HeadSHA: head, HeadBranch: "bob-patch-1", Jobs: []string{"vet"}})
	if err := e.srv.CompleteWorkflowRun(ctx, "demo/hello", failing, "failure"); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"", []int64{failing, pushed, waiting}},
		{"?head_sha=" + head, []int64{failing, waiting}},
		{"?status=action_required", []int64{waiting}},
		{"?status=completed", []int64{failing, waiting}},
		{"?status=in_progress", []int64{pushed}},
		{"?status=failure", []int64{failing}},
		{"?event=push", []int64{pushed}},
		{"?branch=bob-patch-1&event=pull_request", []int64{failing, waiting}},
		{"?head_sha=" + head + "&status=success", nil},
	} {
		t.Run("runs"+tc.query, func(t *testing.T) {
			var got struct {
				Total int `json:"total_count"`
				Runs  []struct {
					ID int64 `json:"id"`
				} `json:"workflow_runs"`
			}
			a := e.do("eve-token", http.MethodGet, "/repos/demo/hello/actions/runs"+tc.query, nil)
			if err := json.Unmarshal(a.body, &got); err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, r := range got.Runs {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(ids, tc.want) || got.Total != len(tc.want) {
				t.Errorf("runs %v (total %d), want %v newest first", ids, got.Total, tc.want)
			}
		})
	}

	for _, tc := range []struct {
		name, token, path string
		want              int
	}{
		{"a reader cannot approve", "eve-token", fmt.Sprintf("/repos/demo/hello/actions/runs/%d/approve", waiting), http.StatusForbidden},
		{"a run not waiting cannot be approved", "bot-token", fmt.Sprintf("/repos/demo/hello/actions/runs/%d/approve", failing), http.StatusForbidden},
		{"a running run has no failed jobs to rerun", "bot-token", fmt.Sprintf("/repos/demo/hello/actions/runs/%d/rerun-failed-jobs", pushed), http.StatusForbidden},
		{"an unknown run", "bot-token", "/repos/demo/hello/actions/runs/999999/approve", http.StatusNotFound},
		{"a writer approves", "bot-token", fmt.Sprintf("/repos/demo/hello/actions/runs/%d/approve", waiting), http.StatusCreated},
		{"a writer reruns the failed jobs", "bot-token", fmt.Sprintf("/repos/demo/hello/actions/runs/%d/rerun-failed-jobs", failing), http.StatusCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if a := e.do(tc.token, http.MethodPost, tc.path, nil); a.code != tc.want {
				t.Errorf("%s: %d %s, want %d", tc.path, a.code, a.body, tc.want)
			}
		})
	}
}

func TestWorkflowRunsThroughTheAdminAPI(t *testing.T) {
	e := start(t)
	var started struct {
		ID int64 `json:"id"`
	}
	code, body := e.admin(http.MethodPost, "/repos/demo/hello/actions/runs", map[string]any{"workflow": "CI", "head_sha": "main", "jobs": []string{"build"}})
	if err := json.Unmarshal(body, &started); code != http.StatusCreated || err != nil || started.ID == 0 {
		t.Fatalf("start: %d %s", code, body)
	}
	complete := fmt.Sprintf("/repos/demo/hello/actions/runs/%d/complete", started.ID)
	if code, body := e.admin(http.MethodPost, complete, map[string]any{"conclusion": "bogus"}); code != http.StatusUnprocessableEntity {
		t.Errorf("an unknown conclusion: %d %s", code, body)
	}
	if code, body := e.admin(http.MethodPost, complete, map[string]any{"conclusion": "success"}); code != http.StatusNoContent {
		t.Fatalf("complete: %d %s", code, body)
	}
	var run struct{ Status, Conclusion string }
	if err := json.Unmarshal(e.do("alice-token", http.MethodGet, fmt.Sprintf("/repos/demo/hello/actions/runs/%d", started.ID), nil).body, &run); err != nil {
		t.Fatal(err)
	}
	if run.Status != "completed" || run.Conclusion != "success" {
		t.Errorf("run after completing: %+v", run)
	}
}

func TestSeededWorkflowsRunOnPullRequests(t *testing.T) {
	seed, err := sandbox.LoadSeed("testdata/seed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	seed.Repos[0].Workflows = []sandbox.SeedWorkflow{{Name: "CI", Jobs: []string{"build", "lint"}}}
	e := start(t, func(o *sandbox.Options) { o.Seed = seed })
	type run struct {
		ID         int64  `json:"id"`
		Event      string `json:"event"`
		Status     string `json:"status"`
		Conclusion string `json:"conclusion"`
		Path       string `json:"path"`
	}
	runsOn := func(sha string) []run {
		t.Helper()
		var got struct {
			Runs []run `json:"workflow_runs"`
		}
		if err := json.Unmarshal(e.do("alice-token", http.MethodGet, "/repos/demo/hello/actions/runs?head_sha="+sha, nil).body, &got); err != nil {
			t.Fatal(err)
		}
		return got.Runs
	}
	open := func(token, branch, author string) string {
		t.Helper()
		if code, body := e.admin(http.MethodPost, "/repos/demo/hello/push", map[string]any{"branch": branch, "author": author,
			"files": map[string]string{branch + ".txt": "x\n"}}); code != http.StatusOK {
			t.Fatalf("push: %d %s", code, body)
		}
		var pr struct{ Head struct{ SHA string } }
		a := e.do(token, http.MethodPost, "/repos/demo/hello/pulls", map[string]string{"title": "Change", "head": branch, "base": "main"})
		if err := json.Unmarshal(a.body, &pr); err != nil || a.code != http.StatusCreated {
			t.Fatalf("open: %d %s", a.code, a.body)
		}
		return pr.Head.SHA
	}

	// bob has write access: his run starts.
	if got := runsOn(open("bob-token", "bob-change", "bob")); len(got) != 1 || got[0].Status != "in_progress" || got[0].Event != "pull_request" ||
		got[0].Path != ".github/workflows/ci.yml" {
		t.Errorf("runs on bob's pull request: %+v, want one running", got)
	}
	// stranger has none: the run waits for approval.
	head := open("stranger-token", "stranger-change", "stranger")
	got := runsOn(head)
	if len(got) != 1 || got[0].Status != "completed" || got[0].Conclusion != "action_required" {
		t.Fatalf("runs on the stranger's pull request: %+v, want one waiting for approval", got)
	}
	var checks struct {
		Total int `json:"total_count"`
	}
	if err := json.Unmarshal(e.do("alice-token", http.MethodGet, "/repos/demo/hello/commits/"+head+"/check-runs", nil).body, &checks); err != nil || checks.Total != 0 {
		t.Errorf("check runs of a run waiting for approval: %d %v, want none", checks.Total, err)
	}
	if a := e.do("alice-token", http.MethodPost, fmt.Sprintf("/repos/demo/hello/actions/runs/%d/approve", got[0].ID), nil); a.code != http.StatusCreated {
		t.Fatalf("approve: %d %s", a.code, a.body)
	}
	if err := json.Unmarshal(e.do("alice-token", http.MethodGet, "/repos/demo/hello/commits/"+head+"/check-runs", nil).body, &checks); err != nil || checks.Total != 2 {
		t.Errorf("check runs once approved: %d %v, want build and lint", checks.Total, err)
	}
}
