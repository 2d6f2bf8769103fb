package sinker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Store is what the sinker needs of the job store.
type Store interface {
	jobs.Lister
	jobs.Deleter
}

// Sinker deletes old job records.
type Sinker struct {
	Store  Store
	Runner jobs.Runner // optional: frees what a run holds
	Config config.Getter
	Logger *logrus.Entry
	Now    func() time.Time
}

// Expired says whether a finished job is past its age and not the
// newest run of a periodic.
func Expired(pj *prowapi.ProwJob, maxAge time.Duration, now time.Time, newestPeriodic bool) bool {
	if !pj.Complete() || (pj.Spec.Type == prowapi.PeriodicJob && newestPeriodic) {
		return false
	}
	return now.Sub(pj.Status.CompletionTime.Time) > maxAge
}

// Sync deletes the expired records and returns how many.
func (s *Sinker) Sync(ctx context.Context) (int, error) {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	cfg := s.Config()
	maxAge := 7 * 24 * time.Hour
	if cfg.Sinker.MaxProwJobAge != nil {
		maxAge = cfg.Sinker.MaxProwJobAge.Duration
	}
	expired, err := s.expired(ctx, maxAge, now)
	if err != nil {
		return 0, err
	}
	deleted := 0
	var errs []error
	for i := range expired {
		pj := &expired[i]
		if s.Runner != nil {
			if err := s.Runner.Stop(ctx, pj); err != nil {
				errs = append(errs, fmt.Errorf("free the run of %s: %w", pj.Name, err))
				continue
			}
		}
		if err := s.Store.Delete(ctx, pj.Name); err != nil && !errors.Is(err, jobs.ErrNotFound) {
			errs = append(errs, fmt.Errorf("delete job %s: %w", pj.Name, err))
			continue
		}
		deleted++
	}
	if deleted > 0 {
		s.logger().WithField("count", deleted).Info("Deleted old jobs")
	}
	return deleted, errors.Join(errs...)
}

// expired lists the records past maxAge, keeping each periodic's newest.
func (s *Sinker) expired(ctx context.Context, maxAge time.Duration, now time.Time) ([]prowapi.ProwJob, error) {
	seenPeriodic := map[string]bool{}
	var expired []prowapi.ProwJob
	page := jobs.Page{Limit: 500}
	for {
		list, err := s.Store.List(ctx, jobs.Filter{}, page) // newest first
		if err != nil {
			return nil, fmt.Errorf("list jobs to clean up: %w", err)
		}
		for i := range list.Items {
			pj := &list.Items[i]
			newest := false
			if pj.Spec.Type == prowapi.PeriodicJob && !seenPeriodic[pj.Spec.Job] {
				seenPeriodic[pj.Spec.Job], newest = true, true
			}
			if Expired(pj, maxAge, now, newest) {
				expired = append(expired, *pj)
			}
		}
		if list.Continue == "" {
			return expired, nil
		}
		page.Continue = list.Continue
	}
}

func (s *Sinker) logger() *logrus.Entry {
	if s.Logger == nil {
		return logrus.NewEntry(logrus.StandardLogger())
	}
	return s.Logger
}

// Run syncs at sinker.resync_period until ctx ends.
func (s *Sinker) Run(ctx context.Context) {
	for {
		if _, err := s.Sync(ctx); err != nil && ctx.Err() == nil {
			s.logger().WithError(err).Warn("Cleaning up old jobs failed")
		}
		period := time.Hour
		if p := s.Config().Sinker.ResyncPeriod; p != nil && p.Duration > 0 {
			period = p.Duration
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(period):
		}
	}
}
