package tide_test

import (
	"context"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/report"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github/sandbox"
)

// olderBase is a base the presubmits ran against before main moved.
var olderBase = strings.Repeat("0", 40)

// passedEarlier makes pull requests 1..n ready but for their presubmit
// unit, which passed against an older base.
func passedEarlier(w *world, n int) {
	for i := 1; i <= n; i++ {
		w.setStatus("demo/hello", i, "ci", "success", "")
		w.setStatus("demo/hello", i, "unit", "success", report.StatusDescription("Job succeeded.", olderBase))
	}
}

// jobsOf lists the job store's jobs of a type, each as "job #1,#2".
func (w *world) jobsOf(typ prowapi.ProwJobType) []prowapi.ProwJob {
	w.t.Helper()
	list, err := w.store.List(context.Background(), jobs.Filter{Type: typ}, jobs.Page{})
	must(w.t, err)
	return list.Items
}

func pulls(pj prowapi.ProwJob) []int {
	var out []int
	for _, p := range pj.Spec.Refs.Pulls {
		out = append(out, p.Number)
	}
	sort.Ints(out)
	return out
}

// finish sets a job's final state, as the controller would.
func (w *world) finish(pj prowapi.ProwJob, state prowapi.ProwJobState) {
	w.t.Helper()
	pj.Status.State = state
	_, err := w.store.Update(context.Background(), &pj)
	must(w.t, err)
}

func threePulls() []pull {
	return []pull{{repo: "demo/hello", file: "a", content: "a\n", labels: ready},
		{repo: "demo/hello", file: "b", content: "b\n", labels: ready},
		{repo: "demo/hello", file: "c", content: "c\n", labels: ready}}
}

func TestABatchOfThreeMergesAfterOneBatchJob(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		w := newWorldOn(t, open, presubmitConfig, threePulls()...)
		passedEarlier(w, 3)
		main0 := w.mainSHA()
		w.sync()
		batches := w.jobsOf(prowapi.BatchJob)
		if len(batches) != 1 || !reflect.DeepEqual(pulls(batches[0]), []int{1, 2, 3}) || batches[0].Spec.Refs.BaseSHA != main0 ||
			batches[0].Labels[prowapi.CreatedByTideLabel] != "true" || batches[0].Labels[prowapi.ProwJobTypeLabel] != "batch" {
			t.Fatalf("batch jobs: %+v", batches)
		}
		if got := w.tideStatus("demo/hello", 2); got != "pending: Not mergeable. Retesting: unit" {
			t.Errorf("#2 while the batch waits: %q", got)
		}
		w.sync()
		if n := len(w.jobsOf(prowapi.BatchJob)) + len(w.jobsOf(prowapi.PresubmitJob)); n != 1 {
			t.Fatalf("%d jobs after a second sync, want the one batch job", n)
		}
		w.finish(batches[0], prowapi.SuccessState)
		w.sync()
		for n := 1; n <= 3; n++ {
			if !w.merged("demo/hello", n) {
				t.Errorf("#%d did not merge with its batch", n)
			}
		}
		if log := w.gitLog("demo/hello", "main"); !reflect.DeepEqual(log[:3], []string{"** Merge pull request #3 from demo/dev-patch-3",
			"** Merge pull request #2 from demo/dev-patch-2", "** Merge pull request #1 from demo/dev-patch-1"}) {
			t.Errorf("main: %q", log)
		}
	})
}

func TestAPRPushedDuringItsBatchIsDroppedFromIt(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		w := newWorldOn(t, open, presubmitConfig, threePulls()...)
		passedEarlier(w, 3)
		w.sync()
		if _, err := w.sb.PushToPull(context.Background(), "demo/hello", 2, sandbox.Push{Files: sandbox.FileChanges{"b": "b2\n"}}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		batches := w.jobsOf(prowapi.BatchJob)
		if len(batches) != 2 || !reflect.DeepEqual(pulls(batches[0]), []int{1, 3}) && !reflect.DeepEqual(pulls(batches[1]), []int{1, 3}) {
			t.Fatalf("batches after the push: %v and %v", pulls(batches[0]), pulls(batches[len(batches)-1]))
		}
		for _, b := range batches {
			w.finish(b, prowapi.SuccessState) // the first batch passing must not merge #2's new head
		}
		w.sync()
		if !w.merged("demo/hello", 1) || w.merged("demo/hello", 2) || !w.merged("demo/hello", 3) {
			t.Errorf("merged: #1 %v, #2 %v, #3 %v; want #1 and #3", w.merged("demo/hello", 1), w.merged("demo/hello", 2), w.merged("demo/hello", 3))
		}
	})
}

func TestAFailedBatchFallsBackToTestingAlone(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		w := newWorldOn(t, open, presubmitConfig, threePulls()[:2]...)
		passedEarlier(w, 2)
		w.sync()
		batches := w.jobsOf(prowapi.BatchJob)
		if len(batches) != 1 {
			t.Fatalf("%d batch jobs", len(batches))
		}
		w.finish(batches[0], prowapi.FailureState)
		w.sync()
		alone := w.jobsOf(prowapi.PresubmitJob)
		if len(alone) != 1 || !reflect.DeepEqual(pulls(alone[0]), []int{1}) || len(w.jobsOf(prowapi.BatchJob)) != 1 {
			t.Fatalf("after the failed batch: %d batch jobs, presubmits %v", len(w.jobsOf(prowapi.BatchJob)), alone)
		}
		// #1 is the culprit: it fails alone, leaves the pool, and #2 goes on.
		w.finish(alone[0], prowapi.FailureState)
		w.setStatus("demo/hello", 1, "unit", "failure", report.StatusDescription("Job failed.", alone[0].Spec.Refs.BaseSHA))
		w.sync()
		var second prowapi.ProwJob
		for _, pj := range w.jobsOf(prowapi.PresubmitJob) {
			if pulls(pj)[0] == 2 {
				second = pj
			}
		}
		if second.Name == "" {
			t.Fatal("#2 was not retested once #1 left the pool")
		}
		w.finish(second, prowapi.SuccessState)
		w.sync()
		if w.merged("demo/hello", 1) || !w.merged("demo/hello", 2) {
			t.Errorf("want #2 merged and the culprit #1 not")
		}
		if got := w.tideStatus("demo/hello", 1); got != "pending: Not mergeable. Job unit has not succeeded." {
			t.Errorf("#1: %q", got)
		}
	})
}

// job returns the one job of the type whose pulls are numbers.
func (w *world) job(typ prowapi.ProwJobType, numbers ...int) prowapi.ProwJob {
	w.t.Helper()
	var found []prowapi.ProwJob
	for _, pj := range w.jobsOf(typ) {
		if reflect.DeepEqual(pulls(pj), numbers) {
			found = append(found, pj)
		}
	}
	if len(found) != 1 {
		w.t.Fatalf("%d %s jobs for %v, want 1", len(found), typ, numbers)
	}
	return found[0]
}

func TestAFailingBatchIsBisectedToTheCulpritWhileTheOthersMerge(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		four := append(threePulls(), pull{repo: "demo/hello", file: "d", content: "d\n", labels: ready})
		w := newWorldOn(t, open, presubmitConfig, four...)
		passedEarlier(w, 4)
		w.sync()
		w.finish(w.job(prowapi.BatchJob, 1, 2, 3, 4), prowapi.FailureState)
		w.sync()
		w.finish(w.job(prowapi.BatchJob, 1, 2), prowapi.SuccessState)
		w.sync()
		if !w.merged("demo/hello", 1) || !w.merged("demo/hello", 2) {
			t.Fatal("the passing half did not merge")
		}
		w.sync()
		w.finish(w.job(prowapi.BatchJob, 3, 4), prowapi.FailureState)
		w.sync()
		culprit := w.job(prowapi.PresubmitJob, 3)
		w.finish(culprit, prowapi.FailureState)
		w.setStatus("demo/hello", 3, "unit", "failure", report.StatusDescription("Job failed.", culprit.Spec.Refs.BaseSHA))
		w.sync()
		w.finish(w.job(prowapi.PresubmitJob, 4), prowapi.SuccessState)
		w.sync()
		if w.merged("demo/hello", 3) || !w.merged("demo/hello", 4) {
			t.Errorf("want #4 merged and the culprit #3 not")
		}
		if got := w.tideStatus("demo/hello", 3); got != "pending: Not mergeable. Job unit has not succeeded." {
			t.Errorf("#3: %q", got)
		}
	})
}

func TestABatchMergeStopsWhenSomeoneElsePushesInBetween(t *testing.T) {
	w := newWorld(t, presubmitConfig, threePulls()...)
	passedEarlier(w, 3)
	w.sync()
	w.finish(w.job(prowapi.BatchJob, 1, 2, 3), prowapi.SuccessState)
	merged1 := false
	w.intercept(func(r *http.Request) {
		switch {
		case r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/pulls/1/merge"):
			merged1 = true
		case merged1 && r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/git/ref/heads/main"):
			merged1 = false
			if _, err := w.sb.PushToBranch(context.Background(), "demo/hello", "main", sandbox.Push{Files: sandbox.FileChanges{"other.txt": "x\n"}}); err != nil {
				t.Error(err)
			}
		}
	})
	w.sync()
	if !w.merged("demo/hello", 1) || w.merged("demo/hello", 2) || w.merged("demo/hello", 3) {
		t.Fatal("want #1 merged and the rest of the batch held back")
	}
	w.intercept(nil)
	w.sync()
	if again := w.job(prowapi.BatchJob, 2, 3); again.Spec.Refs.BaseSHA == "" {
		t.Fatal("the rest was not batched again on the new base")
	}
}
