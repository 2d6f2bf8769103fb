package controller

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Store is what the controller needs of the job store.
type Store interface {
	jobs.Getter
	jobs.Updater
	jobs.Watcher
}

// GitHubReporter is the reporter name whose report a superseded run
// marks done.
const GitHubReporter = "github-reporter"

// Options configure a Controller.
type Options struct {
	Store  Store
	Runner jobs.Runner
	Config config.Getter
	Logger *logrus.Entry
	// Workers reconcile jobs in parallel (default 4).
	Workers int
	// Resync is how often running jobs' runs are looked at (default 1s);
	// ten times less often when the runner tells of its runs' changes
	// (jobs.RunNotifier).
	Resync time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// BuildIDs hands out build IDs; nil means a fresh generator.
	BuildIDs *jobs.BuildIDs
}

// Controller drives jobs through their states.
type Controller struct {
	opts Options
	// queue hands out job names to the workers: controller-runtime's
	// priority queue, which hands a name queued several times out once,
	// never to two workers at once, and urgent names (jobs waiting to
	// start) before the others (runs to look at again), so a burst of
	// running jobs does not delay the start of the next.
	queue priorityqueue.PriorityQueue[string]
	cache *cache
	// startMu makes deciding a start and reserving its slot atomic.
	startMu sync.Mutex
	// poll is how often a pending job's run is looked at.
	poll time.Duration
}

// New checks the options and builds a Controller.
func New(o Options) (*Controller, error) {
	if o.Store == nil || o.Runner == nil || o.Config == nil {
		return nil, errors.New("controller needs a job store, a runner and the configuration")
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Resync <= 0 {
		o.Resync = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.BuildIDs == nil {
		o.BuildIDs = &jobs.BuildIDs{Now: o.Now}
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	c := &Controller{opts: o, cache: newCache(), poll: o.Resync}
	if _, ok := o.Runner.(jobs.RunNotifier); ok {
		c.poll = notifiedPolls * o.Resync
	}
	return c, nil
}

// urgent is the queue priority of jobs waiting to start.
var urgent = 1

// addUrgent queues name ahead of the names to look at again.
func (c *Controller) addUrgent(name string) {
	c.queue.AddWithOpts(priorityqueue.AddOpts{Priority: &urgent}, name)
}

// notifiedPolls: a runner that tells of its runs' changes is polled
// every tenth resync, for the timeouts and for safety.
const notifiedPolls = 10

// Run reconciles jobs until ctx ends, with its own queue and workers
// (the embedded mode; cluster mode registers the controller with a
// controller-runtime manager instead, see Register). A Controller runs
// once.
func (c *Controller) Run(ctx context.Context) error {
	c.queue = priorityqueue.New[string]("prowjobs")
	events, err := c.subscribe(ctx)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	defer c.queue.ShutDown()
	for range c.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.work(ctx)
		}()
	}
	return c.feed(ctx, events)
}

// subscribe watches the jobs and has the runner's changes queued.
func (c *Controller) subscribe(ctx context.Context) (<-chan jobs.Event, error) {
	events, err := c.opts.Store.Watch(ctx)
	if err != nil {
		return nil, fmt.Errorf("watch jobs: %w", err)
	}
	if n, ok := c.opts.Runner.(jobs.RunNotifier); ok {
		n.NotifyRunChanges(c.queue.Add)
		context.AfterFunc(ctx, func() { n.NotifyRunChanges(func(string) {}) })
	}
	return events, nil
}

// feed queues the jobs the watch tells of, and on every resync the
// runs to look at again, until ctx ends.
func (c *Controller) feed(ctx context.Context, events <-chan jobs.Event) error {
	ticker := time.NewTicker(c.opts.Resync)
	defer ticker.Stop()
	for tick := 0; ; {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				if ctx.Err() != nil {
					return nil
				}
				return errors.New("the job store's watch ended")
			}
			c.observe(ev)
		case <-ticker.C:
			// Runs are looked at every poll; waiting jobs are queued
			// by the events that free a slot, and, to be safe, every
			// tenth resync.
			tick++
			if tick%int(c.poll/c.opts.Resync) == 0 { // 1 or 10: every tenth tick is a poll
				for _, name := range c.cache.incompleteJobs(tick%10 == 0) {
					c.queue.Add(name)
				}
			}
		}
	}
}

// observe updates the cache from a watch event and queues the job, and,
// when a run ends, the jobs waiting for a slot.
func (c *Controller) observe(ev jobs.Event) {
	if ev.Type == jobs.Deleted {
		c.cache.remove(ev.Job.Name)
		return
	}
	s := summarize(ev.Job)
	c.cache.put(s)
	if s.state == prowapi.TriggeredState {
		c.addUrgent(s.name)
	} else {
		c.queue.Add(s.name)
	}
	if s.state != prowapi.TriggeredState && s.state != prowapi.PendingState && c.limited() {
		for _, name := range c.cache.waiting() {
			c.addUrgent(name)
		}
	}
}

func (c *Controller) work(ctx context.Context) {
	for {
		name, shutdown := c.queue.Get()
		if shutdown {
			return
		}
		c.reconcileOrRetry(ctx, name)
		c.queue.Done(name)
	}
}

// reconcileOrRetry reconciles the job, and looks at it again after a
// resync when that fails.
func (c *Controller) reconcileOrRetry(ctx context.Context, name string) {
	if err := c.reconcile(ctx, name); err != nil && ctx.Err() == nil {
		c.opts.Logger.WithError(err).WithField("name", name).Warn("Reconcile failed; retrying")
		c.queue.AddAfter(name, c.opts.Resync)
	}
}

// reconcile brings one job one step on.
func (c *Controller) reconcile(ctx context.Context, name string) error {
	pj, err := c.opts.Store.Get(ctx, name)
	if errors.Is(err, jobs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	cfg := c.opts.Config()
	in := Input{Job: pj, Now: c.opts.Now(), MaxConcurrency: cfg.Plank.MaxConcurrency}
	if cfg.Plank.PodPendingTimeout != nil {
		in.PendingTimeout = cfg.Plank.PodPendingTimeout.Duration
	}
	if cfg.Plank.PodRunningTimeout != nil {
		in.RunningTimeout = cfg.Plank.PodRunningTimeout.Duration
	}
	if pj.Status.State == prowapi.PendingState && !pj.Complete() {
		if in.Run, err = c.opts.Runner.Status(ctx, pj); err != nil {
			return fmt.Errorf("status of the run of %s: %w", name, err)
		}
	}
	c.startMu.Lock()
	cnt := c.cache.countsFor(summarize(pj))
	in.Pending, in.SameJobAhead, in.Superseded, in.OlderWaiting = cnt.pending, cnt.sameJobAhead, cnt.superseded, cnt.olderWaiting
	in.SameQueueAhead = cnt.sameQueueAhead
	in.QueueCapacity, in.QueueKnown = cfg.Plank.JobQueueCapacities[pj.Spec.JobQueueName]
	d := Decide(in)
	if d.Action == Start {
		c.cache.setState(name, prowapi.PendingState) // hold the slot
	}
	c.startMu.Unlock()
	log := c.opts.Logger.WithFields(logrus.Fields{"job": pj.Spec.Job, "name": name})
	switch d.Action {
	case Wait:
		c.queue.AddAfter(name, c.opts.Resync)
	case Start:
		return c.start(ctx, log, cfg, pj, d)
	case StartRun:
		return c.startRun(ctx, log, pj)
	case Finish:
		return c.finish(ctx, log, pj, d)
	default:
		if pj.Status.State == prowapi.PendingState {
			c.queue.AddAfter(name, c.poll)
		}
	}
	return nil
}

// start writes the job pending with its build ID, then starts its run;
// a StartingRunner's run is started first and recorded in that write.
func (c *Controller) start(ctx context.Context, log *logrus.Entry, cfg *config.Config, pj *prowapi.ProwJob, d Decision) error {
	now := metav1.NewTime(c.opts.Now())
	pj.Status.State = d.State
	pj.Status.Description = d.Description
	pj.Status.PendingTime = &now
	pj.Status.BuildID = c.opts.BuildIDs.Next()
	pj.Status.URL = jobURL(cfg, pj)
	if r, ok := c.opts.Runner.(jobs.StartingRunner); ok {
		return c.startFirst(ctx, log, cfg, r, pj)
	}
	updated, err := c.opts.Store.Update(ctx, pj)
	if err != nil {
		c.cache.setState(pj.Name, prowapi.TriggeredState)
		return fmt.Errorf("mark %s pending: %w", pj.Name, err)
	}
	log.WithField("build", updated.Status.BuildID).Info("Job pending")
	return c.startRun(ctx, log, updated)
}

// startFirst starts the run of a StartingRunner, then writes the job
// pending with the run's name and build ID. When the write fails the
// job stays triggered, and its next start finds the run.
func (c *Controller) startFirst(ctx context.Context, log *logrus.Entry, cfg *config.Config, r jobs.StartingRunner, pj *prowapi.ProwJob) error {
	run, err := r.StartRun(ctx, pj)
	if err != nil {
		log.WithError(err).Warn("The job's run could not be started")
		return c.finish(ctx, log, pj, Decision{Action: Finish, State: prowapi.ErrorState, Description: "Job could not be started: " + err.Error()})
	}
	if run.BuildID != "" && run.BuildID != pj.Status.BuildID {
		pj.Status.BuildID = run.BuildID
		pj.Status.URL = jobURL(cfg, pj)
	}
	pj.Status.PodName = run.Name
	updated, err := c.opts.Store.Update(ctx, pj)
	if err != nil {
		c.cache.setState(pj.Name, prowapi.TriggeredState)
		return fmt.Errorf("mark %s pending: %w", pj.Name, err)
	}
	log.WithField("build", updated.Status.BuildID).Info("Job pending")
	c.queue.AddAfter(pj.Name, c.poll)
	return nil
}

func (c *Controller) startRun(ctx context.Context, log *logrus.Entry, pj *prowapi.ProwJob) error {
	if err := c.opts.Runner.Start(ctx, pj); err != nil {
		log.WithError(err).Warn("The job's run could not be started")
		return c.finish(ctx, log, pj, Decision{Action: Finish, State: prowapi.ErrorState, Description: "Job could not be started: " + err.Error()})
	}
	c.queue.AddAfter(pj.Name, c.poll)
	return nil
}

// finish stops the run when asked and writes the final state.
func (c *Controller) finish(ctx context.Context, log *logrus.Entry, pj *prowapi.ProwJob, d Decision) error {
	if d.StopRun {
		if err := c.opts.Runner.Stop(ctx, pj); err != nil {
			return fmt.Errorf("stop the run of %s: %w", pj.Name, err)
		}
	}
	now := metav1.NewTime(c.opts.Now())
	pj.Status.State = d.State
	if d.Description != "" {
		pj.Status.Description = d.Description
	}
	pj.Status.CompletionTime = &now
	if d.Superseded {
		if pj.Status.PrevReportStates == nil {
			pj.Status.PrevReportStates = map[string]prowapi.ProwJobState{}
		}
		pj.Status.PrevReportStates[GitHubReporter] = prowapi.AbortedState
	}
	if _, err := c.opts.Store.Update(ctx, pj); err != nil {
		return fmt.Errorf("finish %s as %s: %w", pj.Name, d.State, err)
	}
	log.WithFields(logrus.Fields{"build": pj.Status.BuildID, "state": d.State}).Info("Job finished")
	return nil
}

// jobURL is the job's page: the deck prefix and its artifacts directory,
// or plank.job_url_template.
func jobURL(cfg *config.Config, pj *prowapi.ProwJob) string {
	a, err := jobs.ArtifactsOf(pj)
	if err == nil {
		prefix := cfg.Plank.JobURLPrefix(a.Job.Org, a.Job.Repo)
		if g := pj.Spec.DecorationConfig.GCSConfiguration; prefix == "" && g.JobURLPrefix != "" {
			prefix = g.JobURLPrefix
		}
		if prefix != "" {
			return a.URL(prefix)
		}
	}
	if t := cfg.Plank.JobURLTemplate(); t != nil {
		var b bytes.Buffer
		if t.Execute(&b, pj) == nil {
			return b.String()
		}
	}
	return ""
}

// limited says whether jobs can wait for a slot: a global or per-job
// max_concurrency or a job queue is set (for per-job limits and queues,
// the cache knows).
func (c *Controller) limited() bool {
	return c.opts.Config().Plank.MaxConcurrency > 0 || c.cache.anyLimited()
}
