package main

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/sqlite"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// TestServeSurvivesSIGKILL kills `prow serve` while jobs are queued and
// running, restarts it, and checks every job ends in a final state, no
// job's command ran twice, and GitHub shows each job's final state.
func TestServeSurvivesSIGKILL(t *testing.T) {
	bin := buildProw(t)
	presubmits := map[string]string{}
	for i := range 6 {
		presubmits[fmt.Sprintf("pull-%d", i)] = `echo "$PROW_JOB_ID" >> "$RUNS_LOG"; sleep 1`
	}
	w := newServeWorld(t, "plank:\n  max_concurrency: 2\n", presubmits)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	first := startProw(t, ctx, bin, "Serving", w.args...)
	_, sha := w.openPull()
	eventually(t, time.Minute, "two runs going", func() bool { return len(w.runs()) >= 2 })
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.cmd.Wait()
	killedAfter := len(w.runs())

	second := startProw(t, ctx, bin, "Serving", w.args...)
	eventually(t, 2*time.Minute, "every context final on GitHub", func() bool {
		l := latest(w.statuses(sha))
		if len(l) < len(presubmits) {
			return false
		}
		for _, s := range l {
			if s.State == "pending" {
				return false
			}
		}
		return true
	})
	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := second.cmd.Wait(); err != nil {
		t.Errorf("graceful shutdown: %v", err)
	}

	ran := map[string]int{}
	for _, id := range w.runs() {
		ran[id]++
	}
	store, err := sqlite.Open(ctx, filepath.Join(w.dir, "data", "jobs.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	list, err := store.List(ctx, jobs.Filter{}, jobs.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != len(presubmits) {
		t.Fatalf("%d jobs in the store, want %d", len(list.Items), len(presubmits))
	}
	onGitHub := latest(w.statuses(sha))
	states := map[prowapi.ProwJobState]int{}
	for _, pj := range list.Items {
		states[pj.Status.State]++
		if !pj.Complete() || !pj.Status.State.IsFinal() {
			t.Errorf("job %s is %s, not finished", pj.Spec.Job, pj.Status.State)
		}
		if ran[pj.Name] > 1 {
			t.Errorf("job %s ran %d times", pj.Spec.Job, ran[pj.Name])
		}
		want := map[prowapi.ProwJobState]string{prowapi.SuccessState: "success", prowapi.FailureState: "failure",
			prowapi.ErrorState: "error", prowapi.AbortedState: "failure"}[pj.Status.State]
		if got := onGitHub[pj.Spec.Context].State; got != want {
			t.Errorf("job %s ended %s but GitHub shows %q", pj.Spec.Job, pj.Status.State, got)
		}
	}
	t.Logf("runs before the kill: %d; final states: %v", killedAfter, states)
}
