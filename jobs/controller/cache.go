package controller

import (
	"slices"
	"strconv"
	"strings"
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
	// queue is the job's job_queue_name.
	queue string
	// limited: the job has its own max_concurrency or a queue, either of
	// which may hold it whatever the global limit.
	limited bool
}

func summarize(pj *prowapi.ProwJob) summary {
	s := summary{name: pj.Name, state: pj.Status.State, complete: pj.Complete(), job: pj.Spec.Job, typ: pj.Spec.Type, start: pj.Status.StartTime.Time,
		queue: pj.Spec.JobQueueName, limited: pj.Spec.MaxConcurrency > 0 || pj.Spec.JobQueueName != ""}
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

func (a summary) pending() bool   { return a.state == prowapi.PendingState && !a.complete }
func (a summary) triggered() bool { return a.state == prowapi.TriggeredState && !a.complete }

// supersededBy says whether s is a newer run of the same presubmit for
// the same pull requests as a. Finished or not, as in Prow: a newer run
// that already reported makes the older one's result obsolete.
func (a summary) supersededBy(s summary) bool {
	return a.typ == prowapi.PresubmitJob && s.typ == prowapi.PresubmitJob && s.job == a.job && s.repo == a.repo &&
		slices.Equal(s.pulls, a.pulls) && a.older(s)
}

// runsKey groups the runs of one presubmit for one set of pull requests
// ("" for other jobs).
func (a summary) runsKey() string {
	if a.typ != prowapi.PresubmitJob {
		return ""
	}
	var b strings.Builder
	b.WriteString(a.job)
	b.WriteByte(0)
	b.WriteString(a.repo)
	for _, p := range a.pulls {
		b.WriteByte(0)
		b.WriteString(strconv.Itoa(p))
	}
	return b.String()
}

// names is a set of job names.
type names map[string]struct{}

// cache mirrors the store's jobs from its watch, with indexes that
// answer countsFor without looking at every job: the store keeps
// finished jobs for days, and a busy one holds a hundred thousand.
type cache struct {
	mu   sync.Mutex
	jobs map[string]summary
	// pending counts the unfinished pending jobs, limited the unfinished
	// jobs with their own max_concurrency.
	pending, limited int
	// incomplete and triggered hold the unfinished jobs and the
	// unfinished triggered ones.
	incomplete, triggered names
	// byJob indexes the unfinished jobs by job name, byQueue by
	// job_queue_name.
	byJob, byQueue map[string]*jobRuns
	// runs indexes presubmits by runsKey, finished ones included.
	runs map[string]names
}

// jobRuns are the unfinished runs of one job.
type jobRuns struct {
	pending   int
	triggered names
}

func newCache() *cache {
	return &cache{jobs: map[string]summary{}, incomplete: names{}, triggered: names{}, byJob: map[string]*jobRuns{}, byQueue: map[string]*jobRuns{}, runs: map[string]names{}}
}

// index adds s to the indexes, or takes it out of them when add is
// false; the caller holds mu.
func (c *cache) index(s summary, add bool) {
	d := 1
	if !add {
		d = -1
	}
	setIn := func(set names) {
		if add {
			set[s.name] = struct{}{}
		} else {
			delete(set, s.name)
		}
	}
	if k := s.runsKey(); k != "" {
		set := c.runs[k]
		if set == nil {
			set = names{}
			c.runs[k] = set
		}
		if setIn(set); len(set) == 0 {
			delete(c.runs, k)
		}
	}
	if s.complete {
		return
	}
	setIn(c.incomplete)
	if s.limited {
		c.limited += d
	}
	switch {
	case s.pending():
		c.pending += d
	case s.triggered():
		setIn(c.triggered)
	}
	indexRuns(c.byJob, s.job, s, d, setIn)
	if s.queue != "" {
		indexRuns(c.byQueue, s.queue, s, d, setIn)
	}
}

// indexRuns adds s to (d = 1) or takes it out of (d = -1) the runs under
// key in idx.
func indexRuns(idx map[string]*jobRuns, key string, s summary, d int, setIn func(names)) {
	jr := idx[key]
	if jr == nil {
		jr = &jobRuns{triggered: names{}}
		idx[key] = jr
	}
	switch {
	case s.pending():
		jr.pending += d
	case s.triggered():
		setIn(jr.triggered)
	}
	if jr.pending == 0 && len(jr.triggered) == 0 {
		delete(idx, key)
	}
}

// set replaces the job's summary; the caller holds mu.
func (c *cache) set(s summary) {
	if old, ok := c.jobs[s.name]; ok {
		c.index(old, false)
	}
	c.jobs[s.name] = s
	c.index(s, true)
}

func (c *cache) put(s summary) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.set(s)
}

func (c *cache) remove(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.jobs[name]; ok {
		c.index(old, false)
		delete(c.jobs, name)
	}
}

// setState records a state the controller is about to write, so the
// counts see it before the watch does.
func (c *cache) setState(name string, state prowapi.ProwJobState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.jobs[name]; ok {
		s.state = state
		c.set(s)
	}
}

// counts are the concurrency and supersession facts about one job.
type counts struct {
	pending, sameJobAhead, sameQueueAhead, olderWaiting int
	superseded                                          bool
}

// countsFor counts, among the cached jobs other than me, those that
// bear on me's decision.
func (c *cache) countsFor(me summary) counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	cached, isCached := c.jobs[me.name]
	self := func(f func(summary) bool) int {
		if isCached && f(cached) {
			return 1
		}
		return 0
	}
	out := counts{pending: c.pending - self(summary.pending)}
	out.sameJobAhead = c.ahead(c.byJob[me.job], me, self(func(s summary) bool { return s.pending() && s.job == me.job }))
	if me.queue != "" {
		out.sameQueueAhead = c.ahead(c.byQueue[me.queue], me, self(func(s summary) bool { return s.pending() && s.queue == me.queue }))
	}
	for name := range c.triggered {
		if s := c.jobs[name]; name != me.name && !s.limited && s.older(me) {
			out.olderWaiting++
		}
	}
	for name := range c.runs[me.runsKey()] {
		if name != me.name && me.supersededBy(c.jobs[name]) {
			out.superseded = true
			break
		}
	}
	return out
}

// ahead counts the runs of jr that go before me: the pending ones (less
// me, when it is one of them: mine is 1) and the older triggered ones.
func (c *cache) ahead(jr *jobRuns, me summary, mine int) int {
	if jr == nil {
		return 0
	}
	n := jr.pending - mine
	for name := range jr.triggered {
		if name != me.name && c.jobs[name].older(me) {
			n++
		}
	}
	return n
}

// waiting lists the triggered jobs (to look at again when a run ends).
func (c *cache) waiting() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.triggered))
	for name := range c.triggered {
		out = append(out, name)
	}
	return out
}

// incompleteJobs lists the pending jobs, and with waiting also the
// triggered ones.
func (c *cache) incompleteJobs(waiting bool) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for name := range c.incomplete {
		if _, t := c.triggered[name]; waiting || !t {
			out = append(out, name)
		}
	}
	return out
}

// anyLimited says whether an unfinished job has its own max_concurrency
// or a queue.
func (c *cache) anyLimited() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.limited > 0
}
