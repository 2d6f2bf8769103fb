package controller

import (
	"sync"
	"time"
)

// lane is where a queued name waits: urgent names (jobs waiting to start)
// are handed out before normal ones (runs to look at again), so a burst of
// running jobs does not delay the start of the next.
type lane int

const (
	notQueued lane = iota
	normal
	urgent
)

// queue hands out job names to workers: a name queued several times is
// handed out once, and never to two workers at the same time (a name
// queued while being worked on is handed out again after).
type queue struct {
	mu   sync.Mutex
	cond *sync.Cond
	// lanes hold names in order; a name whose queued lane is another
	// (it was moved to the urgent lane) is skipped.
	lanes      [urgent + 1][]string
	queued     map[string]lane
	processing map[string]bool
	again      map[string]lane
	waiting    int
	closed     bool
}

func newQueue() *queue {
	q := &queue{queued: map[string]lane{}, processing: map[string]bool{}, again: map[string]lane{}}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// add queues name in the normal lane.
func (q *queue) add(name string) { q.addIn(name, normal) }

// addUrgent queues name ahead of the normal lane.
func (q *queue) addUrgent(name string) { q.addIn(name, urgent) }

func (q *queue) addIn(name string, l lane) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.closed || q.queued[name] >= l:
	case q.processing[name]:
		q.again[name] = max(q.again[name], l)
	default:
		q.push(name, l)
	}
}

// push puts name in lane l; the caller holds mu.
func (q *queue) push(name string, l lane) {
	if q.queued[name] == notQueued {
		q.waiting++
	}
	q.queued[name] = l
	q.lanes[l] = append(q.lanes[l], name)
	q.cond.Signal()
}

// addAfter queues name after d.
func (q *queue) addAfter(name string, d time.Duration) {
	time.AfterFunc(d, func() { q.add(name) })
}

// get waits for a name; false once the queue is closed.
func (q *queue) get() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.waiting == 0 && !q.closed {
		q.cond.Wait()
	}
	if q.closed {
		return "", false
	}
	for l := urgent; l >= normal; l-- {
		for len(q.lanes[l]) > 0 {
			name := q.lanes[l][0]
			q.lanes[l] = q.lanes[l][1:]
			if q.queued[name] != l {
				continue // moved to the urgent lane, or handed out already
			}
			delete(q.queued, name)
			q.waiting--
			q.processing[name] = true
			return name, true
		}
	}
	panic("controller queue: names waiting but none in a lane")
}

// done ends the work on name, queueing it again if it was added meanwhile.
func (q *queue) done(name string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.processing, name)
	if l := q.again[name]; l != notQueued {
		delete(q.again, name)
		if !q.closed && q.queued[name] < l {
			q.push(name, l)
		}
	}
}

func (q *queue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.cond.Broadcast()
}
