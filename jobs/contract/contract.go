package contract

import (
	"context"
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/controller"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/testlog"
)

// Outcome is how a test job's run ends.
type Outcome int

// The outcomes a backend must be able to produce.
const (
	Succeed Outcome = iota
	Fail
	// Hang runs until stopped.
	Hang
)

// Backend is a store and a runner under test.
type Backend struct {
	Store  jobs.Store
	Runner jobs.Runner
	// Job returns a triggered job named name (a presubmit of org/repo#1
	// unless the suite changes it) whose run ends as outcome.
	Job func(name string, outcome Outcome) *prowapi.ProwJob
	// Runs says how many times the job's work was started.
	Runs func(t *testing.T, pj *prowapi.ProwJob) int
	// Timeout bounds each wait (default 60s).
	Timeout time.Duration
}

// Run runs the contract against backends newBackend makes, one per test.
func Run(t *testing.T, newBackend func(t *testing.T) *Backend) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, b *Backend)
	}{
		{"a job whose run succeeds ends in success", testSuccess},
		{"a job whose run fails ends in failure", testFailure},
		{"an abort request stops the run", testAbort},
		{"the global max_concurrency holds", testGlobalConcurrency},
		{"a job's own max_concurrency holds", testJobConcurrency},
		{"a job queue's capacity holds", testQueueCapacity},
		{"a newer run of a pull request aborts the older", testSuperseded},
		{"a run past pod_running_timeout is aborted", testRunningTimeout},
		{"a restarted controller converges and starts no run twice", testRestart},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBackend(t)
			if b.Timeout == 0 {
				b.Timeout = 60 * time.Second
			}
			tc.fn(t, b)
		})
	}
}

// env is a running controller over a backend.
type env struct {
	t      *testing.T
	b      *Backend
	cfg    *config.Config
	cancel context.CancelFunc
	done   chan struct{}
}

func start(t *testing.T, b *Backend, plank func(*config.Plank)) *env {
	cfg := &config.Config{}
	if plank != nil {
		plank(&cfg.Plank)
	}
	e := &env{t: t, b: b, cfg: cfg}
	e.run()
	t.Cleanup(e.stop)
	return e
}

func (e *env) run() {
	c, err := controller.New(controller.Options{Store: e.b.Store, Runner: e.b.Runner, Config: func() *config.Config { return e.cfg },
		Logger: testlog.Discard(), Resync: 100 * time.Millisecond})
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel, e.done = cancel, make(chan struct{})
	go func() {
		defer close(e.done)
		if err := c.Run(ctx); err != nil {
			e.t.Errorf("controller: %v", err)
		}
	}()
}

func (e *env) stop() {
	if e.cancel != nil {
		e.cancel()
		<-e.done
		e.cancel = nil
	}
}

func (e *env) create(pj *prowapi.ProwJob) *prowapi.ProwJob {
	e.t.Helper()
	out, err := e.b.Store.Create(context.Background(), pj)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// waitFor waits, on the store's watch, until cond holds for the job.
func (e *env) waitFor(name, what string, cond func(*prowapi.ProwJob) bool) *prowapi.ProwJob {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), e.b.Timeout)
	defer cancel()
	events, err := e.b.Store.Watch(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	for ev := range events {
		if ev.Job.Name == name && ev.Type != jobs.Deleted && cond(ev.Job) {
			return ev.Job
		}
	}
	pj, _ := e.b.Store.Get(context.Background(), name)
	e.t.Fatalf("job %s never became %s; it is %+v", name, what, pj.Status)
	return nil
}

func (e *env) waitState(name string, state prowapi.ProwJobState) *prowapi.ProwJob {
	e.t.Helper()
	return e.waitFor(name, string(state), func(pj *prowapi.ProwJob) bool {
		return pj.Status.State == state && (!state.IsFinal() || pj.Complete())
	})
}

// waitRunning waits until the runner says the job's command runs.
func (e *env) waitRunning(pj *prowapi.ProwJob) {
	e.t.Helper()
	deadline := time.Now().Add(e.b.Timeout)
	for time.Now().Before(deadline) {
		cur, err := e.b.Store.Get(context.Background(), pj.Name)
		if err != nil {
			e.t.Fatal(err)
		}
		st, err := e.b.Runner.Status(context.Background(), cur)
		if err != nil {
			e.t.Fatal(err)
		}
		if st.Phase == jobs.RunRunning {
			return
		}
		// Runs are observed, not notified: poll briefly.
		<-time.After(20 * time.Millisecond)
	}
	e.t.Fatalf("the run of %s never ran", pj.Name)
}

// abort asks for the abort of one job, as deck's abort button does: the
// record says aborted and the controller stops the run.
func (e *env) abort(name string) {
	e.t.Helper()
	if err := jobs.AbortJob(context.Background(), e.b.Store, name, "Aborted by test."); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) mustGet(name string) *prowapi.ProwJob {
	e.t.Helper()
	pj, err := e.b.Store.Get(context.Background(), name)
	if err != nil {
		e.t.Fatal(err)
	}
	return pj
}

func (e *env) states(names ...string) string {
	e.t.Helper()
	out := ""
	for _, n := range names {
		out += fmt.Sprintf("%s=%s ", n, e.mustGet(n).Status.State)
	}
	return out
}

func named(pj *prowapi.ProwJob, job string, pull int, age time.Duration) *prowapi.ProwJob {
	pj.Spec.Job = job
	pj.Status.StartTime = metav1.NewTime(time.Now().Add(-age))
	if pj.Spec.Refs != nil && len(pj.Spec.Refs.Pulls) > 0 {
		pj.Spec.Refs.Pulls[0].Number = pull
	}
	return pj
}
