package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/storetest"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func open(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) jobs.Store {
		return open(t, filepath.Join(t.TempDir(), "jobs.db"))
	})
}

func presubmit(name string, start time.Time, state prowapi.ProwJobState) *prowapi.ProwJob {
	return &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: "unit",
			Refs: &prowapi.Refs{Org: "o", Repo: "r", Pulls: []prowapi.Pull{{Number: 1, Author: "a"}}}},
		Status: prowapi.ProwJobStatus{State: state, StartTime: metav1.NewTime(start)},
	}
}

func TestReopenKeepsJobsVersionsAndTimes(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "jobs.db")
	s, err := Open(ctx, path, Options{FullSync: true})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	start := time.Date(2026, 5, 4, 3, 2, 1, 999999999, time.UTC)
	a, err := s.Create(ctx, presubmit("a", start, prowapi.PendingState))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Create(ctx, presubmit("b", start.Add(time.Nanosecond), prowapi.PendingState))
	if err != nil {
		t.Fatal(err)
	}
	a.Status.State = prowapi.SuccessState
	if a, err = s.Update(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	s = open(t, path)
	got, err := s.Get(ctx, "a")
	if err != nil {
		t.Fatalf("get a after reopening: %v", err)
	}
	if got.ResourceVersion != a.ResourceVersion || got.Status.State != prowapi.SuccessState || !got.Status.StartTime.Time.Equal(start) {
		t.Errorf("after reopening a is %s at %s from %s, want success at %s from %s", got.Status.State, got.ResourceVersion,
			got.Status.StartTime.Format(time.RFC3339Nano), a.ResourceVersion, start.Format(time.RFC3339Nano))
	}
	if _, err := s.Get(ctx, "b"); err == nil {
		t.Error("the deleted job b came back")
	}
	c, err := s.Create(ctx, presubmit("c", start, prowapi.PendingState))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{a.ResourceVersion, b.ResourceVersion} {
		if version(t, c.ResourceVersion) <= version(t, v) {
			t.Errorf("version %s after reopening is not above %s: the counter went back", c.ResourceVersion, v)
		}
	}
}

func version(t *testing.T, v string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		t.Fatalf("resource version %q is not an integer: %v", v, err)
	}
	return n
}

func TestResourceVersionsIncreaseAcrossJobs(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "jobs.db"))
	last := int64(0)
	for i := range 5 {
		pj, err := s.Create(t.Context(), presubmit("j"+strconv.Itoa(i), time.Now(), prowapi.PendingState))
		if err != nil {
			t.Fatal(err)
		}
		pj.Status.State = prowapi.SuccessState
		if pj, err = s.Update(t.Context(), pj); err != nil {
			t.Fatal(err)
		}
		if v := version(t, pj.ResourceVersion); v <= last {
			t.Errorf("version %d after %d", v, last)
		} else {
			last = v
		}
	}
}

func TestOpenRefusesFilesItCannotUse(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, path string)
		want  string
	}{
		{"garbage", func(t *testing.T, path string) {
			writeFile(t, path, bytes.Repeat([]byte("this is not a database\n"), 400))
		}, "file is not a database"},
		{"a short garbage file", func(t *testing.T, path string) { writeFile(t, path, []byte("garbage")) }, "file is not a database"},
		{"a schema from a newer build", func(t *testing.T, path string) {
			open(t, path).Close()
			execSQL(t, path, "INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')")
		}, "schema is at version 99, newer than this build knows (4)"},
		{"another program's database", func(t *testing.T, path string) {
			execSQL(t, path, "CREATE TABLE people (name TEXT)")
		}, "not a job store"},
		{"a missing directory", func(*testing.T, string) {}, "open job store"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "jobs.db")
			if tc.name == "a missing directory" {
				path = filepath.Join(t.TempDir(), "missing", "jobs.db")
			}
			tc.setup(t, path)
			before, _ := os.ReadFile(path)
			s, err := Open(t.Context(), path, Options{})
			if err == nil {
				s.Close()
				t.Fatal("open succeeded")
			}
			if !strings.Contains(err.Error(), "open job store "+path+": ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want one naming %s and saying %q", err, path, tc.want)
			}
			t.Log(err)
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Error("open changed the file it refused")
			}
		})
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// execSQL runs a statement on the file without the store.
func execSQL(t *testing.T, path, stmt string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

func TestListUsesIndexes(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "jobs.db"))
	after := encodeContinue(1, "x")
	for _, tc := range []struct {
		name string
		f    jobs.Filter
		uses string
	}{
		{"everything", jobs.Filter{}, "jobs_by_start"},
		{"repo", jobs.Filter{Org: "o", Repo: "r"}, "jobs_by_repo "},
		{"repo and state", jobs.Filter{Org: "o", Repo: "r", States: []prowapi.ProwJobState{prowapi.SuccessState}}, "jobs_by_repo_state"},
		{"job", jobs.Filter{Job: "unit"}, "jobs_by_job"},
		{"job and type", jobs.Filter{Job: "unit", Type: prowapi.PeriodicJob}, "jobs_by_job"},
		{"state", jobs.Filter{States: []prowapi.ProwJobState{prowapi.PendingState}}, "jobs_by_state"},
		{"type", jobs.Filter{Type: prowapi.PeriodicJob}, "jobs_by_type"},
		{"incomplete", jobs.Filter{Incomplete: true}, "jobs_incomplete"},
		{"several states", jobs.Filter{States: []prowapi.ProwJobState{prowapi.SuccessState, prowapi.FailureState}}, "jobs_by_start"},
		{"job, type and state", jobs.Filter{Job: "unit", Type: prowapi.PresubmitJob, States: []prowapi.ProwJobState{prowapi.SuccessState}}, "jobs_by_job"},
		{"incomplete in a repo", jobs.Filter{Org: "o", Repo: "r", Incomplete: true}, "jobs_incomplete"},
		{"pull", jobs.Filter{Org: "o", Repo: "r", Pull: 7}, "job_pulls_by_number"},
		{"author", jobs.Filter{Author: "alice"}, "job_pulls_by_author"},
		{"a job glob reads in start order", jobs.Filter{Job: "pull-*"}, "jobs_by_start"},
		{"a job glob in a repo", jobs.Filter{Org: "o", Repo: "r", Job: "*-e2e"}, "jobs_by_repo "},
		{"the runs of a pull to abort", jobs.Filter{Org: "o", Repo: "r", Pull: 7, Incomplete: true}, "job_pulls_by_number"},
	} {
		for _, token := range []string{"", after} {
			t.Run(tc.name+map[bool]string{true: " after a token"}[token != ""], func(t *testing.T) {
				q, args, err := listQuery(tc.f, jobs.Page{Limit: 20, Continue: token})
				if err != nil {
					t.Fatal(err)
				}
				plan := explain(t, s, q, args)
				t.Logf("%s\n%s", q, plan)
				if !strings.Contains(plan, "INDEX "+tc.uses) {
					t.Errorf("the query does not use index %s:\n%s", tc.uses, plan)
				}
				if tc.f.Pull == 0 && tc.f.Author == "" && strings.Contains(plan, "TEMP B-TREE") {
					t.Errorf("the query sorts instead of reading an index in order:\n%s", plan)
				}
			})
		}
	}
}

func explain(t *testing.T, s *Store, q string, args []any) string {
	t.Helper()
	rows, err := s.db.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}
