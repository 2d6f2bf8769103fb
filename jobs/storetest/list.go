package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// fleet is the jobs the filter tests list; newest first they are
// tie-b, tie-a (same start, so by name), nightly-1, batch-unit,
// other-unit-7, post-unit, test-unit-1, e2e-1, unit-2, unit-1 and
// nightly-2 (no start time, so last).
func fleet() []*prowapi.ProwJob {
	const pre, post, per, batch = prowapi.PresubmitJob, prowapi.PostsubmitJob, prowapi.PeriodicJob, prowapi.BatchJob
	return []*prowapi.ProwJob{
		job("unit-1", refs("k8s", "infra", pr(1, "alice")), "unit", pre, prowapi.SuccessState, at(1)),
		job("unit-2", refs("k8s", "infra", pr(2, "bob")), "unit", pre, prowapi.PendingState, at(2)),
		job("e2e-1", refs("k8s", "infra", pr(1, "alice")), "e2e", pre, prowapi.FailureState, at(3)),
		job("test-unit-1", refs("k8s", "test", pr(1, "carol")), "unit", pre, prowapi.TriggeredState, at(4)),
		job("post-unit", refs("k8s", "infra"), "unit", post, prowapi.SuccessState, at(5)),
		job("other-unit-7", refs("other", "infra", pr(7, "alice")), "unit", pre, prowapi.AbortedState, at(6)),
		job("batch-unit", refs("k8s", "infra", pr(1, "alice"), pr(2, "bob"), pr(3, "dave")), "unit", batch, prowapi.PendingState, at(7)),
		job("nightly-1", nil, "nightly", per, prowapi.ErrorState, at(8)),
		job("tie-a", refs("k8s", "infra", pr(3, "dave")), "unit", pre, prowapi.SuccessState, at(9)),
		job("tie-b", refs("k8s", "infra", pr(3, "dave")), "unit", pre, prowapi.SuccessState, at(9)),
		job("nightly-2", nil, "nightly", per, prowapi.SchedulingState, metav1.Time{}),
	}
}

func states(s ...prowapi.ProwJobState) []prowapi.ProwJobState { return s }

func (s suite) testFilters(t *testing.T) {
	st := s.newStore(t)
	mustCreate(t, st, fleet()...)
	for _, tc := range []struct {
		name string
		f    jobs.Filter
		want string
	}{
		{"no filter lists all newest first, ties by name, no start time last", jobs.Filter{},
			"tie-b tie-a nightly-1 batch-unit other-unit-7 post-unit test-unit-1 e2e-1 unit-2 unit-1 nightly-2"},
		{"org", jobs.Filter{Org: "k8s"}, "tie-b tie-a batch-unit post-unit test-unit-1 e2e-1 unit-2 unit-1"},
		{"repo of any org", jobs.Filter{Repo: "infra"}, "tie-b tie-a batch-unit other-unit-7 post-unit e2e-1 unit-2 unit-1"},
		{"org and repo", jobs.Filter{Org: "k8s", Repo: "infra"}, "tie-b tie-a batch-unit post-unit e2e-1 unit-2 unit-1"},
		{"job name", jobs.Filter{Job: "unit"}, "tie-b tie-a batch-unit other-unit-7 post-unit test-unit-1 unit-2 unit-1"},
		{"type periodic", jobs.Filter{Type: prowapi.PeriodicJob}, "nightly-1 nightly-2"},
		{"type batch", jobs.Filter{Type: prowapi.BatchJob}, "batch-unit"},
		{"pull of any repo", jobs.Filter{Pull: 1}, "batch-unit test-unit-1 e2e-1 unit-1"},
		{"pull of a repo", jobs.Filter{Org: "k8s", Repo: "infra", Pull: 1}, "batch-unit e2e-1 unit-1"},
		{"a pull that is not a batch's first", jobs.Filter{Pull: 2}, "batch-unit unit-2"},
		{"author", jobs.Filter{Author: "alice"}, "batch-unit other-unit-7 e2e-1 unit-1"},
		{"author of a batch's last pull", jobs.Filter{Author: "dave"}, "tie-b tie-a batch-unit"},
		{"pull and author must be the same pull", jobs.Filter{Pull: 2, Author: "alice"}, ""},
		{"pull and author", jobs.Filter{Pull: 1, Author: "carol"}, "test-unit-1"},
		{"one state", jobs.Filter{States: states(prowapi.PendingState)}, "batch-unit unit-2"},
		{"several states", jobs.Filter{States: states(prowapi.SuccessState, prowapi.FailureState)}, "tie-b tie-a post-unit e2e-1 unit-1"},
		{"incomplete", jobs.Filter{Incomplete: true}, "batch-unit test-unit-1 unit-2 nightly-2"},
		{"incomplete in a repo", jobs.Filter{Org: "k8s", Repo: "infra", Incomplete: true}, "batch-unit unit-2"},
		{"incomplete and a final state", jobs.Filter{Incomplete: true, States: states(prowapi.SuccessState)}, ""},
		{"the default cluster, which a job naming none runs in", jobs.Filter{Cluster: prowapi.DefaultClusterAlias, Type: prowapi.BatchJob}, "batch-unit"},
		{"a cluster no job runs in", jobs.Filter{Cluster: "build-2"}, ""},
		{"job, type and state", jobs.Filter{Job: "unit", Type: prowapi.PresubmitJob, States: states(prowapi.SuccessState)}, "tie-b tie-a unit-1"},
		{"repo and state, as deck asks", jobs.Filter{Org: "k8s", Repo: "infra", States: states(prowapi.SuccessState)}, "tie-b tie-a post-unit unit-1"},
		{"job and type, as periodics ask", jobs.Filter{Job: "nightly", Type: prowapi.PeriodicJob}, "nightly-1 nightly-2"},
		{"every field", jobs.Filter{Org: "k8s", Repo: "infra", Job: "unit", Type: prowapi.BatchJob, Pull: 3, Author: "dave",
			States: states(prowapi.PendingState), Incomplete: true}, "batch-unit"},
		{"an org no job has", jobs.Filter{Org: "nobody"}, ""},
		{"a job no one runs", jobs.Filter{Job: "missing"}, ""},
		{"a job glob with a prefix", jobs.Filter{Job: "un*"}, "tie-b tie-a batch-unit other-unit-7 post-unit test-unit-1 unit-2 unit-1"},
		{"a job glob in the middle", jobs.Filter{Job: "*gh*"}, "nightly-1 nightly-2"},
		{"a glob for every job", jobs.Filter{Job: "*", Type: prowapi.PeriodicJob}, "nightly-1 nightly-2"},
		{"only * is special in a job glob", jobs.Filter{Job: "e?e*"}, ""},
		{"a job glob and a repo", jobs.Filter{Org: "k8s", Repo: "infra", Job: "*2*"}, "e2e-1"},
		{"author in another case", jobs.Filter{Author: "ALICE"}, "batch-unit other-unit-7 e2e-1 unit-1"},
		{"author in another case and pull", jobs.Filter{Pull: 1, Author: "Carol"}, "test-unit-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := strings.Fields(tc.want)
			for _, size := range []int{0, 1, 2, 3} {
				if got := listAll(t, st, tc.f, size); !slices.Equal(got, want) {
					t.Errorf("pages of %d: got %v, want %v", size, got, want)
				}
			}
		})
	}
}

// numbered makes n jobs started a minute apart from minute from.
func numbered(prefix string, from, n int) []*prowapi.ProwJob {
	var out []*prowapi.ProwJob
	for i := range n {
		out = append(out, job(fmt.Sprintf("%s-%04d", prefix, from+i), refs("o", "r", pr(i, "a")), "unit",
			prowapi.PresubmitJob, prowapi.PendingState, at(from+i)))
	}
	return out
}

func (s suite) testPaging(t *testing.T) {
	st := s.newStore(t)
	mustCreate(t, st, numbered("j", 0, jobs.DefaultLimit+5)...)
	for _, tc := range []struct {
		name  string
		limit int
		sizes []int
	}{
		{"the default page is 100", 0, []int{100, 5}},
		{"pages of 40", 40, []int{40, 40, 25}},
		{"a page that ends exactly", 105, []int{105}},
		{"a page larger than the list", 1000, []int{105}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := jobs.Page{Limit: tc.limit}
			var sizes []int
			var names []string
			for {
				l, err := st.List(t.Context(), jobs.Filter{}, page)
				if err != nil {
					t.Fatalf("list: %v", err)
				}
				sizes = append(sizes, len(l.Items))
				for _, pj := range l.Items {
					names = append(names, pj.Name)
				}
				if l.Continue == "" {
					break
				}
				page.Continue = l.Continue
			}
			if !slices.Equal(sizes, tc.sizes) {
				t.Errorf("page sizes %v, want %v", sizes, tc.sizes)
			}
			if len(names) != 105 || names[0] != "j-0104" || names[104] != "j-0000" {
				t.Errorf("listed %d jobs from %s to %s, want 105 from j-0104 to j-0000", len(names), names[0], names[len(names)-1])
			}
		})
	}
}

func (s suite) testPagingWhileCreating(t *testing.T) {
	st := s.newStore(t)
	mustCreate(t, st, numbered("old", 0, 30)...)
	page := jobs.Page{Limit: 7}
	seen := map[string]int{}
	var order []string
	for i := 1; ; i++ {
		l, err := st.List(t.Context(), jobs.Filter{}, page)
		if err != nil {
			t.Fatalf("list page %d: %v", i, err)
		}
		for _, pj := range l.Items {
			seen[pj.Name]++
			order = append(order, pj.Name)
		}
		if l.Continue == "" {
			break
		}
		page.Continue = l.Continue
		// Newer jobs arrive between pages, as they do while someone reads.
		mustCreate(t, st, numbered(fmt.Sprintf("new%d", i), 100*i, 3)...)
	}
	for _, pj := range numbered("old", 0, 30) {
		if seen[pj.Name] != 1 {
			t.Errorf("job %s listed %d times, want once", pj.Name, seen[pj.Name])
		}
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("job %s listed %d times", name, n)
		}
	}
	if len(order) != 30 {
		t.Errorf("listed %d jobs, want the 30 that existed: %v", len(order), order)
	}
}

func (s suite) testPagingWhileUpdating(t *testing.T) {
	st := s.newStore(t)
	mustCreate(t, st, numbered("run", 0, 20)...)
	// Abort's pattern: list the incomplete jobs and finish each one read.
	page := jobs.Page{Limit: 3}
	f := jobs.Filter{Incomplete: true}
	finished := 0
	for range 100 {
		l, err := st.List(t.Context(), f, page)
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		for i := range l.Items {
			pj := l.Items[i].DeepCopy()
			pj.Status.State = prowapi.AbortedState
			if _, err := st.Update(t.Context(), pj); err != nil {
				t.Fatalf("update %s: %v", pj.Name, err)
			}
			finished++
		}
		if l.Continue == "" {
			break
		}
		page.Continue = l.Continue
	}
	if finished != 20 {
		t.Errorf("finished %d jobs through the pages, want all 20", finished)
	}
	if left := listAll(t, st, f, 0); len(left) != 0 {
		t.Errorf("jobs left incomplete: %v", left)
	}
}

func (s suite) testBadContinue(t *testing.T) {
	st := s.newStore(t)
	mustCreate(t, st, numbered("j", 0, 3)...)
	for _, token := range []string{"not a token", "%%%", "AAAA", "eyJ0IjoieCJ9", "12"} {
		t.Run(token, func(t *testing.T) {
			l, err := st.List(t.Context(), jobs.Filter{}, jobs.Page{Limit: 1, Continue: token})
			if err == nil {
				t.Fatalf("list with continue %q = %d jobs, want an error", token, len(l.Items))
			}
			if errors.Is(err, jobs.ErrNotFound) || !strings.Contains(err.Error(), "continue") {
				t.Errorf("error %q should say the continue token is bad", err)
			}
		})
	}
}
