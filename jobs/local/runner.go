package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/clone"
	"github.com/prowbot/prow/jobs/container"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// Buckets opens buckets by address: gs://name, s3://name or file:///dir.
// *storage.Opener is one.
type Buckets interface {
	Open(ctx context.Context, bucket string) (storage.Bucket, error)
}

var _ Buckets = (*storage.Opener)(nil)

// Options configure a Runner.
type Options struct {
	// WorkDir holds the runs, one directory per ProwJob name. It is made
	// when missing.
	WorkDir string
	// Buckets opens the bucket of a job's gcs_configuration.
	Buckets Buckets
	// RemoteURL and Credentials say how to clone (see clone.Cloner).
	RemoteURL   func(org, repo string) string
	Credentials func(ctx context.Context, org string) (user, password string, err error)
	// Env is the base environment of every job ("NAME=value"); nil
	// means PATH, HOME, USER, LOGNAME, SHELL, LANG, LC_ALL, TZ and
	// TMPDIR of this process.
	Env []string
	// Isolate, when set, wraps a job's command so that it runs isolated
	// (jobs/sandbox): it gets the command, the directory it starts in
	// and the directories it may write (its checkout and artifacts, not
	// the run's state or log), and returns the command to run instead.
	Isolate func(argv []string, workDir string, writable []string) ([]string, error)
	// Container, when set, runs a job's command in the job's image
	// (jobs/container); Isolate is then not used.
	Container Containers
	// Logger logs the runs (the standard logger when nil).
	Logger *logrus.Entry
	// Now is the clock of started.json and finished.json (time.Now when
	// nil).
	Now func() time.Time
}

// Containers run jobs' commands as containers. *container.Options is
// one.
type Containers interface {
	// Prepare gets the job's image (its output goes to log) and returns
	// the command that runs the job and that command's environment.
	Prepare(ctx context.Context, j container.Job, log io.Writer) (argv, env []string, err error)
	// Remove removes the container of the run of job name.
	Remove(ctx context.Context, runsDir, name string) error
	// RemoveLeftovers removes every container of the runner over
	// runsDir.
	RemoveLeftovers(ctx context.Context, runsDir string) (int, error)
}

var _ Containers = container.Options{}

// Validate checks that the options can make a runner.
func (o Options) Validate() error {
	if o.WorkDir == "" {
		return errors.New("local runner: no work directory")
	}
	if o.Buckets == nil {
		return errors.New("local runner: no way to open buckets")
	}
	return nil
}

// Runner runs jobs as local processes. It implements jobs.Runner.
type Runner struct {
	opts   Options
	cloner *clone.Cloner
	log    *logrus.Entry
	now    func() time.Time
	// ctx ends with Close: it stops every run without recording an
	// outcome, as a crash would.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	runs   map[string]*run
	closed bool
	// making holds the jobs whose run directory Start is making.
	making map[string]bool
	// finishing serializes finishing runs found on disk.
	finishing sync.Mutex
	// startSlots and uploadSlots bound the runs preparing to start and
	// uploading their results at once.
	startSlots, uploadSlots chan struct{}
	// starting holds back uploads while runs are starting.
	starting *startGate
	// notify is called when a run changes (see NotifyRunChanges).
	notify atomic.Pointer[func(string)]
}

var (
	_ jobs.Runner      = (*Runner)(nil)
	_ jobs.RunNotifier = (*Runner)(nil)
)

// NotifyRunChanges implements jobs.RunNotifier.
func (r *Runner) NotifyRunChanges(f func(name string)) { r.notify.Store(&f) }

// changed tells the registered function that the run of job name
// changed.
func (r *Runner) changed(name string) {
	if f := r.notify.Load(); f != nil {
		(*f)(name)
	}
}

// Messages of runs that did not end normally.
const (
	interruptedMessage = "The run was interrupted by a restart of the process running it."
	abortedMessage     = "Job was aborted."
)

// New returns a runner over opts.WorkDir.
func New(opts Options) (*Runner, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(opts.WorkDir)
	if err != nil {
		return nil, fmt.Errorf("local runner work directory %s: %w", opts.WorkDir, err)
	}
	opts.WorkDir = abs
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("create local runner work directory %s: %w", abs, err)
	}
	if opts.Env == nil {
		opts.Env = hostEnv()
	}
	r := &Runner{opts: opts, cloner: &clone.Cloner{RemoteURL: opts.RemoteURL, Credentials: opts.Credentials},
		log: opts.Logger, now: opts.Now, runs: map[string]*run{}, making: map[string]bool{},
		startSlots: newStartSlots(), uploadSlots: make(chan struct{}, max(2, runtime.GOMAXPROCS(0))),
		starting: newStartGate()}
	if r.log == nil {
		r.log = logrus.NewEntry(logrus.StandardLogger())
	}
	if r.now == nil {
		r.now = time.Now
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	if c := opts.Container; c != nil {
		// Only a killed predecessor on this work dir can have left
		// containers of it.
		n, err := c.RemoveLeftovers(r.ctx, abs)
		if err != nil {
			r.log.WithError(err).Warn("Could not remove the containers an earlier run left")
		} else if n > 0 {
			r.log.WithField("containers", n).Warn("Removed the containers an interrupted run left")
		}
	}
	return r, nil
}

func hostEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "TZ", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// runDir is the directory of a job's run.
func (r *Runner) runDir(name string) string { return filepath.Join(r.opts.WorkDir, name) }

// LogPath is the file pj's command writes its output to, complete once
// the run is over; it grows while the job runs.
func (r *Runner) LogPath(pj *prowapi.ProwJob) string {
	return filepath.Join(r.runDir(pj.Name), buildLogFile)
}

// OpenLog opens pj's build log for reading, also while the job runs.
func (r *Runner) OpenLog(pj *prowapi.ProwJob) (io.ReadCloser, error) {
	if err := checkName(pj.Name); err != nil {
		return nil, err
	}
	f, err := os.Open(r.LogPath(pj))
	if err != nil {
		return nil, fmt.Errorf("open the build log of job %s: %w", pj.Name, err)
	}
	return f, nil
}

func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return fmt.Errorf("job name %q cannot name a run directory", name)
	}
	return nil
}

// Start implements jobs.Runner: it makes the run's directory and starts
// the work in the background. A run whose directory exists, made by
// this process or an earlier one, is not started again.
func (r *Runner) Start(_ context.Context, pj *prowapi.ProwJob) error {
	if err := checkName(pj.Name); err != nil {
		return err
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return fmt.Errorf("start job %s: the local runner is closed", pj.Name)
	}
	if _, ok := r.runs[pj.Name]; ok || r.making[pj.Name] {
		r.mu.Unlock()
		return nil
	}
	r.making[pj.Name] = true // the directory is made outside the lock
	r.mu.Unlock()
	dir := r.runDir(pj.Name)
	err := os.Mkdir(dir, 0o755)
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.making, pj.Name)
	switch {
	case errors.Is(err, fs.ErrExist):
		return nil
	case err != nil:
		return fmt.Errorf("create the run directory of job %s: %w", pj.Name, err)
	case r.closed:
		_ = os.Remove(dir)
		return fmt.Errorf("start job %s: the local runner is closed", pj.Name)
	}
	// The state is first written once the command runs (or the run
	// ends before): a run interrupted before has none, and is reported
	// interrupted all the same.
	pj = pj.DeepCopy()
	st := state{Job: pj.Spec.Job, BuildID: pj.Status.BuildID, ProwJob: pj, Created: r.now()}
	rn := &run{r: r, pj: pj, dir: dir, st: st, done: make(chan struct{}), stop: make(chan struct{}),
		log: r.log.WithFields(logrus.Fields{"job": pj.Spec.Job, "build": pj.Status.BuildID})}
	r.runs[pj.Name] = rn
	r.starting.enter()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		rn.main(r.ctx)
	}()
	return nil
}

// get is the run of a job this process started, or nil.
func (r *Runner) get(name string) *run {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runs[name]
}

// isMaking says whether Start is making the job's run directory.
func (r *Runner) isMaking(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.making[name]
}

// Status implements jobs.Runner. A run this process started answers from
// memory; any other from its state file: an ended run (whose uploads are
// finished first if a restart cut them short) reports its outcome, one
// that never recorded an end was interrupted (RunError), and a job
// without a run directory has no run (RunUnknown).
func (r *Runner) Status(ctx context.Context, pj *prowapi.ProwJob) (jobs.RunStatus, error) {
	if err := checkName(pj.Name); err != nil {
		return jobs.RunStatus{}, err
	}
	if r.isMaking(pj.Name) {
		return jobs.RunStatus{Phase: jobs.RunPending}, nil
	}
	if rn := r.get(pj.Name); rn != nil {
		st, retry := rn.status()
		if retry {
			r.finishing.Lock()
			defer r.finishing.Unlock()
			if err := rn.upload(ctx); err != nil {
				return jobs.RunStatus{}, fmt.Errorf("finish the uploads of job %s: %w", pj.Name, err)
			}
		}
		return st, nil
	}
	return r.statusOnDisk(ctx, pj.Name)
}

func (r *Runner) statusOnDisk(ctx context.Context, name string) (jobs.RunStatus, error) {
	dir := r.runDir(name)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return jobs.RunStatus{Phase: jobs.RunUnknown}, nil
	}
	r.finishing.Lock()
	defer r.finishing.Unlock()
	st, err := readState(dir)
	if errors.Is(err, fs.ErrNotExist) {
		// The process went away before the command started.
		return jobs.RunStatus{Phase: jobs.RunError, Message: interruptedMessage}, nil
	}
	if err != nil {
		return jobs.RunStatus{}, fmt.Errorf("status of job %s: %w", name, err)
	}
	if !st.Phase.Done() {
		if c := r.opts.Container; c != nil {
			if err := c.Remove(ctx, r.opts.WorkDir, name); err != nil {
				r.log.WithError(err).WithFields(logrus.Fields{"job": st.Job, "build": st.BuildID}).Warn("Could not remove the container of an interrupted run")
			}
		}
		if n := killLeftovers(name); n > 0 {
			r.log.WithFields(logrus.Fields{"job": st.Job, "build": st.BuildID, "processes": n}).Warn("Killed what an interrupted run left running")
		}
		return jobs.RunStatus{Phase: jobs.RunError, Message: interruptedMessage, StartedAt: st.startedAt()}, nil
	}
	if !st.Uploaded {
		rn := &run{r: r, pj: st.ProwJob, dir: dir, st: st,
			log: r.log.WithFields(logrus.Fields{"job": st.Job, "build": st.BuildID})}
		if err := rn.upload(ctx); err != nil {
			return jobs.RunStatus{}, fmt.Errorf("finish the uploads of job %s: %w", name, err)
		}
		st = rn.st
	}
	return st.runStatus(), nil
}

// Wait returns once the run of pj that this process started is over,
// uploads included.
func (r *Runner) Wait(ctx context.Context, pj *prowapi.ProwJob) error {
	rn := r.get(pj.Name)
	if rn == nil {
		return fmt.Errorf("wait for job %s: no run of it in this process", pj.Name)
	}
	select {
	case <-rn.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for job %s: %w", pj.Name, ctx.Err())
	}
}

// Stop implements jobs.Runner: the run is aborted (SIGINT to its
// process group, SIGKILL after the grace period) and its finished.json
// says ABORTED. Stop returns once the run is over. A run that ended
// already is left as it is.
func (r *Runner) Stop(ctx context.Context, pj *prowapi.ProwJob) error {
	if err := checkName(pj.Name); err != nil {
		return err
	}
	if rn := r.get(pj.Name); rn != nil {
		rn.abort()
		select {
		case <-rn.done:
		case <-ctx.Done():
			return fmt.Errorf("stop job %s: %w", pj.Name, ctx.Err())
		}
		r.mu.Lock()
		delete(r.runs, pj.Name)
		r.mu.Unlock()
		return nil
	}
	return r.stopOnDisk(ctx, pj.Name)
}

// stopOnDisk marks an interrupted run aborted.
func (r *Runner) stopOnDisk(ctx context.Context, name string) error {
	dir := r.runDir(name)
	r.finishing.Lock()
	defer r.finishing.Unlock()
	st, err := readState(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("stop job %s: %w", name, err)
	}
	if st.Phase.Done() && st.Uploaded {
		return nil
	}
	rn := &run{r: r, pj: st.ProwJob, dir: dir, st: st, log: r.log.WithFields(logrus.Fields{"job": st.Job, "build": st.BuildID})}
	if !st.Phase.Done() {
		rn.st.end(jobs.RunFailed, storage.ResultAborted, abortedMessage, r.now())
		if err := writeState(dir, rn.st); err != nil {
			return fmt.Errorf("stop job %s: %w", name, err)
		}
	}
	if err := rn.upload(ctx); err != nil {
		return fmt.Errorf("stop job %s: %w", name, err)
	}
	return nil
}

// Close kills the processes of every run going, without recording an
// outcome (the next runner reports them interrupted), and waits for the
// runs to let go.
func (r *Runner) Close() error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.cancel()
	r.wg.Wait()
	return nil
}

// newStartSlots makes the runner's start slots: twice as many runs as
// there are processors prepare and start their commands at once.
func newStartSlots() chan struct{} { return make(chan struct{}, 2*runtime.GOMAXPROCS(0)) }
