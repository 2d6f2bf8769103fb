package tide_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	gh "github.com/google/go-github/v60/github"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/tide"
)

// speculativeConfig batches two pull requests at a time and tests one
// batch on top of the running one.
const speculativeConfig = baseConfig + `  speculative_depth: 1
  batch_size_limit:
    demo/hello: 2
` + unitPresubmit

func fourPulls() []pull {
	return append(threePulls(), pull{repo: "demo/hello", file: "d", content: "d\n", labels: ready})
}

// restart builds a new tide on the same GitHub and job store, as after a
// SIGKILL: nothing is kept but what they hold.
func (w *world) restart() {
	w.t.Helper()
	ctrl, err := tide.New(w.opts)
	must(w.t, err)
	w.ctrl = ctrl
}

// historyActions lists the actions of demo/hello:main's history.
func (w *world) historyActions() []string {
	w.t.Helper()
	var out []string
	for _, r := range w.historyJSON()["demo/hello:main"] {
		out = append(out, r.Action)
	}
	return out
}

// speculativeBatch is the pools JSON's SpeculativeBatch of
// demo/hello:main, by number.
func (w *world) speculativeBatch() []int {
	w.t.Helper()
	rec := httptest.NewRecorder()
	w.ctrl.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	var d struct{ Pools []tide.PoolView }
	must(w.t, json.Unmarshal(rec.Body.Bytes(), &d))
	var out []int
	for _, p := range d.Pools {
		for _, v := range p.SpeculativeBatch {
			out = append(out, v.Number)
		}
	}
	return out
}

// mainSHA is the head of demo/hello's main.
func (w *world) mainSHA() string {
	w.t.Helper()
	sha, err := w.gh.GetRef(context.Background(), "demo", "hello", "heads/main")
	must(w.t, err)
	return sha
}

// startSpeculation runs tide until B1 (#1 #2) runs and B2 (#1 #2 #3 #4)
// runs on top of it, and returns both.
func startSpeculation(t *testing.T, w *world) (b1, b2 prowapi.ProwJob) {
	t.Helper()
	passedEarlier(w, 4)
	main0 := w.mainSHA()
	w.sync()
	b1 = w.job(prowapi.BatchJob, 1, 2)
	w.sync()
	b2 = w.job(prowapi.BatchJob, 1, 2, 3, 4)
	if b2.Spec.Refs.BaseSHA != main0 || b2.Labels[tide.SpeculativeLabel] != "true" || b1.Labels[tide.SpeculativeLabel] != "" {
		t.Fatalf("B2 on %s labeled %q, B1 labeled %q; want B2 on %s, speculative", b2.Spec.Refs.BaseSHA, b2.Labels[tide.SpeculativeLabel],
			b1.Labels[tide.SpeculativeLabel], main0)
	}
	var order []int
	for _, p := range b2.Spec.Refs.Pulls {
		order = append(order, p.Number)
	}
	if !reflect.DeepEqual(order, []int{1, 2, 3, 4}) {
		t.Errorf("B2 merges %v, want B1's pull requests first", order)
	}
	return b1, b2
}

func TestASpeculativeBatchMergesWithoutRetestOnceTheBatchUnderItLanded(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		w := newWorldOn(t, open, speculativeConfig, fourPulls()...)
		b1, b2 := startSpeculation(t, w)
		if got := w.tideStatus("demo/hello", 3); got != "pending: Not mergeable. Testing on top of the running batch: unit" {
			t.Errorf("#3 while B2 runs: %q", got)
		}
		if got := w.speculativeBatch(); !reflect.DeepEqual(got, []int{3, 4}) {
			t.Errorf("pools JSON SpeculativeBatch: %v", got)
		}
		w.sync()
		if n := len(w.jobsOf(prowapi.BatchJob)); n != 2 {
			t.Fatalf("%d batch jobs while B1 and B2 run, want 2", n)
		}
		if h := w.historyActions(); !slices.Contains(h, "TRIGGER_BATCH") || !slices.Contains(h, "TRIGGER_BATCH (speculative)") {
			t.Errorf("history: %q", h)
		}
		w.finish(b1, prowapi.SuccessState)
		w.sync()
		if !w.merged("demo/hello", 1) || !w.merged("demo/hello", 2) || w.merged("demo/hello", 3) {
			t.Fatal("want B1 (#1 #2) merged, and only B1")
		}
		w.restart() // what B2 tested is derived again from GitHub and the job store
		w.sync()
		w.finish(b2, prowapi.SuccessState)
		w.sync()
		if !w.merged("demo/hello", 3) || !w.merged("demo/hello", 4) {
			t.Fatal("B2's pull requests did not merge")
		}
		if n, m := len(w.jobsOf(prowapi.BatchJob)), len(w.jobsOf(prowapi.PresubmitJob)); n != 2 || m != 0 {
			t.Errorf("%d batch jobs and %d presubmits, want B1 and B2 only", n, m)
		}
		if log := w.gitLog("demo/hello", "main"); !reflect.DeepEqual(log[:4], []string{"** Merge pull request #4 from demo/dev-patch-4",
			"** Merge pull request #3 from demo/dev-patch-3", "** Merge pull request #2 from demo/dev-patch-2", "** Merge pull request #1 from demo/dev-patch-1"}) {
			t.Errorf("main: %q", log)
		}
		if h := w.historyActions(); !slices.Contains(h, "MERGE_BATCH (speculative)") {
			t.Errorf("history since the restart: %q", h)
		}
	})
}

func TestASpeculativeBatchIsNotUsedWhenSomeonePushedToTheBase(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		w := newWorldOn(t, open, speculativeConfig, fourPulls()...)
		b1, b2 := startSpeculation(t, w)
		w.finish(b1, prowapi.SuccessState)
		w.sync()
		if !w.merged("demo/hello", 1) || !w.merged("demo/hello", 2) {
			t.Fatal("B1 did not merge")
		}
		if _, err := w.sb.PushToBranch(context.Background(), "demo/hello", "main", sandbox.Push{Files: sandbox.FileChanges{"other.txt": "x\n"}}); err != nil {
			t.Fatal(err)
		}
		w.finish(b2, prowapi.SuccessState) // passed before tide saw the push
		w.sync()
		if w.merged("demo/hello", 3) || w.merged("demo/hello", 4) {
			t.Fatal("B2's pull requests merged onto a base B2 never tested")
		}
		if again := w.job(prowapi.BatchJob, 3, 4); again.Spec.Refs.BaseSHA != w.mainSHA() {
			t.Errorf("#3 #4 retested on %s, want the new main %s", again.Spec.Refs.BaseSHA, w.mainSHA())
		}
	})
}

func TestAFailingBatchAbandonsTheSpeculativeBatchOnTopAndIsBisected(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		w := newWorldOn(t, open, speculativeConfig, fourPulls()...)
		b1, _ := startSpeculation(t, w)
		w.finish(b1, prowapi.FailureState)
		w.sync()
		if b2 := w.job(prowapi.BatchJob, 1, 2, 3, 4); b2.Status.State != prowapi.AbortedState || b2.Status.Description != tide.AbortedSpeculative {
			t.Errorf("B2 is %s %q, want aborted", b2.Status.State, b2.Status.Description)
		}
		if alone := w.job(prowapi.PresubmitJob, 1); alone.Spec.Refs.BaseSHA != b1.Spec.Refs.BaseSHA {
			t.Errorf("#1 tested alone on %s", alone.Spec.Refs.BaseSHA)
		}
		if h := w.historyActions(); !slices.Contains(h, tide.AbandonBatch) {
			t.Errorf("history: %q", h)
		}
	})
}

func TestASpeculativeBatchIsNotUsedForAPRPushedDuringIt(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		w := newWorldOn(t, open, speculativeConfig, fourPulls()...)
		b1, b2 := startSpeculation(t, w)
		if _, err := w.sb.PushToPull(context.Background(), "demo/hello", 4, sandbox.Push{Files: sandbox.FileChanges{"d": "d2\n"}}); err != nil {
			t.Fatal(err)
		}
		w.finish(b2, prowapi.SuccessState) // passed with #4's old head, before tide saw the push
		w.finish(b1, prowapi.SuccessState)
		w.sync()
		if !w.merged("demo/hello", 1) || !w.merged("demo/hello", 2) {
			t.Fatal("B1 did not merge")
		}
		w.sync()
		if w.merged("demo/hello", 3) || w.merged("demo/hello", 4) {
			t.Fatal("B2 was used though #4 changed since it was tested")
		}
		if alone := w.job(prowapi.PresubmitJob, 3); alone.Spec.Refs.BaseSHA != w.mainSHA() {
			t.Errorf("#3 retested on %s, want main %s", alone.Spec.Refs.BaseSHA, w.mainSHA())
		}
	})
}

func TestASpeculativeBatchIsAbortedWhenOneOfItsPRsIsPushed(t *testing.T) {
	w := newWorld(t, speculativeConfig, fourPulls()...)
	b1, _ := startSpeculation(t, w)
	if _, err := w.sb.PushToPull(context.Background(), "demo/hello", 3, sandbox.Push{Files: sandbox.FileChanges{"c": "c2\n"}}); err != nil {
		t.Fatal(err)
	}
	w.setStatus("demo/hello", 3, "ci", "success", "")
	w.sync()
	if b2 := w.job(prowapi.BatchJob, 1, 2, 3, 4); b2.Status.State != prowapi.AbortedState {
		t.Errorf("B2 is %s, want aborted", b2.Status.State)
	}
	if again := w.job(prowapi.BatchJob, 1, 2, 4); again.Labels[tide.SpeculativeLabel] != "true" || again.Spec.Refs.BaseSHA != b1.Spec.Refs.BaseSHA {
		t.Errorf("the batch on top of B1 without #3: %+v", again.Spec.Refs)
	}
}

func TestASpeculativeBatchCountsOnSquashesButNotOnRebases(t *testing.T) {
	for _, tc := range []struct {
		method string
		used   bool
	}{{"squash", true}, {"rebase", false}} {
		t.Run(tc.method, func(t *testing.T) {
			cfg := strings.Replace(speculativeConfig, "  speculative_depth: 1\n", "  speculative_depth: 1\n  merge_method:\n    demo/hello: "+tc.method+"\n", 1)
			w := newWorld(t, cfg, fourPulls()...)
			b1, b2 := startSpeculation(t, w)
			w.finish(b1, prowapi.SuccessState)
			w.sync()
			if !w.merged("demo/hello", 1) || !w.merged("demo/hello", 2) {
				t.Fatal("B1 did not merge")
			}
			w.finish(b2, prowapi.SuccessState)
			w.sync()
			if got := w.merged("demo/hello", 3) && w.merged("demo/hello", 4); got != tc.used {
				t.Errorf("B2's pull requests merged: %v, want %v", got, tc.used)
			}
			if n := len(w.jobsOf(prowapi.BatchJob)); tc.used && n != 2 || !tc.used && n != 3 {
				t.Errorf("%d batch jobs", n)
			}
		})
	}
}

func TestAMergeCutShortByARestartStillMergesOnlyWhatTheSpeculativeBatchTested(t *testing.T) {
	w := newWorld(t, speculativeConfig, fourPulls()...)
	_, b2 := startSpeculation(t, w)
	// tide merged #1 of B1 and was killed before #2.
	_, _, err := w.api.PullRequests.Merge(context.Background(), "demo", "hello", 1, "",
		&gh.PullRequestOptions{SHA: w.pr("demo/hello", 1).GetHead().GetSHA(), MergeMethod: "merge"})
	must(t, err)
	w.restart()
	w.sync()
	if w.merged("demo/hello", 2) {
		t.Fatal("#2 merged though neither B1 nor B2 passed")
	}
	w.finish(b2, prowapi.SuccessState)
	w.sync()
	for n := 2; n <= 4; n++ {
		if !w.merged("demo/hello", n) {
			t.Errorf("#%d did not merge with the rest of B2", n)
		}
	}
	if n := len(w.jobsOf(prowapi.BatchJob)); n != 2 {
		t.Errorf("%d batch jobs, want B1 and B2 only", n)
	}
}

func TestNoSpeculativeBatchWithoutRoomUnderMaxConcurrency(t *testing.T) {
	for name, cfg := range map[string]string{
		"the job's own": strings.Replace(speculativeConfig, "    always_run: true\n", "    always_run: true\n    max_concurrency: 1\n", 1),
		"plank's":       speculativeConfig + "plank:\n  max_concurrency: 1\n",
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, cfg, fourPulls()...)
			passedEarlier(w, 4)
			w.sync()
			w.sync()
			if n := len(w.jobsOf(prowapi.BatchJob)); n != 1 {
				t.Errorf("%d batch jobs, want B1 alone: B2 would wait behind it", n)
			}
		})
	}
}
