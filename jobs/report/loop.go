package report

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Defaults of LoopOptions.
const (
	DefaultWorkers       = 4
	DefaultBackoff       = time.Second
	DefaultMaxBackoff    = 5 * time.Minute
	DefaultReportTimeout = 5 * time.Minute
)

// recordAttempts bounds the read-merge-write rounds of recording the
// reported states when the job keeps changing under us.
const recordAttempts = 10

// LoopOptions configure a Loop.
type LoopOptions struct {
	// Store holds the jobs; the loop records reported states in it.
	Store Store
	// Config returns the configuration in force.
	Config config.Getter
	// Reporters are asked about every job; their names must differ.
	Reporters []Reporter
	Logger    *logrus.Entry
	// Workers report different jobs at the same time (DefaultWorkers).
	Workers int
	// Backoff is the first delay before a failed report is made again,
	// doubling up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// ReportTimeout bounds one call of Reporter.Report.
	ReportTimeout time.Duration
}

// Validate checks the options and applies the defaults.
func (o *LoopOptions) Validate() error {
	switch {
	case o.Store == nil:
		return errors.New("report loop: no job store")
	case o.Config == nil:
		return errors.New("report loop: no configuration getter")
	case len(o.Reporters) == 0:
		return errors.New("report loop: no reporters")
	}
	seen := map[string]bool{}
	for _, r := range o.Reporters {
		if r.Name() == "" || seen[r.Name()] {
			return fmt.Errorf("report loop: reporter name %q is empty or used twice", r.Name())
		}
		seen[r.Name()] = true
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	if o.MaxBackoff < o.Backoff {
		o.MaxBackoff = max(DefaultMaxBackoff, o.Backoff)
	}
	if o.ReportTimeout <= 0 {
		o.ReportTimeout = DefaultReportTimeout
	}
	return nil
}

// Loop reports job state changes: Prow's crier.
type Loop struct {
	opts     LoopOptions
	jobLocks keyedMutex
}

// NewLoop validates o and returns a loop; Run starts it.
func NewLoop(o LoopOptions) (*Loop, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return &Loop{opts: o}, nil
}

// Run watches the store and reports every change until ctx ends. It
// fails only when the first watch cannot start; a watch that ends later
// is started again.
func (l *Loop) Run(ctx context.Context) error {
	events, err := l.opts.Store.Watch(ctx)
	if err != nil {
		return fmt.Errorf("watch jobs to report: %w", err)
	}
	q := newQueue(l.opts.Backoff, l.opts.MaxBackoff)
	var wg sync.WaitGroup
	for range l.opts.Workers {
		wg.Go(func() { l.work(ctx, q) })
	}
	l.feedTo(ctx, q.add, events)
	q.close()
	wg.Wait()
	return nil
}

// rewatch starts a new watch, retrying with backoff; false when ctx ends
// first.
func (l *Loop) rewatch(ctx context.Context) (<-chan jobs.Event, bool) {
	for n := 0; ; n++ {
		if ctx.Err() != nil {
			return nil, false
		}
		t := time.NewTimer(backoff(l.opts.Backoff, l.opts.MaxBackoff, n))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, false
		case <-t.C:
		}
		events, err := l.opts.Store.Watch(ctx)
		if err == nil {
			return events, true
		}
		l.opts.Logger.WithError(err).Warn("Watching jobs failed; retrying")
	}
}

// work reports the jobs q hands out until q closes.
func (l *Loop) work(ctx context.Context, q *queue) {
	for {
		name, ok := q.get()
		if !ok {
			return
		}
		if err := l.reconcileName(ctx, name); err != nil && ctx.Err() == nil {
			d := q.retry(name, retryAfter(err))
			l.opts.Logger.WithError(err).WithFields(logrus.Fields{"name": name, "retry_in": d.String()}).Warn("Reporting job failed; retrying")
		} else {
			q.forget(name)
		}
		q.done(name)
	}
}

// RetryAfter is an error of a reporter whose outside system said how
// long to wait before trying again (Slack's Retry-After).
type RetryAfter interface {
	error
	RetryAfter() time.Duration
}

// retryAfter is the longest wait err asks for, 0 when it asks for none.
func retryAfter(err error) time.Duration {
	var ra RetryAfter
	if errors.As(err, &ra) {
		return ra.RetryAfter()
	}
	return 0
}

// reconcileName reports the stored job called name.
func (l *Loop) reconcileName(ctx context.Context, name string) error {
	pj, err := l.opts.Store.Get(ctx, name)
	if errors.Is(err, jobs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read job %s to report it: %w", name, err)
	}
	return l.reconcile(ctx, pj)
}

// ReportOnce reports pj's current state to every reporter that should
// and has not yet, and records what it reported in the store, as the
// running loop does for each change. It is for tests and tools.
func (l *Loop) ReportOnce(ctx context.Context, pj *prowapi.ProwJob) error {
	return l.reconcile(ctx, pj)
}

// reconcile makes every reporter report pj's state unless it has, then
// records the states reported. A failing reporter does not stop the
// others; its error is returned so the job is retried.
func (l *Loop) reconcile(ctx context.Context, pj *prowapi.ProwJob) error {
	state := pj.Status.State
	if state == "" {
		return nil
	}
	unlock, err := l.jobLocks.lock(ctx, pj.Name)
	if err != nil {
		return fmt.Errorf("wait to report job %s: %w", pj.Name, err)
	}
	defer unlock()
	cfg := l.opts.Config()
	log := jobLog(l.opts.Logger, pj).WithField("state", state)
	before := map[string]prowapi.ProwJobState{}
	reported := map[string]prowapi.ProwJobState{}
	var errs []error
	for _, r := range l.opts.Reporters {
		name := r.Name()
		prev := pj.Status.PrevReportStates[name]
		if prev == state || !r.ShouldReport(cfg, pj) {
			continue
		}
		rlog := log.WithField("reporter", name)
		if err := l.report(ctx, rlog, cfg, r, pj); err != nil {
			errs = append(errs, fmt.Errorf("report job %s (%s) as %s with %s: %w", pj.Name, pj.Spec.Job, state, name, err))
			continue
		}
		rlog.Debug("Job reported")
		before[name], reported[name] = prev, state
	}
	if len(reported) > 0 {
		if err := l.record(ctx, pj, before, reported); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// report calls r with a copy of pj and a time limit.
func (l *Loop) report(ctx context.Context, log *logrus.Entry, cfg *config.Config, r Reporter, pj *prowapi.ProwJob) error {
	ctx, cancel := context.WithTimeout(ctx, l.opts.ReportTimeout)
	defer cancel()
	return r.Report(ctx, log, cfg, pj.DeepCopy())
}

// record stores the reported states in pj's prev_report_states, reading
// the job again when it changed meanwhile. An entry someone else changed
// since the report (the controller marking a superseded run aborted) is
// left alone.
func (l *Loop) record(ctx context.Context, pj *prowapi.ProwJob, before, reported map[string]prowapi.ProwJobState) error {
	cur := pj
	for range recordAttempts {
		next := cur.DeepCopy()
		changed := false
		for name, state := range reported {
			prev := next.Status.PrevReportStates[name]
			if prev != before[name] || prev == state {
				continue
			}
			if next.Status.PrevReportStates == nil {
				next.Status.PrevReportStates = map[string]prowapi.ProwJobState{}
			}
			next.Status.PrevReportStates[name] = state
			changed = true
		}
		if !changed {
			return nil
		}
		_, err := l.opts.Store.Update(ctx, next)
		if err == nil {
			return nil
		}
		if !errors.Is(err, jobs.ErrConflict) {
			return fmt.Errorf("record reported states of job %s: %w", pj.Name, err)
		}
		if cur, err = l.opts.Store.Get(ctx, pj.Name); err != nil {
			if errors.Is(err, jobs.ErrNotFound) {
				return nil
			}
			return fmt.Errorf("record reported states of job %s: %w", pj.Name, err)
		}
	}
	return fmt.Errorf("record reported states of job %s: changed %d times meanwhile: %w", pj.Name, recordAttempts, jobs.ErrConflict)
}
