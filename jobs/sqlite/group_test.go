package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// TestConcurrentWritesSucceedOrFailAlone: writes committed together
// (group commit) each succeed or fail on their own — a taken name, a
// stale version, a canceled caller — and the watch reports exactly the
// successful ones, in increasing versions.
func TestConcurrentWritesSucceedOrFailAlone(t *testing.T) {
	ctx := t.Context()
	s := open(t, filepath.Join(t.TempDir(), "jobs.db"))
	events, err := s.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	const n = 200
	var wg sync.WaitGroup
	var mu sync.Mutex
	created, exists, updated, conflicts, canceled := 0, 0, 0, 0, 0
	canceledCtx, cancel := context.WithCancel(ctx)
	cancel()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("job-%d", i/2) // every name twice: one create wins
			pj, err := s.Create(ctx, presubmit(name, start, prowapi.TriggeredState))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, jobs.ErrExists):
				exists++
				return
			case err != nil:
				t.Errorf("create %s: %v", name, err)
				return
			}
			created++
			stale := pj.DeepCopy()
			mu.Unlock()
			pj.Status.State = prowapi.PendingState
			_, err = s.Update(ctx, pj)
			_, staleErr := s.Update(ctx, stale) // the version Update replaced
			_, cancelErr := s.Create(canceledCtx, presubmit(name+"-never", start, prowapi.TriggeredState))
			mu.Lock()
			if err != nil {
				t.Errorf("update %s: %v", name, err)
			} else {
				updated++
			}
			if errors.Is(staleErr, jobs.ErrConflict) {
				conflicts++
			} else {
				t.Errorf("update %s at a stale version: err = %v, want ErrConflict", name, staleErr)
			}
			if errors.Is(cancelErr, context.Canceled) {
				canceled++
			} else {
				t.Errorf("create with a canceled context: err = %v", cancelErr)
			}
		}()
	}
	wg.Wait()
	if created != n/2 || exists != n/2 || updated != n/2 || conflicts != n/2 || canceled != n/2 {
		t.Fatalf("created %d, exists %d, updated %d, conflicts %d, canceled %d; want %d each", created, exists, updated, conflicts, canceled, n/2)
	}
	last := int64(0)
	for range created + updated {
		select {
		case ev := <-events:
			v, _ := strconv.ParseInt(ev.Job.ResourceVersion, 10, 64)
			if v <= last {
				t.Fatalf("event %s %s at version %d after version %d", ev.Type, ev.Job.Name, v, last)
			}
			last = v
		case <-time.After(10 * time.Second):
			t.Fatal("the watch reported fewer events than writes succeeded")
		}
	}
	select {
	case ev := <-events:
		t.Fatalf("an event of no successful write: %s %s", ev.Type, ev.Job.Name)
	case <-time.After(100 * time.Millisecond):
	}
	list, err := s.List(ctx, jobs.Filter{}, jobs.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != n/2 {
		t.Errorf("the store holds %d jobs, want %d", len(list.Items), n/2)
	}
}
