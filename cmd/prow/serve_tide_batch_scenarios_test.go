package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github/sandbox"
)

// The tide scenarios that test pull requests together: see
// TestServeTideScenarios.

// batchSetup are pull requests that passed unit alone, then saw their
// base move: tide tests them together once the blocker is closed.
type batchSetup struct {
	numbers []int
	heads   map[int]string
	base    string // where main is when the batch starts
	blocker int    // the open issue that blocks the pool
}

// readyBatch opens a pull request for each of changes, waits until each
// passed unit, then, while an issue with the blocker label holds the
// pool, labels them all and pushes moveBase on main. Tide sees them all
// ready to test together in the same sync once the blocker is closed
// (labeling them one by one would let the first in alone).
func (r *tideRepo) readyBatch(moveBase sandbox.FileChanges, changes ...sandbox.FileChanges) batchSetup {
	r.t.Helper()
	s := batchSetup{heads: map[int]string{}}
	for i, files := range changes {
		n, head := r.open(fmt.Sprintf("change-%d", i+1), fmt.Sprintf("Change %d", i+1), files)
		s.numbers, s.heads[n] = append(s.numbers, n), head
	}
	for _, n := range s.numbers {
		r.green(s.heads[n])
	}
	var issue struct{ Number int }
	r.w.do("member-token", http.MethodPost, "/repos/"+r.name+"/issues", map[string]any{"title": "main is broken", "labels": []string{"merge-blocker"}}, &issue)
	s.blocker = issue.Number
	for _, n := range s.numbers {
		r.label(n, "lgtm", "approved")
	}
	s.base = r.pushBase(moveBase)
	want := fmt.Sprintf("Not mergeable. Merging is blocked by issue(s) #%d.", s.blocker)
	r.await("tide naming the blocker", func() bool {
		for _, n := range s.numbers {
			if got := r.tide(s.heads[n]); got.State != "error" || got.Description != want {
				return false
			}
		}
		return true
	})
	return s
}

// unblock closes the blocker issue.
func (r *tideRepo) unblock(s batchSetup) {
	r.t.Helper()
	r.w.do("member-token", http.MethodPatch, fmt.Sprintf("/repos/%s/issues/%d", r.name, s.blocker), map[string]string{"state": "closed"}, nil)
}

func scenarioBatchOfThree(r *tideRepo) {
	s := r.readyBatch(sandbox.FileChanges{"base.txt": "moved\n"},
		sandbox.FileChanges{"a.txt": "a\n"}, sandbox.FileChanges{"b.txt": "b\n"}, sandbox.FileChanges{"c.txt": "c\n"})
	r.unblock(s)
	r.await("the three merges", func() bool {
		return r.merged(s.numbers[0]) && r.merged(s.numbers[1]) && r.merged(s.numbers[2])
	})
	batches := r.jobs("batch")
	if len(batches) != 1 || !slices.Equal(batches[0].numbers(), s.numbers) || batches[0].State != "success" {
		r.t.Fatalf("batch jobs: %+v, want one that passed with %v", batches, s.numbers)
	}
	if got := r.jobs("presubmit"); len(got) != len(s.numbers) {
		r.t.Errorf("presubmit jobs: %+v, want only the %d trigger started", got, len(s.numbers))
	}
	var pj prowapi.ProwJob
	r.w.getJSON("/api/job/"+batches[0].Name, &pj)
	if pj.Spec.Refs.BaseSHA != s.base || pj.Labels[prowapi.CreatedByTideLabel] != "true" {
		r.t.Errorf("the batch job ran on %s (main was %s), labels %v", pj.Spec.Refs.BaseSHA, s.base, pj.Labels)
	}
	// main: the three merges in order on the base the batch tested.
	h := r.history()
	for i, n := range s.numbers {
		c := h[len(s.numbers)-1-i]
		if !c.isMergeOf(n) || len(c.parents) != 2 || c.parents[1] != s.heads[n] {
			r.t.Errorf("main, newest first: %+v", h)
			break
		}
	}
	if h[len(s.numbers)-1].parents[0] != s.base {
		r.t.Errorf("the first merge landed on %s, not on the base tested %s", h[len(s.numbers)-1].parents[0], s.base)
	}
	// tide's history: the batch tested, then merged, on that base.
	// GitHub shows the merges a moment before tide records them.
	var actions []string
	r.await("the batch's merge in tide's history", func() bool {
		actions = r.batchActions(s)
		return len(actions) > 0 && actions[0] == "MERGE_BATCH"
	})
	if !slices.Equal(actions, []string{"MERGE_BATCH", "TRIGGER_BATCH"}) { // newest first
		r.t.Errorf("tide's history of %v on %s: %v; want a batch started, then merged", s.numbers, s.base, actions)
	}
	for _, n := range s.numbers {
		if !slices.ContainsFunc(r.w.statusesIn(r.name, s.heads[n]), func(st ghStatus) bool {
			return st.Context == "tide" && st.Description == "Not mergeable. Retesting: unit"
		}) {
			r.t.Errorf("#%d never said it was being retested", n)
		}
	}
}

func scenarioBisect(r *tideRepo) {
	s := r.readyBatch(sandbox.FileChanges{"compat": sandbox.Deleted},
		sandbox.FileChanges{"a.txt": "a\n"}, sandbox.FileChanges{"b.txt": "b\n"},
		sandbox.FileChanges{"culprit": "broken\n"}, sandbox.FileChanges{"d.txt": "d\n"})
	culprit := s.numbers[2]
	r.unblock(s)
	want := "Not mergeable. Job unit has not succeeded."
	r.await("the others merged and the culprit out", func() bool {
		for _, n := range s.numbers {
			if n != culprit && !r.merged(n) {
				return false
			}
		}
		return r.tide(s.heads[culprit]).Description == want
	})
	if r.merged(culprit) {
		r.t.Fatal("the culprit merged")
	}
	if got := r.tide(s.heads[culprit]); got.State != "pending" {
		r.t.Errorf("the culprit's tide status: %+v", got)
	}
	// Every job tide ran with the culprit failed, every other one passed;
	// the first tested all four, and one tested the culprit alone.
	all, alone := false, false
	for _, pj := range r.tideJobs() {
		numbers := pullNumbers(pj)
		failed := pj.Status.State == prowapi.FailureState
		if slices.Contains(numbers, culprit) != failed || !pj.Complete() {
			r.t.Errorf("tide's %s job with %v ended %s", pj.Spec.Type, numbers, pj.Status.State)
		}
		all = all || pj.Spec.Type == prowapi.BatchJob && slices.Equal(numbers, s.numbers) && pj.Spec.Refs.BaseSHA == s.base
		alone = alone || slices.Equal(numbers, []int{culprit}) && failed
	}
	if !all || !alone {
		r.t.Errorf("a batch of all four on %s: %v; the culprit tested alone: %v", s.base, all, alone)
	}
}

func pullNumbers(pj prowapi.ProwJob) []int {
	var out []int
	for _, p := range pj.Spec.Refs.Pulls {
		out = append(out, p.Number)
	}
	slices.Sort(out)
	return out
}

func scenarioPushedDuringBatch(r *tideRepo) {
	s := r.readyBatch(sandbox.FileChanges{"base.txt": "moved\n"},
		sandbox.FileChanges{"a.txt": "a\n"}, sandbox.FileChanges{"b.txt": "b\n"}, sandbox.FileChanges{"c.txt": "c\n"})
	pushed := s.numbers[1]
	// unit waits while the hold file exists: the batch job is running when
	// the push lands.
	hold := filepath.Join(r.w.dir, "hold-"+strings.TrimPrefix(r.name, "demo/"))
	if err := os.WriteFile(hold, nil, 0o600); err != nil {
		r.t.Fatal(err)
	}
	released := false
	release := func() {
		if !released {
			released = true
			_ = os.Remove(hold)
		}
	}
	r.t.Cleanup(release)
	r.unblock(s)
	started := filepath.Join(r.w.dir, "started-"+strings.TrimPrefix(r.name, "demo/"))
	r.await("the batch job running", func() bool {
		data, _ := os.ReadFile(started)
		return strings.Contains(string(data), "batch")
	})
	head, err := r.w.sb.PushToPull(context.Background(), r.name, pushed, sandbox.Push{Files: sandbox.FileChanges{"culprit": "untested\n"}})
	if err != nil {
		r.t.Fatal(err)
	}
	// Once tide has reported on the new head, no sync can merge the old one.
	r.await("tide reporting on the new head", func() bool { return r.tide(head).State != "" })
	release()
	kept := []int{s.numbers[0], s.numbers[2]}
	r.await("the merges of the others", func() bool { return r.merged(kept[0]) && r.merged(kept[1]) })
	r.await("the pushed pull request's failure", func() bool {
		return r.tide(head).Description == "Not mergeable. Job unit has not succeeded."
	})
	if r.merged(pushed) {
		r.t.Fatal("the pull request pushed during its batch merged")
	}
	var first, again bool
	for _, b := range r.jobs("batch") {
		first = first || slices.Equal(b.numbers(), s.numbers) && slices.Contains(b.Pulls, deckPull{Number: pushed, SHA: s.heads[pushed]})
		again = again || slices.Equal(b.numbers(), kept) && b.State == "success"
	}
	if !first || !again {
		r.t.Errorf("batch jobs: %+v; want %v at the old head, then %v passing", r.jobs("batch"), s.numbers, kept)
	}
	for _, c := range r.history() {
		if c.isMergeOf(pushed) || slices.Contains(c.parents, head) || slices.Contains(c.parents, s.heads[pushed]) {
			r.t.Errorf("main holds the pushed pull request: %+v", c)
		}
	}
}

// batchActions are tide's history actions, newest first, on the batch's
// pull requests and base.
func (r *tideRepo) batchActions(s batchSetup) []string {
	var hist struct {
		History map[string][]struct {
			Action  string `json:"action"`
			BaseSHA string `json:"baseSHA"`
			Target  []struct {
				Number int `json:"num"`
			} `json:"target"`
		}
	}
	r.w.getJSON("/tide-history.js", &hist)
	var actions []string
	for _, rec := range hist.History[r.name+":main"] {
		var numbers []int
		for _, p := range rec.Target {
			numbers = append(numbers, p.Number)
		}
		if rec.BaseSHA == s.base && slices.Equal(numbers, s.numbers) {
			actions = append(actions, rec.Action)
		}
	}
	return actions
}
