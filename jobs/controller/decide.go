package controller

import (
	"fmt"
	"time"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Input is what a decision about one job depends on.
type Input struct {
	Job *prowapi.ProwJob
	Now time.Time
	// Run is the job's run as the runner sees it (pending and aborted
	// jobs).
	Run jobs.RunStatus
	// MaxConcurrency is plank.max_concurrency (0: no limit); Pending the
	// number of other jobs pending now.
	MaxConcurrency int
	Pending        int
	// OlderWaiting counts the triggered jobs older than this one that
	// wait only for the global limit (jobs with their own
	// max_concurrency are left out, as their own limit may hold them):
	// under the global limit, jobs start oldest first.
	OlderWaiting int
	// SameJobAhead counts the other runs of the same job that are
	// pending, or triggered and older than this one (per-job
	// max_concurrency).
	SameJobAhead int
	// QueueCapacity is plank.job_queue_capacities of the job's
	// job_queue_name (a negative capacity is no limit, 0 holds every job
	// of the queue); QueueKnown says the queue is listed there at all.
	// SameQueueAhead counts the other jobs of the same queue that are
	// pending, or triggered and older than this one.
	QueueCapacity  int
	QueueKnown     bool
	SameQueueAhead int
	// Superseded is set when a newer run of the same presubmit for the
	// same pull request exists.
	Superseded bool
	// PendingTimeout and RunningTimeout bound the run's phases.
	PendingTimeout, RunningTimeout time.Duration
}

// Action is what the controller does for a decision.
type Action string

// The actions.
const (
	// Nothing to do now.
	Nothing Action = ""
	// Wait: the job cannot start yet (concurrency); look again later.
	Wait Action = "wait"
	// Start: write the job pending (build ID, pending time, URL), then
	// start its run.
	Start Action = "start"
	// StartRun: the job is pending but its run does not exist: start it.
	StartRun Action = "start-run"
	// Finish: stop the run if StopRun, then write State and Description
	// with a completion time.
	Finish Action = "finish"
)

// Decision is what to do with a job.
type Decision struct {
	Action      Action
	State       prowapi.ProwJobState
	Description string
	// StopRun ends the run before the job is finished.
	StopRun bool
	// Superseded marks the GitHub report as done (prev_report_states) so
	// the aborted run does not overwrite the newer run's status.
	Superseded bool
}

// Descriptions the controller writes, as Prow's plank does.
const (
	DescTriggered      = "Job triggered."
	DescSucceeded      = "Job succeeded."
	DescFailed         = "Job failed."
	DescPendingTimeout = "Pod pending timeout."
	DescRunningTimeout = "Pod running timeout."
	DescSuperseded     = "Aborted as the newer version of this job is running."
)

// Decide is the job state machine: triggered → pending → success,
// failure, error or aborted.
func Decide(in Input) Decision {
	pj := in.Job
	state := pj.Status.State
	switch {
	case pj.Complete():
		return Decision{}
	case state == prowapi.AbortedState:
		return Decision{Action: Finish, State: state, Description: pj.Status.Description, StopRun: true}
	case state.IsFinal():
		return Decision{Action: Finish, State: state, Description: pj.Status.Description}
	case in.Superseded && pj.Spec.Type == prowapi.PresubmitJob:
		return Decision{Action: Finish, State: prowapi.AbortedState, Description: DescSuperseded, StopRun: true, Superseded: true}
	case state == prowapi.TriggeredState || state == prowapi.SchedulingState || state == "":
		return decideTriggered(in)
	case state == prowapi.PendingState:
		return decidePending(in)
	}
	return Decision{Action: Finish, State: prowapi.ErrorState, Description: fmt.Sprintf("Unknown job state %q.", state)}
}

func decideTriggered(in Input) Decision {
	if in.MaxConcurrency > 0 && in.Pending+in.OlderWaiting >= in.MaxConcurrency {
		return Decision{Action: Wait}
	}
	if n := in.Job.Spec.MaxConcurrency; n > 0 && in.SameJobAhead >= n {
		return Decision{Action: Wait}
	}
	if in.Job.Spec.JobQueueName != "" && !queueHasRoom(in) {
		return Decision{Action: Wait}
	}
	return Decision{Action: Start, State: prowapi.PendingState, Description: DescTriggered}
}

// queueHasRoom says whether the job's queue can take one more running
// job. A queue missing from job_queue_capacities takes none, as in Prow
// (checkconfig reports it).
func queueHasRoom(in Input) bool {
	switch {
	case !in.QueueKnown:
		return false
	case in.QueueCapacity < 0:
		return true
	}
	return in.SameQueueAhead < in.QueueCapacity
}

func decidePending(in Input) Decision {
	run := in.Run
	switch run.Phase {
	case jobs.RunSucceeded:
		return Decision{Action: Finish, State: prowapi.SuccessState, Description: DescSucceeded}
	case jobs.RunFailed:
		return Decision{Action: Finish, State: prowapi.FailureState, Description: DescFailed}
	case jobs.RunError:
		desc := run.Message
		if desc == "" {
			desc = "Job could not run."
		}
		return Decision{Action: Finish, State: prowapi.ErrorState, Description: desc}
	case jobs.RunUnknown:
		return Decision{Action: StartRun}
	case jobs.RunRunning:
		return decideRunning(in)
	case jobs.RunPending:
		if pt := in.Job.Status.PendingTime; in.PendingTimeout > 0 && pt != nil && in.Now.Sub(pt.Time) > in.PendingTimeout {
			return Decision{Action: Finish, State: prowapi.ErrorState, Description: DescPendingTimeout, StopRun: true}
		}
	}
	return Decision{}
}

// decideRunning ends a running job that is past its running timeout.
func decideRunning(in Input) Decision {
	started := in.Run.StartedAt
	if started.IsZero() && in.Job.Status.PendingTime != nil {
		started = in.Job.Status.PendingTime.Time
	}
	if in.RunningTimeout > 0 && !started.IsZero() && in.Now.Sub(started) > in.RunningTimeout {
		return Decision{Action: Finish, State: prowapi.AbortedState, Description: DescRunningTimeout, StopRun: true}
	}
	return Decision{}
}
