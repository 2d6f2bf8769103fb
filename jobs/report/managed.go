package report

import (
	"context"
	"sync"

	"github.com/sirupsen/logrus"
	"k8s.io/client-go/util/workqueue"
	crcontroller "sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"github.com/prowbot/prow/jobs"
)

// Register adds the loop to a controller-runtime manager as the
// reconciler name (Prow's crier runs one per reporter), instead of
// running it with Run. The manager's workers (Workers of them) report
// the jobs the store's watch tells of; a failed report is made again
// after the loop's backoff, or after the wait the outside system asked
// for (Retry-After), whichever is longer. The reconciler starts when
// this replica leads, and its queue and reconcile metrics are the
// manager's, under name.
func (l *Loop) Register(mgr manager.Manager, name string) error {
	retries := &failures{counts: map[string]int{}}
	ctl, err := crcontroller.NewTyped[string](name, mgr, crcontroller.TypedOptions[string]{
		MaxConcurrentReconciles: l.opts.Workers,
		Reconciler: reconcile.TypedFunc[string](func(ctx context.Context, job string) (reconcile.Result, error) {
			err := l.reconcileName(ctx, job)
			if err == nil || ctx.Err() != nil {
				retries.forget(job)
				return reconcile.Result{}, nil
			}
			d := retryDelay(l.opts.Backoff, l.opts.MaxBackoff, retries.next(job), retryAfter(err))
			l.opts.Logger.WithError(err).WithFields(logrus.Fields{"name": job, "retry_in": d.String()}).Warn("Reporting job failed; retrying")
			return reconcile.Result{RequeueAfter: d}, nil
		}),
	})
	if err != nil {
		return err
	}
	return ctl.Watch(source.TypedFunc[string](func(ctx context.Context, q workqueue.TypedRateLimitingInterface[string]) error {
		events, err := l.opts.Store.Watch(ctx)
		if err != nil {
			return err
		}
		go l.feedTo(ctx, q.Add, events)
		return nil
	}))
}

// failures counts each job's failed reports in a row, for the backoff.
type failures struct {
	mu     sync.Mutex
	counts map[string]int
}

// next counts a failure of the job and returns how many came before it.
func (f *failures) next(job string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.counts[job]
	f.counts[job]++
	return n
}

func (f *failures) forget(job string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.counts, job)
}

// feedTo hands add the name of every job the watch reports, watching
// again when the watch ends before ctx.
func (l *Loop) feedTo(ctx context.Context, add func(string), events <-chan jobs.Event) {
	for {
		for ev := range events {
			if ev.Type != jobs.Deleted && ev.Job != nil {
				add(ev.Job.Name)
			}
		}
		var ok bool
		if events, ok = l.rewatch(ctx); !ok {
			return
		}
	}
}
