package controller

import (
	"context"
	"errors"
	"fmt"

	"k8s.io/client-go/util/workqueue"
	crcontroller "sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"
)

// ControllerName names the controller on a manager, as Prow names its
// job controller: its queue and reconcile metrics carry it.
const ControllerName = "plank"

// Register adds the controller to a controller-runtime manager, as the
// reconciler "plank", instead of running it with Run. The manager's
// workers (Workers of them) reconcile the jobs, through the same
// decision as Run's; its queue is controller-runtime's priority queue,
// fed by the store's watch, the runner's notices and the resync. The
// controller starts when this replica leads and the manager's caches
// have synced, and its queue and reconcile metrics are the manager's.
func (c *Controller) Register(mgr manager.Manager) error {
	ctl, err := crcontroller.NewTyped[string](ControllerName, mgr, crcontroller.TypedOptions[string]{
		MaxConcurrentReconciles: c.opts.Workers,
		Reconciler: reconcile.TypedFunc[string](func(ctx context.Context, name string) (reconcile.Result, error) {
			c.reconcileOrRetry(ctx, name)
			return reconcile.Result{}, nil
		}),
		// The queue is made when the controller starts; the controller
		// keeps it to queue jobs ahead of others and after a delay.
		NewQueue: func(name string, limiter workqueue.TypedRateLimiter[string]) workqueue.TypedRateLimitingInterface[string] {
			c.queue = priorityqueue.New(name, func(o *priorityqueue.Opts[string]) { o.RateLimiter = limiter })
			return c.queue
		},
	})
	if err != nil {
		return fmt.Errorf("register the job controller: %w", err)
	}
	// The source starts after the queue is made, and feeds it until the
	// manager stops.
	return ctl.Watch(source.TypedFunc[string](func(ctx context.Context, _ workqueue.TypedRateLimitingInterface[string]) error {
		if c.queue == nil {
			return errors.New("the job controller's queue was not made")
		}
		events, err := c.subscribe(ctx)
		if err != nil {
			return err
		}
		go func() {
			if err := c.feed(ctx, events); err != nil {
				c.opts.Logger.WithError(err).Error("The job controller stopped")
			}
		}()
		return nil
	}))
}
