package memstore

import (
	"context"
	"sync"

	"github.com/prowbot/prow/jobs"
)

// watcher is one watch's unbounded queue: writers push without ever
// blocking, and relay hands the events on in order.
type watcher struct {
	mu    sync.Mutex
	queue []jobs.Event
	wake  chan struct{}
}

func newWatcher() *watcher { return &watcher{wake: make(chan struct{}, 1)} }

// push queues ev and wakes relay; it never blocks.
func (w *watcher) push(ev jobs.Event) {
	w.mu.Lock()
	w.queue = append(w.queue, ev)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// relay sends the queued events to out in order until ctx ends, then
// closes out.
func (w *watcher) relay(ctx context.Context, out chan<- jobs.Event) {
	defer close(out)
	for {
		w.mu.Lock()
		batch := w.queue
		w.queue = nil
		w.mu.Unlock()
		for _, ev := range batch {
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
		}
		if len(batch) > 0 {
			continue
		}
		select {
		case <-w.wake:
		case <-ctx.Done():
			return
		}
	}
}
