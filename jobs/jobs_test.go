package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/memstore"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func pull(org, repo string, n int, author string) *prowapi.ProwJob {
	return &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: "unit",
		Refs: &prowapi.Refs{Org: org, Repo: repo, Pulls: []prowapi.Pull{{Number: n, Author: author}}}},
		Status: prowapi.ProwJobStatus{State: prowapi.PendingState}}
}

func TestFilterMatches(t *testing.T) {
	pj := pull("org", "repo", 7, "alice")
	for _, tc := range []struct {
		name string
		f    jobs.Filter
		want bool
	}{
		{"the empty filter matches all", jobs.Filter{}, true},
		{"same repo", jobs.Filter{Org: "org", Repo: "repo"}, true},
		{"another repo", jobs.Filter{Org: "org", Repo: "other"}, false},
		{"the pull", jobs.Filter{Org: "org", Repo: "repo", Pull: 7}, true},
		{"another pull", jobs.Filter{Pull: 8}, false},
		{"the author", jobs.Filter{Author: "alice"}, true},
		{"another author", jobs.Filter{Author: "bob"}, false},
		{"the type", jobs.Filter{Type: prowapi.PresubmitJob}, true},
		{"another type", jobs.Filter{Type: prowapi.PeriodicJob}, false},
		{"the state", jobs.Filter{States: []prowapi.ProwJobState{prowapi.PendingState}}, true},
		{"other states", jobs.Filter{States: []prowapi.ProwJobState{prowapi.SuccessState}}, false},
		{"incomplete", jobs.Filter{Incomplete: true}, true},
		{"another job", jobs.Filter{Job: "e2e"}, false},
		{"the author in another case", jobs.Filter{Author: "Alice"}, true},
		{"the default cluster", jobs.Filter{Cluster: prowapi.DefaultClusterAlias}, true},
		{"another cluster", jobs.Filter{Cluster: "build-2"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.Matches(pj); got != tc.want {
				t.Errorf("%+v matches = %v, want %v", tc.f, got, tc.want)
			}
		})
	}
}

func TestAbortLeavesFinishedAndOtherPullsAlone(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	mk := func(name string, n int, state prowapi.ProwJobState) {
		pj := pull("org", "repo", n, "alice")
		pj.Name, pj.Status.State = name, state
		if _, err := s.Create(ctx, pj); err != nil {
			t.Fatal(err)
		}
	}
	mk("a", 1, prowapi.PendingState)
	mk("b", 1, prowapi.TriggeredState)
	mk("c", 1, prowapi.SuccessState)
	mk("d", 2, prowapi.PendingState)
	n, err := jobs.Abort(ctx, s, jobs.Filter{Org: "org", Repo: "repo", Pull: 1}, jobs.AbortedByTrigger)
	if err != nil || n != 2 {
		t.Fatalf("Abort = %d, %v; want 2", n, err)
	}
	for name, want := range map[string]prowapi.ProwJobState{"a": prowapi.AbortedState, "b": prowapi.AbortedState, "c": prowapi.SuccessState, "d": prowapi.PendingState} {
		pj, err := s.Get(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if pj.Status.State != want {
			t.Errorf("%s is %s, want %s", name, pj.Status.State, want)
		}
	}
}

func TestMemstoreConflictsAndPages(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := jobs.Builder{Now: func() time.Time { base = base.Add(time.Second); return base }}
	ps := config.Presubmit{JobBase: config.JobBase{Name: "unit"}}
	var names []string
	for range 5 {
		pj, err := s.Create(ctx, b.Presubmit(ps, prowapi.Refs{Org: "o", Repo: "r", BaseRef: "main", Pulls: []prowapi.Pull{{Number: 1}}}, nil))
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, pj.Name)
	}
	var got []string
	page := jobs.Page{Limit: 2}
	for {
		l, err := s.List(ctx, jobs.Filter{}, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, pj := range l.Items {
			got = append(got, pj.Name)
		}
		if l.Continue == "" {
			break
		}
		page.Continue = l.Continue
	}
	if len(got) != 5 || got[0] != names[4] || got[4] != names[0] {
		t.Errorf("pages should list newest first: %v (created %v)", got, names)
	}
	pj, _ := s.Get(ctx, names[0])
	stale := pj.DeepCopy()
	pj.Status.State = prowapi.PendingState
	if _, err := s.Update(ctx, pj); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, stale); !errors.Is(err, jobs.ErrConflict) {
		t.Errorf("a stale update should conflict, got %v", err)
	}
	if _, err := s.Create(ctx, pj); !errors.Is(err, jobs.ErrExists) {
		t.Errorf("a second create should fail, got %v", err)
	}
}

func TestBuilderSetsProwsLabels(t *testing.T) {
	ns := "pods"
	ps := config.Presubmit{JobBase: config.JobBase{Name: "pull-unit", Namespace: &ns, Cluster: "build", MaxConcurrency: 2},
		Optional: true, Reporter: config.Reporter{Context: "ci/unit"}, RerunCommand: "/test pull-unit"}
	pj := jobs.Builder{Namespace: "prow"}.Presubmit(ps, prowapi.Refs{Org: "o", Repo: "r", BaseRef: "main", Pulls: []prowapi.Pull{{Number: 5}}}, map[string]string{prowapi.RetestLabel: "true"})
	want := map[string]string{
		prowapi.CreatedByProw: "true", prowapi.ProwJobTypeLabel: "presubmit", prowapi.ProwJobAnnotation: "pull-unit",
		prowapi.OrgLabel: "o", prowapi.RepoLabel: "r", prowapi.BaseRefLabel: "main", prowapi.PullLabel: "5",
		prowapi.IsOptionalLabel: "true", prowapi.RetestLabel: "true", prowapi.ProwJobIDLabel: pj.Name,
	}
	for k, v := range want {
		if pj.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, pj.Labels[k], v)
		}
	}
	if pj.Annotations[prowapi.ContextAnnotation] != "ci/unit" || pj.Spec.Namespace != "pods" || pj.Namespace != "prow" ||
		pj.Spec.Cluster != "build" || pj.Spec.MaxConcurrency != 2 || !pj.Spec.Report || pj.Status.State != prowapi.TriggeredState {
		t.Errorf("spec or status not from the job: %+v %+v", pj.Spec, pj.Status)
	}
}

func TestMatchJob(t *testing.T) {
	for _, tc := range []struct {
		filter, name string
		want         bool
	}{
		{"pull-hello-unit", "pull-hello-unit", true},
		{"pull-hello", "pull-hello-unit", false},
		{"pull-hello-*", "pull-hello-unit", true},
		{"pull-hello-*", "pull-hello-", true},
		{"pull-hello-*", "pull-bye-unit", false},
		{"*junit*", "pull-junit-report", true},
		{"*junit*", "junit", true},
		{"*junit*", "pull-unit", false},
		{"*-e2e", "ci-e2e", true},
		{"*-e2e", "ci-e2e-gce", false},
		{"pull-*-e2e-*", "pull-hello-e2e-gce", true},
		{"pull-*-e2e-*", "pull-e2e", false},
		{"a*a", "a", false},
		{"a*a", "aa", true},
		{"*", "anything", true},
		{"**", "", true},
		{"pull-?-unit", "pull-x-unit", false},
		{"pull-[ab]*", "pull-[ab]-unit", true},
	} {
		t.Run(tc.filter+" against "+tc.name, func(t *testing.T) {
			if got := jobs.MatchJob(tc.filter, tc.name); got != tc.want {
				t.Errorf("MatchJob(%q, %q) = %v, want %v", tc.filter, tc.name, got, tc.want)
			}
		})
	}
}
