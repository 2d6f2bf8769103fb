// Package reporttest runs reporters the way crier does, for the tests of
// the reporters: a SQLite job store, a report.Loop per group of
// reporters, and helpers to move jobs through their states and wait for
// what the loops record.
package reporttest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/report"
	"github.com/prowbot/prow/jobs/sqlite"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/testlog"
	"github.com/prowbot/prow/test/wait"
)

// OpenStore opens a SQLite job store in a temporary directory, closed
// when the test ends.
func OpenStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "jobs.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// StartLoop runs a report loop over store with reporters until the test
// ends; stop ends it early and waits for it. Failed reports come back
// after a millisecond, doubling up to 20.
func StartLoop(t *testing.T, store report.Store, cfg *config.Config, reporters ...report.Reporter) (stop func()) {
	t.Helper()
	l, err := report.NewLoop(report.LoopOptions{Store: store, Config: func() *config.Config { return cfg },
		Reporters: reporters, Logger: testlog.Discard(), Workers: 2, Backoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		ReportTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("report loop: %v", err)
		}
	})
	t.Cleanup(stop)
	return stop
}

// Eventually polls cond until it holds, failing the test after a
// generous deadline (a hang, not a slow machine).
func Eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	wait.ForEvery(t, 20*time.Second, 2*time.Millisecond, what, cond)
}

// Create stores pj.
func Create(t *testing.T, store *sqlite.Store, pj *prowapi.ProwJob) {
	t.Helper()
	if pj.CreationTimestamp.IsZero() {
		pj.CreationTimestamp = metav1.Now()
	}
	if _, err := store.Create(t.Context(), pj); err != nil {
		t.Fatal(err)
	}
}

// SetState moves the stored job to state with description, retrying on
// conflicts with the loops' own writes.
func SetState(t *testing.T, store *sqlite.Store, name string, state prowapi.ProwJobState, description string) {
	t.Helper()
	for range 100 {
		pj, err := store.Get(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		pj.Status.State, pj.Status.Description = state, description
		if state.IsFinal() && pj.Status.CompletionTime == nil {
			now := metav1.Now()
			pj.Status.CompletionTime = &now
		}
		if _, err = store.Update(t.Context(), pj); err == nil {
			return
		}
	}
	t.Fatalf("could not update job %s", name)
}

// Recorded says whether reporter recorded state as reported for the job.
func Recorded(t *testing.T, store *sqlite.Store, name, reporter string, state prowapi.ProwJobState) func() bool {
	return func() bool {
		pj, err := store.Get(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		return pj.Status.PrevReportStates[reporter] == state
	}
}
