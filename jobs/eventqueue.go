package jobs

import (
	"context"
	"sync"
)

// EventQueue is one watch's unbounded queue, for stores implementing
// Watcher: writers Push without ever blocking, and Relay hands the events
// on in order, so a slow reader never holds up a writer.
type EventQueue struct {
	mu    sync.Mutex
	queue []Event
	wake  chan struct{}
}

// NewEventQueue returns an empty queue.
func NewEventQueue() *EventQueue { return &EventQueue{wake: make(chan struct{}, 1)} }

// Push queues ev and wakes Relay; it never blocks.
func (q *EventQueue) Push(ev Event) {
	q.mu.Lock()
	q.queue = append(q.queue, ev)
	q.mu.Unlock()
	q.signal()
}

// Prepend puts evs ahead of the queued events (a watch's initial
// listing, read after the queue began collecting changes).
func (q *EventQueue) Prepend(evs []Event) {
	q.mu.Lock()
	q.queue = append(evs, q.queue...)
	q.mu.Unlock()
	q.signal()
}

func (q *EventQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Relay sends the queued events to out in order until ctx ends, then
// closes out.
func (q *EventQueue) Relay(ctx context.Context, out chan<- Event) {
	defer close(out)
	for {
		q.mu.Lock()
		batch := q.queue
		q.queue = nil
		q.mu.Unlock()
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
		case <-q.wake:
		case <-ctx.Done():
			return
		}
	}
}
