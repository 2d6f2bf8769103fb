package report

import (
	"sync"
	"time"
)

// queue hands out job names to workers: a name queued several times is
// handed out once, and never to two workers at the same time (a name
// queued while being worked on is handed out again after). A name whose
// work failed comes back after a delay that doubles with each failure.
type queue struct {
	base, max time.Duration

	mu         sync.Mutex
	cond       *sync.Cond
	order      []string
	queued     map[string]bool
	processing map[string]bool
	again      map[string]bool
	failures   map[string]int
	timers     map[*time.Timer]struct{}
	closed     bool
}

func newQueue(base, maxDelay time.Duration) *queue {
	q := &queue{
		base: base, max: maxDelay,
		queued: map[string]bool{}, processing: map[string]bool{}, again: map[string]bool{},
		failures: map[string]int{}, timers: map[*time.Timer]struct{}{},
	}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// add queues name.
func (q *queue) add(name string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.addLocked(name)
}

func (q *queue) addLocked(name string) {
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

// retry queues name again after its backoff, which doubles with every
// failure until forget, or after atLeast when that is longer (bounded by
// the queue's longest delay all the same).
func (q *queue) retry(name string, atLeast time.Duration) time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return 0
	}
	d := retryDelay(q.base, q.max, q.failures[name], atLeast)
	q.failures[name]++
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		delete(q.timers, t)
		q.addLocked(name)
	})
	q.timers[t] = struct{}{}
	return d
}

// backoff is base doubled n times, at most maxDelay.
// retryDelay is the wait before a report that failed n times in a row
// is made again: the backoff, or atLeast (what the outside system asked
// for, capped at maxDelay) when that is longer.
func retryDelay(base, maxDelay time.Duration, n int, atLeast time.Duration) time.Duration {
	return max(backoff(base, maxDelay, n), min(atLeast, maxDelay))
}

func backoff(base, maxDelay time.Duration, n int) time.Duration {
	d := base
	for i := 0; i < n && d < maxDelay; i++ {
		d *= 2
	}
	return min(d, maxDelay)
}

// forget resets name's backoff after a success.
func (q *queue) forget(name string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.failures, name)
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
		q.addLocked(name)
	}
}

// close wakes the workers up to stop and cancels pending retries.
func (q *queue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	for t := range q.timers {
		t.Stop()
	}
	clear(q.timers)
	q.cond.Broadcast()
}
