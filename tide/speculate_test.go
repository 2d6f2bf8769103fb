package tide

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/github"
)

// specRun is a batch run of pull requests at "head" against newBase, in
// the order given.
func specRun(state string, speculative bool, numbers ...int) BatchRun {
	r := BatchRun{BaseSHA: newBase, Pulls: map[int]string{}, Order: numbers, States: map[string]string{"unit": state}, Speculative: speculative}
	for _, n := range numbers {
		r.Pulls[n] = "head"
	}
	if state == "pending" {
		r.Unfinished = []string{"unit-" + strconv.Itoa(len(numbers))}
	}
	return r
}

func runWith(r BatchRun, change func(*BatchRun)) BatchRun {
	r.Pulls = map[int]string{}
	for _, n := range r.Order {
		r.Pulls[n] = "head"
	}
	change(&r)
	return r
}

// describe is an action as the table reads it: "KIND #n...", then
// "stacked #n..." and "abandon n,n..." when there are.
func describe(a Action) string {
	s := historyAction(a)
	if a.PR != nil {
		s += " #" + strconv.Itoa(a.PR.Number)
	}
	for _, v := range a.Batch {
		s += " #" + strconv.Itoa(v.Number)
	}
	if len(a.Stacked) > 0 {
		s += "; stacked"
		for _, v := range a.Stacked {
			s += " #" + strconv.Itoa(v.Number)
		}
	}
	for _, r := range a.Abandon {
		var ns []string
		for _, n := range r.Order {
			ns = append(ns, strconv.Itoa(n))
		}
		s += "; abandon " + strings.Join(ns, ",")
	}
	return s
}

func TestPlanSpeculative(t *testing.T) {
	staleUnit := func(c *Candidate) { setContext(c, "unit", "success", onBase(oldBase)) }
	unitJob := func(max int) func(c *Candidate) {
		return func(c *Candidate) {
			staleUnit(c)
			c.run = []config.Presubmit{{JobBase: config.JobBase{Name: "unit", MaxConcurrency: max}, Reporter: config.Reporter{Context: "unit"}}}
		}
	}
	stale := func(numbers ...int) []Candidate {
		var out []Candidate
		for _, n := range numbers {
			out = append(out, with(ready(n), unitJob(0)))
		}
		return out
	}
	landed := func(n int) func(*BatchRun) {
		return func(r *BatchRun) { r.BaseSHA, r.Landed, r.LandedOn = oldBase, n, newBase }
	}
	for _, tc := range []struct {
		name    string
		cands   []Candidate
		batches []BatchRun
		limit   int
		depth   int
		room    Room
		want    string
	}{
		{"the next ready PRs are tested on top of the running batch", stale(1, 2, 3, 4), []BatchRun{specRun("pending", false, 1, 2)}, 2, 1, NoLimit(),
			"TRIGGER_BATCH (speculative) #1 #2 #3 #4; stacked #3 #4"},
		{"without speculative_depth tide waits, as Prow does", stale(1, 2, 3, 4), []BatchRun{specRun("pending", false, 1, 2)}, 2, 0, NoLimit(),
			"WAIT"},
		{"batch_size_limit counts the new PRs only", stale(1, 2, 3, 4), []BatchRun{specRun("pending", false, 1, 2)}, 1, 1, NoLimit(),
			"TRIGGER_BATCH (speculative) #1 #2 #3; stacked #3"},
		{"priority picks the new PRs, number orders them", append(stale(1, 2, 3, 4), with(ready(5), func(c *Candidate) { unitJob(0)(c); c.Labels = append(c.Labels, "priority/critical") })),
			[]BatchRun{specRun("pending", false, 1, 2)}, 2, 1, NoLimit(), "TRIGGER_BATCH (speculative) #1 #2 #3 #5; stacked #3 #5"},
		{"a PR ready by itself goes on top too", append(stale(1, 2), ready(3)), []BatchRun{specRun("pending", false, 1, 2)}, 0, 1, NoLimit(),
			"TRIGGER_BATCH (speculative) #1 #2 #3; stacked #3"},
		{"one level at a time", stale(1, 2, 3, 4, 5), []BatchRun{specRun("pending", false, 1, 2), specRun("pending", true, 1, 2, 3, 4)}, 2, 1, NoLimit(),
			"WAIT; stacked #3 #4"},
		{"a second level with speculative_depth 2", stale(1, 2, 3, 4, 5), []BatchRun{specRun("pending", false, 1, 2), specRun("pending", true, 1, 2, 3, 4)}, 2, 2, NoLimit(),
			"TRIGGER_BATCH (speculative) #1 #2 #3 #4 #5; stacked #3 #4 #5"},
		{"nothing left to add", stale(1, 2), []BatchRun{specRun("pending", false, 1, 2)}, 0, 1, NoLimit(), "WAIT"},
		{"no room under a job's own max_concurrency", []Candidate{with(ready(1), unitJob(1)), with(ready(2), unitJob(1)), with(ready(3), unitJob(1))},
			[]BatchRun{specRun("pending", false, 1, 2)}, 0, 1, Room{Free: -1, Running: map[string]int{"unit": 1}}, "WAIT"},
		{"room under a job's own max_concurrency", []Candidate{with(ready(1), unitJob(2)), with(ready(2), unitJob(2)), with(ready(3), unitJob(2))},
			[]BatchRun{specRun("pending", false, 1, 2)}, 0, 1, Room{Free: -1, Running: map[string]int{"unit": 1}}, "TRIGGER_BATCH (speculative) #1 #2 #3; stacked #3"},
		{"no room under plank's max_concurrency", stale(1, 2, 3), []BatchRun{specRun("pending", false, 1, 2)}, 0, 1, Room{}, "WAIT"},
		{"no speculation when batches are off", stale(1, 2, 3), []BatchRun{specRun("pending", false, 1, 2)}, -1, 1, NoLimit(), "WAIT"},
		{"the running batch passes first: it merges", stale(1, 2, 3, 4), []BatchRun{specRun("success", false, 1, 2), specRun("pending", true, 1, 2, 3, 4)}, 2, 1, NoLimit(),
			"MERGE_BATCH #1 #2"},
		{"the speculative batch passes first: it merges whole, in its order", stale(1, 2, 3, 4),
			[]BatchRun{specRun("pending", false, 2, 3), specRun("success", true, 2, 3, 1, 4)}, 2, 1, NoLimit(), "MERGE_BATCH (speculative) #2 #3 #1 #4"},
		{"once the batch under it landed as tested, the rest merges untested again", stale(3, 4),
			[]BatchRun{runWith(specRun("success", true, 1, 2, 3, 4), landed(2))}, 2, 1, NoLimit(), "MERGE_BATCH (speculative) #3 #4"},
		{"once the batch under it landed, a running speculative batch is waited for", stale(3, 4, 5),
			[]BatchRun{runWith(specRun("pending", true, 1, 2, 3, 4), landed(2))}, 2, 0, NoLimit(), "WAIT"},
		{"and the next batch goes on top of it", stale(3, 4, 5),
			[]BatchRun{runWith(specRun("pending", true, 1, 2, 3, 4), landed(2))}, 2, 1, NoLimit(), "TRIGGER_BATCH (speculative) #3 #4 #5; stacked #5"},
		{"a speculative batch on a base that moved otherwise is abandoned", stale(3, 4),
			[]BatchRun{runWith(specRun("pending", true, 1, 2, 3, 4), func(r *BatchRun) { r.BaseSHA = oldBase })}, 2, 1, NoLimit(),
			"TRIGGER_BATCH #3 #4; abandon 1,2,3,4"},
		{"a speculative batch that passed on a base that moved otherwise is not used", stale(3, 4),
			[]BatchRun{runWith(specRun("success", true, 1, 2, 3, 4), func(r *BatchRun) { r.BaseSHA = oldBase })}, 2, 1, NoLimit(), "TRIGGER_BATCH #3 #4"},
		{"the batch under it failed: abandoned, and the failed batch is bisected", stale(1, 2, 3, 4),
			[]BatchRun{specRun("failure", false, 1, 2), specRun("pending", true, 1, 2, 3, 4)}, 2, 1, NoLimit(), "TRIGGER #1; abandon 1,2,3,4"},
		{"the batch under it failed: even passing it is not used", stale(1, 2, 3, 4),
			[]BatchRun{specRun("failure", false, 1, 2), specRun("success", true, 1, 2, 3, 4)}, 2, 1, NoLimit(), "TRIGGER #1"},
		{"a PR pushed since: abandoned, and the batch on top started again", stale(1, 2, 3, 4),
			[]BatchRun{specRun("pending", false, 1, 2), runWith(specRun("pending", true, 1, 2, 3, 4), func(r *BatchRun) { r.Pulls[4] = "older" })}, 2, 1, NoLimit(),
			"TRIGGER_BATCH (speculative) #1 #2 #3 #4; stacked #3 #4; abandon 1,2,3,4"},
		{"a PR pushed since: a passed speculative batch is not used for any", stale(3, 4),
			[]BatchRun{runWith(specRun("success", true, 1, 2, 3, 4), func(r *BatchRun) { landed(2)(r); r.Pulls[4] = "older" })}, 2, 1, NoLimit(), "TRIGGER_BATCH #3 #4"},
		{"an aborted speculative batch is not started again", stale(1, 2, 3, 4),
			[]BatchRun{specRun("pending", false, 1, 2), runWith(specRun("aborted", true, 1, 2, 3, 4), func(r *BatchRun) { r.Aborted = true })}, 2, 1, NoLimit(), "WAIT"},
		{"a speculative batch that failed is not started again", stale(1, 2, 3, 4),
			[]BatchRun{specRun("pending", false, 1, 2), specRun("failure", true, 1, 2, 3, 4)}, 2, 1, NoLimit(), "WAIT"},
		{"a merge cut short: the rest of the speculative batch merges", stale(2, 3, 4),
			[]BatchRun{runWith(specRun("success", true, 1, 2, 3, 4), landed(1))}, 2, 1, NoLimit(), "MERGE_BATCH (speculative) #2 #3 #4"},
		{"a speculative batch on top of one that failed, itself on top of the running one, is abandoned", stale(1, 2, 3, 4, 5, 6),
			[]BatchRun{specRun("pending", false, 1, 2), specRun("failure", true, 1, 2, 3, 4), specRun("pending", true, 1, 2, 3, 4, 5, 6)}, 2, 2, NoLimit(),
			"WAIT; abandon 1,2,3,4,5,6"},
		{"a speculative batch that failed has its other jobs aborted", stale(1, 2, 3, 4),
			[]BatchRun{specRun("pending", false, 1, 2), runWith(specRun("failure", true, 1, 2, 3, 4), func(r *BatchRun) { r.Unfinished = []string{"lint"} })}, 2, 1, NoLimit(),
			"WAIT; abandon 1,2,3,4"},
		{"an abort that missed jobs is done again", stale(1, 2, 3, 4),
			[]BatchRun{specRun("pending", false, 1, 2), runWith(specRun("aborted", true, 1, 2, 3, 4), func(r *BatchRun) { r.Aborted, r.Unfinished = true, []string{"lint"} })}, 2, 1, NoLimit(),
			"WAIT; abandon 1,2,3,4"},
		{"a run not checked yet holds the pool", append(stale(1, 2), ready(3)),
			[]BatchRun{runWith(specRun("success", true, 1, 2), func(r *BatchRun) { r.Unverified = true })}, 2, 1, NoLimit(), "WAIT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testTide()
			cfg.BatchSizeLimitMap = map[string]int{"o/r": tc.limit}
			cfg.SpeculativeDepth = &tc.depth
			vs, err := Decide(cfg, tc.cands)
			if err != nil {
				t.Fatal(err)
			}
			actions := Plan(cfg, vs, map[string][]BatchRun{"o/r:main": tc.batches}, tc.room)
			if len(actions) != 1 {
				t.Fatalf("%d actions", len(actions))
			}
			if got := describe(actions[0]); got != tc.want {
				t.Errorf("Plan = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestASpeculativeBatchIsAbandonedWhenNoPullRequestIsLeftInItsPool(t *testing.T) {
	cfg := testTide()
	one := 1
	cfg.SpeculativeDepth = &one
	out := with(ready(1), func(c *Candidate) { c.Labels = nil })
	vs, err := Decide(cfg, []Candidate{out})
	if err != nil {
		t.Fatal(err)
	}
	actions := Plan(cfg, vs, map[string][]BatchRun{"o/r:main": {specRun("pending", true, 1, 2)}}, NoLimit())
	if len(actions) != 1 || describe(actions[0]) != "WAIT; abandon 1,2" {
		t.Errorf("Plan = %+v", actions)
	}
}

func TestStackedPullRequestsSayTheyAreTestedOnTopOfTheRunningBatch(t *testing.T) {
	cfg := testTide()
	one := 1
	cfg.SpeculativeDepth = &one
	stale := func(c *Candidate) { setContext(c, "unit", "success", onBase(oldBase)) }
	vs, err := Decide(cfg, []Candidate{with(ready(1), stale), with(ready(2), stale), with(ready(3), stale), ready(4)})
	if err != nil {
		t.Fatal(err)
	}
	actions := Plan(cfg, vs, map[string][]BatchRun{"o/r:main": {specRun("pending", false, 1, 2)}}, NoLimit())
	markStacked(actions)
	got := []string{}
	for _, v := range vs {
		got = append(got, v.State+": "+v.Description)
	}
	want := []string{"pending: Not mergeable. Retesting: unit", "pending: Not mergeable. Retesting: unit",
		"pending: Not mergeable. Testing on top of the running batch: unit", "success: In merge pool."}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %q, want %q", got, want)
	}
	if views := poolViews(vs, actions); len(views) != 1 || len(views[0].BatchPending) != 2 || len(views[0].SpeculativeBatch) != 2 {
		t.Errorf("pool view: %+v", views)
	}
}

func TestMergedAsTested(t *testing.T) {
	merged := github.PullRequest{Merged: true, MergeCommitSHA: "m", HeadSHA: "h"}
	for _, tc := range []struct {
		name    string
		pr      github.PullRequest
		method  string
		parents []string
		want    bool
	}{
		{"a merge commit of the head tested", merged, "merge", []string{"base", "h"}, true},
		{"a squash of the head tested", merged, "squash", []string{"base"}, true},
		{"a rebase never counts", merged, "rebase", []string{"base"}, false},
		{"a merge commit of another head", merged, "merge", []string{"base", "other"}, false},
		{"a merge method that left one parent", merged, "merge", []string{"base"}, false},
		{"a squash that left two parents", merged, "squash", []string{"base", "h"}, false},
		{"a pull request pushed before it merged", github.PullRequest{Merged: true, MergeCommitSHA: "m", HeadSHA: "h2"}, "merge", []string{"base", "h2"}, false},
		{"another commit than the pull request's merge", github.PullRequest{Merged: true, MergeCommitSHA: "x", HeadSHA: "h"}, "merge", []string{"base", "h"}, false},
		{"a pull request not merged", github.PullRequest{HeadSHA: "h"}, "merge", []string{"base", "h"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := MergedAsTested(tc.pr, tc.method, "m", tc.parents, "h"); got != tc.want {
				t.Errorf("MergedAsTested = %v, want %v", got, tc.want)
			}
		})
	}
}
