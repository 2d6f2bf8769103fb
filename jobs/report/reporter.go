package report

import (
	"context"
	"sync"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Reporter tells one outside system about jobs.
type Reporter interface {
	// Name is the reporter's key in status.prev_report_states, such as
	// "github-reporter".
	Name() string
	// ShouldReport says whether pj is of interest to the reporter at all
	// (whatever its state).
	ShouldReport(cfg *config.Config, pj *prowapi.ProwJob) bool
	// Report tells about pj's current state. It must be safe to repeat:
	// a report whose recording failed is made again. pj is the reporter's
	// own copy.
	Report(ctx context.Context, log *logrus.Entry, cfg *config.Config, pj *prowapi.ProwJob) error
}

// Store is what the loop needs of the job store: it reads jobs, records
// the reported states and watches for changes.
type Store interface {
	jobs.Getter
	jobs.Updater
	jobs.Watcher
}

// jobLog adds the job's fields to log.
func jobLog(log *logrus.Entry, pj *prowapi.ProwJob) *logrus.Entry {
	f := logrus.Fields{"job": pj.Spec.Job, "name": pj.Name}
	if pj.Status.BuildID != "" {
		f["build"] = pj.Status.BuildID
	}
	if r := pj.Spec.Refs; r != nil {
		f["org"], f["repo"] = r.Org, r.Repo
		if len(r.Pulls) == 1 {
			f["pr"] = r.Pulls[0].Number
		}
	}
	return log.WithFields(f)
}

// keyedMutex is a set of mutexes by key (a job, a pull request), made on
// demand and dropped when nobody holds or waits for them.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	ch   chan struct{}
	refs int
}

// lock takes the mutex of key, waiting until it is free or ctx ends.
func (k *keyedMutex) lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyLock{ch: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.refs++
	k.mu.Unlock()

	release := func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		l.refs--
		if l.refs == 0 {
			delete(k.locks, key)
		}
	}
	select {
	case l.ch <- struct{}{}:
		return func() {
			<-l.ch
			release()
		}, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}
