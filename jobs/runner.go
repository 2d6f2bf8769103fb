package jobs

import (
	"context"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Runner does a job's work somewhere: a local process (embedded mode) or
// a decorated pod (cluster mode). The controller drives it; every method
// must be idempotent, since a restarted controller repeats what it may
// have done already.
type Runner interface {
	// Start begins the run of pj, a job the controller has just moved to
	// pending (Status.BuildID set). Starting a run that exists is no error
	// and does not start another.
	Start(ctx context.Context, pj *prowapi.ProwJob) error
	// Status says how pj's run is doing.
	Status(ctx context.Context, pj *prowapi.ProwJob) (RunStatus, error)
	// Stop ends pj's run if it is going (for an abort) and frees what it
	// holds. Stopping a run that is over or was never started is no error.
	Stop(ctx context.Context, pj *prowapi.ProwJob) error
}

// StartedRun is a run a StartingRunner started or found.
type StartedRun struct {
	// Name is the run's name, recorded as the job's status.pod_name.
	Name string
	// BuildID is the build ID the run was started with: the job's, or,
	// for a run that existed already, the one it had.
	BuildID string
}

// StartingRunner is a Runner whose runs are found again by their job's
// name and carry their build ID (a pod named after its ProwJob). The
// controller starts such a run before it writes the job pending, then
// writes the pending state, the build ID and the run's name in one
// update, as Prow's plank does: one write where two would be needed
// otherwise. A crash in between leaves a triggered job whose run exists;
// the next start finds that run and keeps its build ID instead of
// making another.
type StartingRunner interface {
	Runner
	// StartRun starts pj's run unless it exists, and says which run
	// the job has.
	StartRun(ctx context.Context, pj *prowapi.ProwJob) (StartedRun, error)
}

// RunNotifier is a Runner that tells when a run changes, so that the
// controller need not poll it often.
type RunNotifier interface {
	// NotifyRunChanges registers f, called with a ProwJob's name when
	// its run's command has started (and the runner recorded it), and
	// when its run is over (its results uploaded, or the run ended before
	// its command could run). A later call replaces f.
	NotifyRunChanges(f func(name string))
}

// RunPhase is where a run is.
type RunPhase string

// The run phases.
const (
	// RunUnknown: the runner has no run for the job. For a job the
	// controller started before a restart this means the run was lost.
	RunUnknown RunPhase = "Unknown"
	// RunPending: accepted but not running yet (a pod being scheduled).
	RunPending RunPhase = "Pending"
	// RunRunning: the job's command is running.
	RunRunning RunPhase = "Running"
	// RunSucceeded and RunFailed: the command ended with exit code 0, or
	// not (including a timeout).
	RunSucceeded RunPhase = "Succeeded"
	RunFailed    RunPhase = "Failed"
	// RunError: the run could not do the job's work at all (the work dir
	// or the clone could not be made, the pod was rejected, the run was
	// interrupted by a restart and cannot be resumed).
	RunError RunPhase = "Error"
)

// Done is true for the phases a run never leaves.
func (p RunPhase) Done() bool { return p == RunSucceeded || p == RunFailed || p == RunError }

// RunStatus is a run's state as the runner sees it.
type RunStatus struct {
	Phase RunPhase
	// Message explains a failure or an error ("Job timed out after
	// 10m0s.", "clone of ref main failed: ...").
	Message string
	// StartedAt is when the job's command started (zero before);
	// FinishedAt when it ended.
	StartedAt, FinishedAt time.Time
}
