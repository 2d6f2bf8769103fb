package trigger

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/prow/github"
)

func TestWorkflowActions(t *testing.T) {
	waiting := github.WorkflowRun{ID: 1, Status: "completed", Conclusion: "action_required"}
	failed := github.WorkflowRun{ID: 2, Status: "completed", Conclusion: "failure"}
	timedOut := github.WorkflowRun{ID: 3, Status: "completed", Conclusion: "timed_out"}
	passed := github.WorkflowRun{ID: 4, Status: "completed", Conclusion: "success"}
	running := github.WorkflowRun{ID: 5, Status: "in_progress"}
	all := []github.WorkflowRun{waiting, failed, timedOut, passed, running}
	for _, tc := range []struct {
		name                   string
		approve, rerun         bool
		wantApprove, wantRerun []int64
	}{
		{name: "ok-to-test approves the runs waiting for approval only", approve: true, wantApprove: []int64{1}},
		{name: "retest reruns the failed and timed-out runs, not the passed, running or waiting ones", rerun: true, wantRerun: []int64{2, 3}},
		{name: "both at once", approve: true, rerun: true, wantApprove: []int64{1}, wantRerun: []int64{2, 3}},
		{name: "neither touches anything"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gotApprove, gotRerun := WorkflowActions(all, tc.approve, tc.rerun)
			if !reflect.DeepEqual(gotApprove, tc.wantApprove) || !reflect.DeepEqual(gotRerun, tc.wantRerun) {
				t.Errorf("WorkflowActions = approve %v, rerun %v; want %v, %v", gotApprove, gotRerun, tc.wantApprove, tc.wantRerun)
			}
		})
	}
}

func TestContextStates(t *testing.T) {
	statuses := []github.Status{{Context: "unit", State: "failure"}, {Context: "unit", State: "success"}, {Context: "build", State: "success"}}
	checks := []github.CheckRun{
		{Name: "build", Status: "completed", Conclusion: "failure"},
		{Name: "lint", Status: "completed", Conclusion: "neutral"},
		{Name: "docs", Status: "completed", Conclusion: "skipped"},
		{Name: "e2e", Status: "in_progress"},
		{Name: "vet", Status: "completed", Conclusion: "cancelled"}, //nolint:misspell // GitHub's spelling
	}
	cases := []struct {
		name          string
		before, after []github.Status
		want          map[string]string
	}{
		{"statuses first: the newest status, check runs for the contexts no status names", statuses, nil,
			map[string]string{"unit": "failure", "build": "success", "lint": "success", "docs": "success", "e2e": "pending", "vet": "failure"}},
		{"check runs first (the bot reports as check runs)", nil, statuses,
			map[string]string{"unit": "failure", "build": "failure", "lint": "success", "docs": "success", "e2e": "pending", "vet": "failure"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := contextStates(tc.before, checks, tc.after); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("contextStates = %v, want %v", got, tc.want)
			}
		})
	}
}
