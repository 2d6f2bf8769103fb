package controller

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// bruteCounts is countsFor by looking at every job: what the indexes
// must agree with.
func bruteCounts(jobs map[string]summary, me summary) counts {
	var out counts
	for _, s := range jobs {
		if s.name == me.name {
			continue
		}
		if s.pending() {
			out.pending++
		}
		olderTriggered := s.triggered() && s.older(me)
		if s.job == me.job && (s.pending() || olderTriggered) {
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

// TestCacheCountsMatchAFullScan drives the cache with random puts, state
// changes and removals and checks every answer against a full scan.
func TestCacheCountsMatchAFullScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	states := []prowapi.ProwJobState{prowapi.TriggeredState, prowapi.PendingState, prowapi.SuccessState, prowapi.AbortedState}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	random := func(name string) summary {
		s := summary{name: name, state: states[rng.IntN(len(states))], job: fmt.Sprintf("job-%d", rng.IntN(4)),
			typ: prowapi.PresubmitJob, repo: "o/r@main", pulls: []int{rng.IntN(3)},
			start: base.Add(time.Duration(rng.IntN(20)) * time.Second), limited: rng.IntN(4) == 0}
		s.complete = s.state == prowapi.SuccessState || (s.state == prowapi.AbortedState && rng.IntN(2) == 0)
		if rng.IntN(3) == 0 {
			s.typ, s.repo, s.pulls = prowapi.PeriodicJob, "", nil
		}
		return s
	}
	c := newCache()
	for step := range 5000 {
		name := fmt.Sprintf("pj-%d", rng.IntN(60))
		switch rng.IntN(10) {
		case 0:
			c.remove(name)
		case 1, 2:
			c.setState(name, states[rng.IntN(2)])
		default:
			c.put(random(name))
		}
		me := random(fmt.Sprintf("pj-%d", rng.IntN(70)))
		if got, want := c.countsFor(me), bruteCounts(c.jobs, me); got != want {
			t.Fatalf("step %d: countsFor(%+v) = %+v, a full scan says %+v", step, me, got, want)
		}
		var waiting, incomplete, incompleteRunning []string
		limited := false
		for _, s := range c.jobs {
			if s.triggered() {
				waiting = append(waiting, s.name)
			}
			if !s.complete {
				incomplete = append(incomplete, s.name)
				if !s.triggered() {
					incompleteRunning = append(incompleteRunning, s.name)
				}
				limited = limited || s.limited
			}
		}
		for _, check := range []struct {
			what      string
			got, want []string
		}{{"waiting", c.waiting(), waiting}, {"incompleteJobs(true)", c.incompleteJobs(true), incomplete},
			{"incompleteJobs(false)", c.incompleteJobs(false), incompleteRunning}} {
			slices.Sort(check.got)
			slices.Sort(check.want)
			if !slices.Equal(check.got, check.want) {
				t.Fatalf("step %d: %s = %v, want %v", step, check.what, check.got, check.want)
			}
		}
		if c.anyLimited() != limited {
			t.Fatalf("step %d: anyLimited = %v, want %v", step, !limited, limited)
		}
	}
}
