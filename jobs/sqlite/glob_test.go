package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// TestGlobReadsAgree lists job globs both ways, by the names a glob
// matches (few runs) and in start order (many), page by page.
func TestGlobReadsAgree(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "jobs.db"))
	ctx := context.Background()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	names := []string{"pull-hello-unit", "pull-hello-e2e", "pull-bye-unit", "ci-junit-report", "odd[1]?"}
	for i := range 40 {
		pj := presubmit(fmt.Sprintf("run-%02d", i), start.Add(time.Duration(i%13)*time.Minute), prowapi.SuccessState)
		pj.Spec.Job = names[i%len(names)]
		if _, err := s.Create(ctx, pj); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		glob string
		want int
	}{
		{"pull-hello-*", 16}, {"*unit*", 24}, {"*-e2e", 8}, {"odd[1]?*", 8}, {"odd?*", 0}, {"*nothing*", 0}, {"*", 40},
	} {
		t.Run(tc.glob, func(t *testing.T) {
			var lists [][]string
			for _, few := range []int{-1, defaultFewRuns} {
				s.globFewRuns = few
				for _, size := range []int{1, 3, 50} {
					got := listNames(t, s, jobs.Filter{Job: tc.glob}, size)
					if len(got) != tc.want {
						t.Errorf("threshold %d, pages of %d: %d jobs, want %d", few, size, len(got), tc.want)
					}
					lists = append(lists, got)
				}
			}
			for _, l := range lists[1:] {
				if !slices.Equal(l, lists[0]) {
					t.Errorf("the reads disagree: %v and %v", lists[0], l)
				}
			}
		})
	}
	s.globFewRuns = 0
}

func listNames(t *testing.T, s *Store, f jobs.Filter, size int) []string {
	t.Helper()
	var out []string
	page := jobs.Page{Limit: size}
	for {
		l, err := s.List(context.Background(), f, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, pj := range l.Items {
			out = append(out, pj.Name)
		}
		if l.Continue == "" {
			return out
		}
		page.Continue = l.Continue
	}
}

func TestGlobOfFewRunsReadsByJob(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "jobs.db"))
	after := encodeContinue(5, "x")
	for _, tc := range []struct {
		name string
		f    jobs.Filter
		uses string
	}{
		{"a glob", jobs.Filter{Job: "pull-*"}, "jobs_by_job"},
		{"a glob and a repo", jobs.Filter{Org: "o", Repo: "r", Job: "pull-*"}, "jobs_by_job"},
		{"a glob and an author", jobs.Filter{Author: "alice", Job: "pull-*"}, "job_pulls_by_author"},
	} {
		for _, token := range []string{"", after} {
			t.Run(tc.name+map[bool]string{true: " after a token"}[token != ""], func(t *testing.T) {
				q, args, err := listQueryIn(tc.f, jobs.Page{Limit: 20, Continue: token}, []string{"pull-a", "pull-b"})
				if err != nil {
					t.Fatal(err)
				}
				if plan := explain(t, s, q, args); !strings.Contains(plan, "INDEX "+tc.uses) {
					t.Errorf("%s\ndoes not use index %s:\n%s", q, tc.uses, plan)
				}
			})
		}
	}
}
