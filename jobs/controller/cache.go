package controller

import (
	"slices"
	"sync"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// summary is what the controller keeps of each job to count the
// concurrency and find superseded runs without reading the store.
type summary struct {
	name     string
	state    prowapi.ProwJobState
	complete bool
	job      string
	typ      prowapi.ProwJobType
	repo     string // org/repo@base
	pulls    []int
	start    time.Time
	// limited: the job has its own max_concurrency.
	limited bool
}

func summarize(pj *prowapi.ProwJob) summary {
	s := summary{name: pj.Name, state: pj.Status.State, complete: pj.Complete(), job: pj.Spec.Job, typ: pj.Spec.Type, start: pj.Status.StartTime.Time,
		limited: pj.Spec.MaxConcurrency > 0}
	if r := pj.Spec.Refs; r != nil {
		s.repo = r.Org + "/" + r.Repo + "@" + r.BaseRef
		for _, p := range r.Pulls {
			s.pulls = append(s.pulls, p.Number)
		}
	}
	return s
}

// older is true when a was created before b.
func (a summary) older(b summary) bool {
	if !a.start.Equal(b.start) {
		return a.start.Before(b.start)
	}
	return a.name < b.name
}

// cache mirrors the store's jobs from its watch.
type cache struct {
	mu   sync.Mutex
	jobs map[string]summary
}

func newCache() *cache { return &cache{jobs: map[string]summary{}} }

func (c *cache) put(s summary) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.jobs[s.name] = s
}

func (c *cache) remove(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.jobs, name)
}

// setState records a state the controller is about to write, so the
// counts see it before the watch does.
func (c *cache) setState(name string, state prowapi.ProwJobState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.jobs[name]; ok {
		s.state = state
		c.jobs[name] = s
	}
}

// counts are the concurrency and supersession facts about one job.
type counts struct {
	pending, sameJobAhead, olderWaiting int
	superseded                          bool
}

func (c *cache) countsFor(me summary) counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out counts
	for _, s := range c.jobs {
		if s.name == me.name {
			continue
		}
		if s.state == prowapi.PendingState && !s.complete {
			out.pending++
		}
		olderTriggered := s.state == prowapi.TriggeredState && !s.complete && s.older(me)
		if s.job == me.job && !s.complete && (s.state == prowapi.PendingState || olderTriggered) {
			out.sameJobAhead++
		}
		if olderTriggered && !s.limited {
			out.olderWaiting++
		}
		if me.supersededBy(s) {
			out.superseded = true
		}
	}
	return out
}

// supersededBy says whether s is a newer run of the same presubmit for
// the same pull requests as a. Finished or not, as in Prow: a newer run
// that already reported makes the older one's result obsolete.
func (a summary) supersededBy(s summary) bool {
	return a.typ == prowapi.PresubmitJob && s.typ == prowapi.PresubmitJob && s.job == a.job && s.repo == a.repo &&
		slices.Equal(s.pulls, a.pulls) && a.older(s)
}

// waiting lists the triggered jobs (to look at again when a run ends).
func (c *cache) waiting() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, s := range c.jobs {
		if s.state == prowapi.TriggeredState && !s.complete {
			out = append(out, s.name)
		}
	}
	return out
}

// incompleteJobs lists the pending jobs, and with waiting also the
// triggered ones.
func (c *cache) incompleteJobs(waiting bool) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, s := range c.jobs {
		if !s.complete && (waiting || s.state != prowapi.TriggeredState) {
			out = append(out, s.name)
		}
	}
	return out
}

// anyLimited says whether an unfinished job has its own max_concurrency.
func (c *cache) anyLimited() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.jobs {
		if s.limited && !s.complete {
			return true
		}
	}
	return false
}
