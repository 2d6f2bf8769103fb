package local

import (
	"context"
	"sync"
	"time"
)

const (
	// maxUploadDelay bounds how long a run's background work waits for
	// the runs starting to be started.
	maxUploadDelay = 2 * time.Second
	// startQuiet is how long no run must have started for a burst to be
	// over.
	startQuiet = 50 * time.Millisecond
)

// startGate tells a burst of starting runs. A run is starting from Start
// until its command runs (or the run ends before that). The work a run
// does once its command runs — started.json, the state file, and once
// it ends its uploads — waits until no run is starting and none started
// for startQuiet, or for maxUploadDelay at most: under a burst of jobs
// the CPU goes to starting commands first, and a run's results are
// reported at most a couple of seconds later than they could be.
type startGate struct {
	mu        sync.Mutex
	n         int
	lastEnter time.Time
	idle      chan struct{} // closed while n is 0
}

func newStartGate() *startGate {
	g := &startGate{idle: make(chan struct{})}
	close(g.idle)
	return g
}

func (g *startGate) enter() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n == 0 {
		g.idle = make(chan struct{})
	}
	g.n++
	g.lastEnter = time.Now()
}

func (g *startGate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n--; g.n == 0 {
		close(g.idle)
	}
}

// waitIdle returns once no burst of starts is going, after
// maxUploadDelay, or when ctx ends (false).
func (g *startGate) waitIdle(ctx context.Context) bool {
	var deadline <-chan time.Time
	for {
		// While runs are starting, wait for the last to start; then
		// for the quiet time since the last began.
		var idle <-chan struct{}
		g.mu.Lock()
		quietFor := startQuiet - time.Since(g.lastEnter)
		if g.n > 0 {
			idle, quietFor = g.idle, maxUploadDelay
		}
		g.mu.Unlock()
		if quietFor <= 0 {
			return true
		}
		if deadline == nil {
			t := time.NewTimer(maxUploadDelay)
			defer t.Stop()
			deadline = t.C
		}
		quiet := time.NewTimer(quietFor)
		select {
		case <-idle:
		case <-quiet.C:
		case <-deadline:
			quiet.Stop()
			return true
		case <-ctx.Done():
			quiet.Stop()
			return false
		}
		quiet.Stop()
	}
}

// acquireUpload waits for a burst of starts to be over and for an upload
// slot, so that a burst of finishing runs leaves the CPU to the runs
// starting; false when ctx ends first. releaseUpload gives the slot back.
func (r *Runner) acquireUpload(ctx context.Context) bool {
	if !r.starting.waitIdle(ctx) {
		return false
	}
	select {
	case r.uploadSlots <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (r *Runner) releaseUpload() { <-r.uploadSlots }

// started takes the run out of the starting ones, once.
func (rn *run) started() {
	if !rn.startDone {
		rn.startDone = true
		rn.r.starting.leave()
	}
}
