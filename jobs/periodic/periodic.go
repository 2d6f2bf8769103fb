package periodic

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Last is what the schedule needs of a periodic's latest run.
type Last struct {
	Exists     bool
	Started    time.Time
	Completed  time.Time // zero while it runs
	IsComplete bool
}

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Due says whether periodic p should run at now, given its last run and
// when the scheduler last looked (for a cron job that never ran).
func Due(p config.Periodic, last Last, now, lastCheck time.Time) (bool, error) {
	switch {
	case p.Cron != "":
		sched, err := cronParser.Parse(p.Cron)
		if err != nil {
			return false, fmt.Errorf("periodic %s: cron %q: %w", p.Name, p.Cron, err)
		}
		since := lastCheck
		if last.Exists {
			since = last.Started
		}
		return !sched.Next(since).After(now), nil
	case !last.Exists:
		return true, nil
	case p.MinimumInterval != "":
		return last.IsComplete && now.Sub(last.Completed) >= p.GetMinimumInterval(), nil
	default:
		return last.IsComplete && now.Sub(last.Started) >= p.GetInterval(), nil
	}
}

// Store is what the scheduler needs of the job store.
type Store interface {
	jobs.Creator
	jobs.Lister
}

// Scheduler starts periodics when they are due.
type Scheduler struct {
	Store  Store
	Config config.Getter
	Logger *logrus.Entry
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	lastCheck time.Time
}

func (s *Scheduler) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Sync starts every periodic that is due now, and returns how many it
// started.
func (s *Scheduler) Sync(ctx context.Context) (int, error) {
	now := s.now()
	if s.lastCheck.IsZero() {
		s.lastCheck = now
	}
	cfg := s.Config()
	b := jobs.Builder{Now: s.Now, Namespace: cfg.ProwJobNamespace}
	started := 0
	var errs []error
	for _, p := range cfg.Periodics {
		last, err := s.last(ctx, p.Name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		due, err := Due(p, last, now, s.lastCheck)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !due {
			continue
		}
		pj := b.Periodic(p, nil)
		if _, err := s.Store.Create(ctx, pj); err != nil {
			errs = append(errs, fmt.Errorf("start periodic %s: %w", p.Name, err))
			continue
		}
		started++
		s.logger().WithFields(logrus.Fields{"job": p.Name, "name": pj.Name}).Info("Started periodic")
	}
	s.lastCheck = now
	return started, errors.Join(errs...)
}

func (s *Scheduler) logger() *logrus.Entry {
	if s.Logger == nil {
		return logrus.NewEntry(logrus.StandardLogger())
	}
	return s.Logger
}

// last reads the newest run of a periodic.
func (s *Scheduler) last(ctx context.Context, name string) (Last, error) {
	list, err := s.Store.List(ctx, jobs.Filter{Job: name, Type: prowapi.PeriodicJob}, jobs.Page{Limit: 1})
	if err != nil {
		return Last{}, fmt.Errorf("last run of periodic %s: %w", name, err)
	}
	if len(list.Items) == 0 {
		return Last{}, nil
	}
	pj := list.Items[0]
	l := Last{Exists: true, Started: pj.Status.StartTime.Time, IsComplete: pj.Complete()}
	if pj.Status.CompletionTime != nil {
		l.Completed = pj.Status.CompletionTime.Time
	}
	return l, nil
}

// Run syncs every interval until ctx ends.
func (s *Scheduler) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.Sync(ctx); err != nil && ctx.Err() == nil {
			s.logger().WithError(err).Warn("Some periodics could not be started")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
