package contract

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func testSuccess(t *testing.T, b *Backend) {
	e := start(t, b, nil)
	pj := e.create(b.Job("ok", Succeed))
	done := e.waitState(pj.Name, prowapi.SuccessState)
	if done.Status.BuildID == "" || done.Status.PendingTime == nil || done.Status.Description != "Job succeeded." {
		t.Errorf("a finished job lacks its build ID, pending time or description: %+v", done.Status)
	}
	if n := b.Runs(t, done); n != 1 {
		t.Errorf("the job ran %d times", n)
	}
}

func testFailure(t *testing.T, b *Backend) {
	e := start(t, b, nil)
	pj := e.create(b.Job("bad", Fail))
	if done := e.waitState(pj.Name, prowapi.FailureState); done.Status.Description != "Job failed." {
		t.Errorf("description %q", done.Status.Description)
	}
}

func testAbort(t *testing.T, b *Backend) {
	e := start(t, b, nil)
	pj := e.create(b.Job("hang", Hang))
	e.waitState(pj.Name, prowapi.PendingState)
	e.waitRunning(pj)
	e.abort(pj.Name)
	done := e.waitState(pj.Name, prowapi.AbortedState)
	st, err := b.Runner.Status(context.Background(), done)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Phase.Done() && st.Phase != "Unknown" {
		t.Errorf("the aborted job's run is still %s", st.Phase)
	}
}

func testGlobalConcurrency(t *testing.T, b *Backend) {
	e := start(t, b, func(p *config.Plank) { p.MaxConcurrency = 1 })
	first := e.create(named(b.Job("c1", Hang), "first", 1, 3*time.Second))
	second := e.create(named(b.Job("c2", Hang), "second", 2, 2*time.Second))
	e.waitState(first.Name, prowapi.PendingState)
	e.waitRunning(first)
	if got := e.mustGet(second.Name).Status.State; got != prowapi.TriggeredState {
		t.Fatalf("a second job started past the limit: %s", e.states(first.Name, second.Name))
	}
	e.abort(first.Name)
	e.waitState(first.Name, prowapi.AbortedState)
	e.waitState(second.Name, prowapi.PendingState)
	e.abort(second.Name)
	e.waitState(second.Name, prowapi.AbortedState)
}

func testJobConcurrency(t *testing.T, b *Backend) {
	e := start(t, b, nil)
	mk := func(name string, pull int, age time.Duration) *prowapi.ProwJob {
		pj := named(b.Job(name, Hang), "limited", pull, age)
		pj.Spec.MaxConcurrency = 1
		return e.create(pj)
	}
	older, newer := mk("j1", 1, 3*time.Second), mk("j2", 2, 2*time.Second)
	other := e.create(named(b.Job("j3", Succeed), "unlimited", 3, time.Second))
	e.oneAtATime(older, newer, other, "the job's limit")
}

func testQueueCapacity(t *testing.T, b *Backend) {
	e := start(t, b, func(p *config.Plank) { p.JobQueueCapacities = map[string]int{"gpu": 1} })
	mk := func(name, job string, pull int, age time.Duration) *prowapi.ProwJob {
		pj := named(b.Job(name, Hang), job, pull, age)
		pj.Spec.JobQueueName = "gpu"
		return e.create(pj)
	}
	// Two different jobs share the queue: only one runs at a time.
	first, second := mk("q1", "train", 1, 3*time.Second), mk("q2", "bench", 2, 2*time.Second)
	other := e.create(named(b.Job("q3", Succeed), "unqueued", 3, time.Second))
	e.oneAtATime(first, second, other, "the queue's capacity")
}

// oneAtATime checks a limit that lets one of first and second (the
// older) run at a time: first runs and other, which the limit does not
// hold, succeeds while second waits; once first is aborted, second runs.
func (e *env) oneAtATime(first, second, other *prowapi.ProwJob, limit string) {
	e.t.Helper()
	e.waitState(first.Name, prowapi.PendingState)
	e.waitState(other.Name, prowapi.SuccessState)
	if got := e.mustGet(second.Name).Status.State; got != prowapi.TriggeredState {
		e.t.Fatalf("%s did not hold: %s", limit, e.states(first.Name, second.Name))
	}
	e.abort(first.Name)
	e.waitState(second.Name, prowapi.PendingState)
	e.abort(second.Name)
	e.waitState(second.Name, prowapi.AbortedState)
}

func testSuperseded(t *testing.T, b *Backend) {
	e := start(t, b, nil)
	older := e.create(named(b.Job("s1", Hang), "pull-unit", 7, 2*time.Second))
	e.waitState(older.Name, prowapi.PendingState)
	newer := e.create(named(b.Job("s2", Succeed), "pull-unit", 7, 0))
	done := e.waitState(older.Name, prowapi.AbortedState)
	if done.Status.PrevReportStates["github-reporter"] != prowapi.AbortedState {
		t.Errorf("the replaced run's GitHub report should be closed: %v", done.Status.PrevReportStates)
	}
	e.waitState(newer.Name, prowapi.SuccessState)
}

func testRunningTimeout(t *testing.T, b *Backend) {
	e := start(t, b, func(p *config.Plank) { p.PodRunningTimeout = &metav1.Duration{Duration: time.Second} })
	pj := e.create(b.Job("slow", Hang))
	if done := e.waitState(pj.Name, prowapi.AbortedState); done.Status.Description != "Pod running timeout." {
		t.Errorf("description %q", done.Status.Description)
	}
}

func testRestart(t *testing.T, b *Backend) {
	e := start(t, b, nil)
	var names []string
	for i, outcome := range []Outcome{Succeed, Fail, Succeed, Succeed, Fail, Succeed} {
		pj := e.create(named(b.Job("r"+string(rune('a'+i)), outcome), "restart-"+string(rune('a'+i)), i+1, 0))
		names = append(names, pj.Name)
	}
	// The first job started (it may have finished already: a quick run).
	e.waitFor(names[0], "started", func(pj *prowapi.ProwJob) bool { return pj.Status.PendingTime != nil })
	e.stop() // the controller goes away mid-flight
	e.run()
	for _, n := range names {
		pj := e.waitFor(n, "complete", func(pj *prowapi.ProwJob) bool { return pj.Complete() })
		if runs := b.Runs(t, pj); runs != 1 {
			t.Errorf("job %s ran %d times", n, runs)
		}
	}
}
