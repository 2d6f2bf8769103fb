package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// The benchmark's fleet: finished jobs over 50 repositories and 300 job
// names, started a second apart.
const (
	fleetSize  = 100_000
	fleetRepos = 50
	fleetJobs  = 300
)

// finished is the i-th job of the fleet, shaped like a decorated
// presubmit.
func finished(i int) *prowapi.ProwJob {
	states := []prowapi.ProwJobState{prowapi.SuccessState, prowapi.SuccessState, prowapi.SuccessState,
		prowapi.FailureState, prowapi.SuccessState, prowapi.AbortedState, prowapi.SuccessState, prowapi.ErrorState}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
	done := metav1.NewTime(start.Add(7 * time.Minute))
	repo := i % fleetRepos
	job := fmt.Sprintf("pull-repo%d-job%d", repo, i%fleetJobs)
	return &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%08x-%d", i*7919, i),
			Labels:      map[string]string{prowapi.ProwJobTypeLabel: "presubmit", prowapi.OrgLabel: "org", prowapi.RepoLabel: fmt.Sprint("repo", repo)},
			Annotations: map[string]string{prowapi.ProwJobAnnotation: job}},
		Spec: prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Agent: prowapi.KubernetesAgent, Job: job, Report: true, Context: job,
			RerunCommand: "/test " + job,
			Refs: &prowapi.Refs{Org: "org", Repo: fmt.Sprint("repo", repo), BaseRef: "main", BaseSHA: "0123456789abcdef0123456789abcdef01234567",
				Pulls: []prowapi.Pull{{Number: i % 5000, Author: fmt.Sprint("user", i%400), SHA: "89abcdef0123456789abcdef0123456789abcdef"}}},
			DecorationConfig: &prowapi.DecorationConfig{Timeout: prowapi.NewDuration(2 * time.Hour),
				UtilityImages:    &prowapi.UtilityImages{CloneRefs: "clonerefs:v1", InitUpload: "initupload:v1", Entrypoint: "entrypoint:v1", Sidecar: "sidecar:v1"},
				GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "logs", PathStrategy: prowapi.PathStrategyExplicit}}},
		Status: prowapi.ProwJobStatus{StartTime: metav1.NewTime(start), PendingTime: &metav1.Time{Time: start.Add(time.Second)},
			CompletionTime: &done, State: states[i%len(states)], Description: "Job finished.", BuildID: fmt.Sprint(1_700_000_000 + i),
			URL: "https://prow.example/view/logs/" + job, PrevReportStates: map[string]prowapi.ProwJobState{"github-reporter": states[i%len(states)]}},
	}
}

// fill imports n jobs of the fleet.
func fill(ctx context.Context, s *Store, n int) error {
	pjs := make([]*prowapi.ProwJob, n)
	for i := range n {
		pjs[i] = finished(i)
	}
	added, err := s.Import(ctx, pjs)
	if err == nil && added != n {
		err = fmt.Errorf("imported %d of %d jobs", added, n)
	}
	return err
}

func BenchmarkListFirstPage100k(b *testing.B) {
	ctx := context.Background()
	s := open(b, filepath.Join(b.TempDir(), "jobs.db"))
	began := time.Now()
	if err := fill(ctx, s, fleetSize); err != nil {
		b.Fatalf("fill: %v", err)
	}
	b.Logf("inserted %d jobs in %s", fleetSize, time.Since(began).Round(time.Millisecond))
	for _, tc := range []struct {
		name  string
		f     jobs.Filter
		limit int
	}{
		{"all/limit=100", jobs.Filter{}, 100},
		{"all/limit=20", jobs.Filter{}, 20},
		{"repo+state/limit=20", jobs.Filter{Org: "org", Repo: "repo7", States: []prowapi.ProwJobState{prowapi.FailureState}}, 20},
		{"repo+state/limit=100", jobs.Filter{Org: "org", Repo: "repo7", States: []prowapi.ProwJobState{prowapi.FailureState}}, 100},
		{"job/limit=20", jobs.Filter{Job: "pull-repo7-job157"}, 20},
		{"pull/limit=20", jobs.Filter{Org: "org", Repo: "repo7", Pull: 4257}, 20},
		{"author/limit=20", jobs.Filter{Author: "user7"}, 20},
		{"incomplete/limit=100", jobs.Filter{Incomplete: true}, 100},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				l, err := s.List(ctx, tc.f, jobs.Page{Limit: tc.limit})
				if err != nil {
					b.Fatal(err)
				}
				if len(l.Items) == 0 && !tc.f.Incomplete {
					b.Fatalf("%+v listed nothing", tc.f)
				}
			}
		})
	}
}

func BenchmarkCreate(b *testing.B) {
	ctx := context.Background()
	s := open(b, filepath.Join(b.TempDir(), "jobs.db"))
	i := 0
	for b.Loop() {
		if _, err := s.Create(ctx, finished(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
}
