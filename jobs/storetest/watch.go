package storetest

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// want is an event a watch should report.
type want struct {
	typ     jobs.EventType
	name    string
	version string
	state   prowapi.ProwJobState
}

func expect(t *testing.T, ch <-chan jobs.Event, w want) {
	t.Helper()
	ev := next(t, ch)
	if ev.Type != w.typ || ev.Job == nil || ev.Job.Name != w.name || ev.Job.ResourceVersion != w.version ||
		(w.state != "" && ev.Job.Status.State != w.state) {
		t.Fatalf("event %s %+v, want %+v", ev.Type, ev.Job.ObjectMeta, w)
	}
}

func (s suite) testWatch(t *testing.T) {
	st := s.newStore(t)
	ctx := t.Context()
	stored := mustCreate(t, st, numbered("j", 0, 3)...)
	ch, cancel := watch(t, st)
	var initial []string
	for range 3 {
		ev := next(t, ch)
		if ev.Type != jobs.Added || stored[ev.Job.Name] == nil || ev.Job.ResourceVersion != stored[ev.Job.Name].ResourceVersion {
			t.Fatalf("initial event %s %s at %s, want Added of a stored job", ev.Type, ev.Job.Name, ev.Job.ResourceVersion)
		}
		s.sameJob(t, stored[ev.Job.Name], ev.Job)
		initial = append(initial, ev.Job.Name)
	}
	sort.Strings(initial)
	if fmt.Sprint(initial) != "[j-0000 j-0001 j-0002]" {
		t.Fatalf("initial events for %v, want each stored job once", initial)
	}

	added := mustCreate(t, st, numbered("k", 10, 1)...)["k-0010"]
	upd := stored["j-0001"].DeepCopy()
	upd.Status.State = prowapi.SuccessState
	updated, err := st.Update(ctx, upd)
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if err := st.Delete(ctx, "j-0000"); err != nil {
		t.Fatalf("delete: %v", err)
	}
	upd = updated.DeepCopy()
	upd.Status.Description = "again"
	again, err := st.Update(ctx, upd)
	if err != nil {
		t.Fatalf("update again: %v", err)
	}
	expect(t, ch, want{jobs.Added, "k-0010", added.ResourceVersion, prowapi.PendingState})
	expect(t, ch, want{jobs.Modified, "j-0001", updated.ResourceVersion, prowapi.SuccessState})
	ev := next(t, ch)
	if ev.Type != jobs.Deleted || ev.Job == nil || ev.Job.Name != "j-0000" {
		t.Fatalf("event %s %v, want the deletion of j-0000", ev.Type, ev.Job)
	}
	s.sameJob(t, stored["j-0000"], ev.Job)
	expect(t, ch, want{jobs.Modified, "j-0001", again.ResourceVersion, prowapi.SuccessState})
	cancel()
	closes(t, ch)
}

func (s suite) testWatchEmpty(t *testing.T) {
	st := s.newStore(t)
	ch, _ := watch(t, st)
	created := mustCreate(t, st, numbered("first", 0, 1)...)["first-0000"]
	expect(t, ch, want{jobs.Added, "first-0000", created.ResourceVersion, prowapi.PendingState})
}

func (s suite) testWatchWhileWriting(t *testing.T) {
	const n, watches = 200, 6
	st := s.newStore(t)
	progress := make(chan struct{}, watches)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range watches {
			churn(t, st, fmt.Sprintf("race%d", i), n/watches)
			progress <- struct{}{}
		}
	})
	// Watches start while jobs are created and updated, one after each
	// batch: each must see every job once as Added (from the snapshot or
	// the stream) and then only the changes after the version it was
	// added at.
	var chans []<-chan jobs.Event
	for range watches {
		<-progress
		ch, _ := watch(t, st)
		chans = append(chans, ch)
	}
	wg.Wait()
	sentinel := mustCreate(t, st, numbered("sentinel", 10_000, 1)...)["sentinel-10000"]
	final := map[string]string{}
	for _, name := range listAll(t, st, jobs.Filter{}, 0) {
		pj, err := st.Get(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		final[name] = pj.ResourceVersion
	}
	for i, ch := range chans {
		last := map[string]string{}
		for {
			ev := next(t, ch)
			prev, seen := last[ev.Job.Name]
			if (ev.Type == jobs.Added) == seen || ev.Type == jobs.Deleted || (seen && prev == ev.Job.ResourceVersion) {
				t.Fatalf("watch %d: %s of %s at %s after %q: a duplicate or a change before the add", i, ev.Type, ev.Job.Name, ev.Job.ResourceVersion, prev)
			}
			last[ev.Job.Name] = ev.Job.ResourceVersion
			if ev.Job.Name == sentinel.Name {
				break
			}
		}
		for name, v := range final {
			if last[name] != v {
				t.Errorf("watch %d: job %s last seen at version %q, stored at %s: a change was missed", i, name, last[name], v)
			}
		}
	}
}

// churn creates n jobs and updates each twice, returning the events a
// watch should report in order.
func churn(t *testing.T, st jobs.Store, prefix string, n int) []want {
	t.Helper()
	var out []want
	for _, pj := range numbered(prefix, 0, n) {
		cur, err := st.Create(t.Context(), pj)
		if err != nil {
			t.Errorf("create %s: %v", pj.Name, err)
			return out
		}
		out = append(out, want{jobs.Added, cur.Name, cur.ResourceVersion, prowapi.PendingState})
		for _, state := range []prowapi.ProwJobState{prowapi.PendingState, prowapi.SuccessState} {
			c := cur.DeepCopy()
			c.Status.State, c.Status.Description = state, "now "+string(state)
			if cur, err = st.Update(t.Context(), c); err != nil {
				t.Errorf("update %s: %v", pj.Name, err)
				return out
			}
			out = append(out, want{jobs.Modified, cur.Name, cur.ResourceVersion, state})
		}
	}
	return out
}

// inTime runs f and fails t if it does not return within the guard: a
// writer a watcher blocks never returns.
func inTime(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(guard):
		t.Fatalf("%s did not finish: a watcher blocks writers", what)
	}
}

func (s suite) testSlowWatcher(t *testing.T) {
	st := s.newStore(t)
	slow, _ := watch(t, st)
	fast, _ := watch(t, st)
	var wants []want
	var got []jobs.Event
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for range 3 * 400 {
			ev, ok := <-fast
			if !ok {
				return
			}
			got = append(got, ev)
		}
	}()
	// Nobody reads slow while 1,200 changes are made.
	inTime(t, "writing while a watcher does not read", func() { wants = churn(t, st, "w", 400) })
	inTime(t, "reading the fast watcher", func() { <-drained })
	if len(got) != len(wants) {
		t.Fatalf("the fast watcher saw %d events, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		if ev := got[i]; ev.Type != w.typ || ev.Job.Name != w.name || ev.Job.ResourceVersion != w.version {
			t.Fatalf("fast watcher event %d: %s %s at %s, want %+v", i, ev.Type, ev.Job.Name, ev.Job.ResourceVersion, w)
		}
	}
	for _, w := range wants {
		expect(t, slow, w)
	}
}

func (s suite) testCanceledWatcher(t *testing.T) {
	st := s.newStore(t)
	for i := range 3 {
		ch, cancel := watch(t, st)
		inTime(t, "writing while a watcher is canceled", func() {
			var wg sync.WaitGroup
			wg.Go(func() { churn(t, st, fmt.Sprintf("c%d", i), 100) })
			cancel()
			wg.Wait()
		})
		closes(t, ch)
	}
}

func (s suite) testConcurrency(t *testing.T) {
	const writers, perWriter, bumps = 8, 15, 10
	st := s.newStore(t)
	counter := mustCreate(t, st, job("counter", nil, "count", prowapi.PeriodicJob, prowapi.PendingState, at(0)))["counter"]
	ch, _ := watch(t, st)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for _, pj := range numbered(fmt.Sprintf("w%d", w), 1, perWriter) {
				if _, err := st.Create(t.Context(), pj); err != nil {
					t.Errorf("create %s: %v", pj.Name, err)
				}
			}
		})
		wg.Go(func() {
			for range bumps {
				if err := bump(t, st); err != nil {
					t.Error(err)
				}
			}
		})
		wg.Go(func() {
			for range bumps {
				if _, err := st.List(t.Context(), jobs.Filter{Job: "unit"}, jobs.Page{Limit: 5}); err != nil {
					t.Errorf("list: %v", err)
				}
				if _, err := st.Get(t.Context(), "counter"); err != nil {
					t.Errorf("get counter: %v", err)
				}
			}
		})
	}
	wg.Wait()
	got, err := st.Get(t.Context(), "counter")
	if err != nil {
		t.Fatalf("get counter: %v", err)
	}
	if got.Status.PodRevivalCount != writers*bumps {
		t.Errorf("counter = %d, want %d: an update was lost", got.Status.PodRevivalCount, writers*bumps)
	}
	if n := len(listAll(t, st, jobs.Filter{Job: "unit"}, 0)); n != writers*perWriter {
		t.Errorf("listed %d created jobs, want %d", n, writers*perWriter)
	}
	// The watch saw the counter, every create and every bump, in order.
	added, bumped := countEvents(t, ch, counter.ResourceVersion, 1+writers*perWriter+writers*bumps)
	if added != 1+writers*perWriter || bumped != writers*bumps {
		t.Errorf("saw %d adds and %d bumps, want %d and %d", added, bumped, 1+writers*perWriter, writers*bumps)
	}
}

// countEvents reads n events of testConcurrency, checking the counter's
// bumps arrive in order with fresh versions, and counts adds and bumps.
func countEvents(t *testing.T, ch <-chan jobs.Event, first string, n int) (added, bumped int) {
	t.Helper()
	versions := map[string]bool{first: true}
	for range n {
		ev := next(t, ch)
		switch {
		case ev.Type == jobs.Added:
			added++
		case ev.Type == jobs.Modified && ev.Job.Name == "counter":
			bumped++
			if ev.Job.Status.PodRevivalCount != bumped || versions[ev.Job.ResourceVersion] {
				t.Fatalf("bump %d reported as count %d at version %s", bumped, ev.Job.Status.PodRevivalCount, ev.Job.ResourceVersion)
			}
			versions[ev.Job.ResourceVersion] = true
		default:
			t.Fatalf("unexpected event %s %s", ev.Type, ev.Job.Name)
		}
	}
	return added, bumped
}

// bump adds one to the counter job, reading again on conflict.
func bump(t *testing.T, st jobs.Store) error {
	for range 1000 {
		pj, err := st.Get(t.Context(), "counter")
		if err != nil {
			return fmt.Errorf("get counter: %w", err)
		}
		pj.Status.PodRevivalCount++
		_, err = st.Update(t.Context(), pj)
		if errors.Is(err, jobs.ErrConflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("bump counter: %w", err)
		}
		return nil
	}
	return errors.New("bump counter: conflicts 1,000 times")
}
