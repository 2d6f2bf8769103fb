package journal

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestABacklogPastTheMemoryBudgetIsReadBackFromDisk: deliveries waiting
// beyond the budget keep only their place in memory and come back
// intact, in order.
func TestABacklogPastTheMemoryBudgetIsReadBackFromDisk(t *testing.T) {
	j, _ := open(t, Options{Dir: t.TempDir(), MemoryBudget: 4 << 10, SegmentSize: 16 << 10, NoSync: true})
	defer j.Close()
	bodies := map[string]string{}
	for i := range 40 {
		id := fmt.Sprint("d", i)
		bodies[id] = string(incompressible(1 << 10))
		if _, err := j.Append(rec(id, bodies[id])); err != nil {
			t.Fatal(err)
		}
	}
	if j.inMemory > 4<<10 {
		t.Errorf("%d payload bytes held in memory, over the 4 KiB budget", j.inMemory)
	}
	pending, waiting, oldest := j.Backlog()
	if pending != 40 || waiting != 40 || !oldest.Equal(time.Unix(1700000000, 0)) {
		t.Errorf("Backlog() = %d, %d, %v; want 40, 40 and the first delivery's time", pending, waiting, oldest)
	}
	for i := range 40 {
		got, err := j.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprint("d", i); got.ID != want || string(got.Body) != bodies[want] || got.Header.Get("X-Hub-Signature-256") != "sha256=abc" {
			t.Fatalf("delivery %d: got %s (%d bytes), want %s intact", i, got.ID, len(got.Body), want)
		}
		if err := j.Done(got.ID); err != nil {
			t.Fatal(err)
		}
	}
	if pending, waiting, _ := j.Backlog(); pending != 0 || waiting != 0 {
		t.Errorf("after handling everything: %d pending, %d waiting", pending, waiting)
	}
}

func TestNextWaitsDrainsAndCloses(t *testing.T) {
	j, _ := open(t, Options{Dir: t.TempDir(), NoSync: true})
	got := make(chan Record, 1)
	go func() {
		rec, err := j.Next(context.Background())
		if err != nil {
			t.Error(err)
		}
		got <- rec
	}()
	select {
	case rec := <-got:
		t.Fatalf("Next returned %s before anything was appended", rec.ID)
	case <-time.After(50 * time.Millisecond):
	}
	if _, err := j.Append(rec("a", "x")); err != nil {
		t.Fatal(err)
	}
	if rec := <-got; rec.ID != "a" || rec.Replayed {
		t.Errorf("Next = %+v, want a, not replayed", rec)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := j.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Next with an ended context = %v", err)
	}
	if _, err := j.Append(rec("b", "y")); err != nil {
		t.Fatal(err)
	}
	j.Drain()
	if rec, err := j.Next(context.Background()); err != nil || rec.ID != "b" {
		t.Errorf("after Drain, Next = %s, %v; want b: what was accepted is still handed out", rec.ID, err)
	}
	if _, err := j.Next(context.Background()); !errors.Is(err, ErrDrained) {
		t.Errorf("Next on a drained, empty queue = %v, want ErrDrained", err)
	}
	j.Close()
	if _, err := j.Next(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Next after Close = %v, want ErrClosed", err)
	}
}

// TestTheDedupeWindowSurvivesRestarts: every start opens a segment; ten
// restarts must not push earlier delivery IDs out of the window.
func TestTheDedupeWindowSurvivesRestarts(t *testing.T) {
	dir := t.TempDir()
	for i := range 10 {
		j, _ := open(t, Options{Dir: dir, NoSync: true})
		handle(t, j, rec(fmt.Sprint("start-", i), "x"), time.Now())
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
	}
	j, recs := open(t, Options{Dir: dir, NoSync: true})
	defer j.Close()
	if len(recs) != 0 {
		t.Errorf("replayed %v, want nothing: every delivery was done", ids(recs))
	}
	for i := range 10 {
		if dup, err := j.Append(rec(fmt.Sprint("start-", i), "again")); err != nil || !dup {
			t.Errorf("redelivery of start-%d after %d restarts: dup = %v, %v", i, 10-i, dup, err)
		}
	}
}

// TestTheDedupeWindowIsBoundedByCountAndAge: IDs are forgotten once they
// are past the newest DedupeCount deliveries or older than DedupeAge, so
// the window's memory and disk stay bounded.
func TestTheDedupeWindowIsBoundedByCountAndAge(t *testing.T) {
	now := time.Unix(1700000000, 0)
	clock := func() time.Time { return now }
	j, _ := open(t, Options{Dir: t.TempDir(), SegmentSize: 1024, DedupeCount: 5, Now: clock, NoSync: true})
	defer j.Close()
	appendDone := func(id string) {
		t.Helper()
		handle(t, j, rec(id, string(incompressible(700))), now) // one delivery a segment
	}
	for i := range 20 {
		appendDone(fmt.Sprint("d", i))
	}
	for i := 15; i < 20; i++ {
		if _, seen := j.seen[fmt.Sprint("d", i)]; !seen {
			t.Errorf("d%d is among the newest 5 deliveries (and their segments) but was forgotten", i)
		}
	}
	if _, seen := j.seen["d0"]; seen {
		t.Error("d0 is 20 deliveries old, past a window of 5, and still remembered")
	}
	if segs, _ := j.segments(); len(segs) > 8 {
		t.Errorf("%d segments kept for a window of 5 deliveries", len(segs))
	}

	j.opts.DedupeCount = 1000
	now = now.Add(73 * time.Hour)
	appendDone("late-1")
	appendDone("late-2")
	if _, seen := j.seen["d19"]; seen {
		t.Error("d19 is older than the 72h window and still remembered")
	}
	if _, seen := j.seen["late-1"]; !seen {
		t.Error("late-1 is in the window and was forgotten")
	}
}

// handle appends a new delivery received at the given time, takes it from
// the queue and marks it done.
func handle(t *testing.T, j *Journal, r Record, received time.Time) {
	t.Helper()
	r.Received = received
	if dup, err := j.Append(r); err != nil || dup {
		t.Fatalf("Append(%s) = %v, %v", r.ID, dup, err)
	}
	if got, err := j.Next(context.Background()); err != nil || got.ID != r.ID {
		t.Fatalf("Next = %s, %v; want %s", got.ID, err, r.ID)
	}
	if err := j.Done(r.ID); err != nil {
		t.Fatal(err)
	}
}
