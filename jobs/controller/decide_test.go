package controller

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func TestDecide(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	job := func(state prowapi.ProwJobState, mutate ...func(*prowapi.ProwJob)) *prowapi.ProwJob {
		pj := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: "unit"}, Status: prowapi.ProwJobStatus{State: state}}
		for _, m := range mutate {
			m(pj)
		}
		return pj
	}
	pendingSince := func(d time.Duration) func(*prowapi.ProwJob) {
		return func(pj *prowapi.ProwJob) { t := metav1.NewTime(now.Add(-d)); pj.Status.PendingTime = &t }
	}
	complete := func(pj *prowapi.ProwJob) { t := metav1.NewTime(now); pj.Status.CompletionTime = &t }
	perJob := func(n int) func(*prowapi.ProwJob) { return func(pj *prowapi.ProwJob) { pj.Spec.MaxConcurrency = n } }
	periodic := func(pj *prowapi.ProwJob) { pj.Spec.Type = prowapi.PeriodicJob }
	queued := func(pj *prowapi.ProwJob) { pj.Spec.JobQueueName = "gpu" }
	start := Decision{Action: Start, State: prowapi.PendingState, Description: DescTriggered}

	for _, tc := range []struct {
		name string
		in   Input
		want Decision
	}{
		{"a triggered job starts", Input{Job: job(prowapi.TriggeredState)},
			Decision{Action: Start, State: prowapi.PendingState, Description: DescTriggered}},
		{"a triggered job waits at the global limit", Input{Job: job(prowapi.TriggeredState), MaxConcurrency: 2, Pending: 2},
			Decision{Action: Wait}},
		{"below the global limit it starts", Input{Job: job(prowapi.TriggeredState), MaxConcurrency: 2, Pending: 1},
			Decision{Action: Start, State: prowapi.PendingState, Description: DescTriggered}},
		{"under the global limit an older waiting job goes first", Input{Job: job(prowapi.TriggeredState), MaxConcurrency: 2, Pending: 1, OlderWaiting: 1},
			Decision{Action: Wait}},
		{"a triggered job waits at its own limit", Input{Job: job(prowapi.TriggeredState, perJob(1)), SameJobAhead: 1},
			Decision{Action: Wait}},
		{"a queued job starts while its queue has room", Input{Job: job(prowapi.TriggeredState, queued), QueueKnown: true, QueueCapacity: 2, SameQueueAhead: 1},
			start},
		{"a queued job waits while its queue is full", Input{Job: job(prowapi.TriggeredState, queued), QueueKnown: true, QueueCapacity: 2, SameQueueAhead: 2},
			Decision{Action: Wait}},
		{"a queue of capacity 0 holds every job", Input{Job: job(prowapi.TriggeredState, queued), QueueKnown: true, QueueCapacity: 0},
			Decision{Action: Wait}},
		{"a queue of negative capacity is unlimited", Input{Job: job(prowapi.TriggeredState, queued), QueueKnown: true, QueueCapacity: -1, SameQueueAhead: 100},
			start},
		{"a queue not listed in job_queue_capacities holds its jobs", Input{Job: job(prowapi.TriggeredState, queued), SameQueueAhead: 0},
			Decision{Action: Wait}},
		{"a job without a queue ignores the queue counts", Input{Job: job(prowapi.TriggeredState), SameQueueAhead: 5},
			start},
		{"a queue with room does not lift the job's own limit", Input{Job: job(prowapi.TriggeredState, queued, perJob(1)), QueueKnown: true, QueueCapacity: 5, SameJobAhead: 1},
			Decision{Action: Wait}},
		{"a superseded presubmit is aborted and its report closed", Input{Job: job(prowapi.PendingState), Superseded: true},
			Decision{Action: Finish, State: prowapi.AbortedState, Description: DescSuperseded, StopRun: true, Superseded: true}},
		{"superseding only applies to presubmits", Input{Job: job(prowapi.TriggeredState, periodic), Superseded: true},
			Decision{Action: Start, State: prowapi.PendingState, Description: DescTriggered}},
		{"a pending job whose run succeeded succeeds", Input{Job: job(prowapi.PendingState), Run: jobs.RunStatus{Phase: jobs.RunSucceeded}},
			Decision{Action: Finish, State: prowapi.SuccessState, Description: DescSucceeded}},
		{"a failed run fails the job", Input{Job: job(prowapi.PendingState), Run: jobs.RunStatus{Phase: jobs.RunFailed, Message: "exit 3"}},
			Decision{Action: Finish, State: prowapi.FailureState, Description: DescFailed}},
		{"a run that could not run is an error with its reason", Input{Job: job(prowapi.PendingState), Run: jobs.RunStatus{Phase: jobs.RunError, Message: "The run was interrupted."}},
			Decision{Action: Finish, State: prowapi.ErrorState, Description: "The run was interrupted."}},
		{"a pending job without a run gets one", Input{Job: job(prowapi.PendingState), Run: jobs.RunStatus{Phase: jobs.RunUnknown}},
			Decision{Action: StartRun}},
		{"a running job inside its timeout is left alone", Input{Job: job(prowapi.PendingState, pendingSince(time.Minute)), Now: now, RunningTimeout: time.Hour,
			Run: jobs.RunStatus{Phase: jobs.RunRunning, StartedAt: now.Add(-time.Minute)}}, Decision{}},
		{"a running job past its timeout is aborted", Input{Job: job(prowapi.PendingState, pendingSince(2*time.Hour)), Now: now, RunningTimeout: time.Hour,
			Run: jobs.RunStatus{Phase: jobs.RunRunning, StartedAt: now.Add(-2 * time.Hour)}},
			Decision{Action: Finish, State: prowapi.AbortedState, Description: DescRunningTimeout, StopRun: true}},
		{"a run pending too long is an error", Input{Job: job(prowapi.PendingState, pendingSince(time.Hour)), Now: now, PendingTimeout: 10 * time.Minute,
			Run: jobs.RunStatus{Phase: jobs.RunPending}},
			Decision{Action: Finish, State: prowapi.ErrorState, Description: DescPendingTimeout, StopRun: true}},
		{"an abort request stops the run and completes the job", Input{Job: job(prowapi.AbortedState, func(pj *prowapi.ProwJob) { pj.Status.Description = "Aborted by trigger plugin." })},
			Decision{Action: Finish, State: prowapi.AbortedState, Description: "Aborted by trigger plugin.", StopRun: true}},
		{"a finished job is left alone", Input{Job: job(prowapi.SuccessState, complete)}, Decision{}},
		{"a final state set without completion gets one", Input{Job: job(prowapi.FailureState)},
			Decision{Action: Finish, State: prowapi.FailureState}},
		{"an unknown state is an error", Input{Job: job("weird")},
			Decision{Action: Finish, State: prowapi.ErrorState, Description: `Unknown job state "weird".`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.in.Now.IsZero() {
				tc.in.Now = now
			}
			if got := Decide(tc.in); got != tc.want {
				t.Errorf("Decide = %+v, want %+v", got, tc.want)
			}
		})
	}
}
