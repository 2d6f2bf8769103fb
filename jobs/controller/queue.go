package controller

import (
	"sync"
	"time"
)

// queue hands out job names to workers: a name queued several times is
// handed out once, and never to two workers at the same time (a name
// queued while being worked on is handed out again after).
type queue struct {
	mu         sync.Mutex
	cond       *sync.Cond
	order      []string
	queued     map[string]bool
	processing map[string]bool
	again      map[string]bool
	closed     bool
}

func newQueue() *queue {
	q := &queue{queued: map[string]bool{}, processing: map[string]bool{}, again: map[string]bool{}}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// add queues name.
func (q *queue) add(name string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.closed || q.queued[name]:
	case q.processing[name]:
		q.again[name] = true
	default:
		q.queued[name] = true
		q.order = append(q.order, name)
		q.cond.Signal()
	}
}

// addAfter queues name after d.
func (q *queue) addAfter(name string, d time.Duration) {
	time.AfterFunc(d, func() { q.add(name) })
}

// get waits for a name; false once the queue is closed.
func (q *queue) get() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.order) == 0 && !q.closed {
		q.cond.Wait()
	}
	if q.closed {
		return "", false
	}
	name := q.order[0]
	q.order = q.order[1:]
	delete(q.queued, name)
	q.processing[name] = true
	return name, true
}

// done ends the work on name, queueing it again if it was added meanwhile.
func (q *queue) done(name string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.processing, name)
	if q.again[name] {
		delete(q.again, name)
		if !q.closed && !q.queued[name] {
			q.queued[name] = true
			q.order = append(q.order, name)
			q.cond.Signal()
		}
	}
}

// idle is true when nothing is queued or being worked on.
func (q *queue) idle() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.order) == 0 && len(q.processing) == 0
}

func (q *queue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.cond.Broadcast()
}
