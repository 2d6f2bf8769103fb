package sinker

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/memstore"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func TestSyncDeletesOldFinishedJobsButKeepsEachPeriodicsLatest(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	store := memstore.New()
	ctx := context.Background()
	add := func(name, job string, typ prowapi.ProwJobType, startedAgo time.Duration, completedAgo *time.Duration) {
		pj := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{Type: typ, Job: job}, Status: prowapi.ProwJobStatus{State: prowapi.PendingState, StartTime: metav1.NewTime(now.Add(-startedAgo))}}
		pj.Name = name
		if completedAgo != nil {
			c := metav1.NewTime(now.Add(-*completedAgo))
			pj.Status.CompletionTime, pj.Status.State = &c, prowapi.SuccessState
		}
		if _, err := store.Create(ctx, pj); err != nil {
			t.Fatal(err)
		}
	}
	d := func(h int) *time.Duration { x := time.Duration(h) * time.Hour; return &x }
	add("old-presubmit", "unit", prowapi.PresubmitJob, 50*time.Hour, d(49))
	add("recent-presubmit", "unit", prowapi.PresubmitJob, 2*time.Hour, d(1))
	add("old-running", "e2e", prowapi.PresubmitJob, 60*time.Hour, nil)
	add("periodic-older", "nightly", prowapi.PeriodicJob, 80*time.Hour, d(79))
	add("periodic-latest", "nightly", prowapi.PeriodicJob, 70*time.Hour, d(69))
	cfg := &config.Config{}
	cfg.Sinker.MaxProwJobAge = &metav1.Duration{Duration: 48 * time.Hour}
	s := &Sinker{Store: store, Config: func() *config.Config { return cfg }, Now: func() time.Time { return now }}
	n, err := s.Sync(ctx)
	if err != nil || n != 2 {
		t.Fatalf("Sync deleted %d (%v); want 2", n, err)
	}
	list, _ := store.List(ctx, jobs.Filter{}, jobs.Page{})
	var left []string
	for _, pj := range list.Items {
		left = append(left, pj.Name)
	}
	sort.Strings(left)
	if got := strings.Join(left, ","); got != "old-running,periodic-latest,recent-presubmit" {
		t.Errorf("left %s", got)
	}
}
