package periodic

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/memstore"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/harness"
)

func load(t *testing.T, yaml string) *config.Config {
	t.Helper()
	return harness.LoadConfig(t, yaml)
}

const periodics = `prowjob_namespace: prow
periodics:
- name: every-hour
  interval: 1h
  spec: {containers: [{image: x}]}
- name: gap-30m
  minimum_interval: 30m
  spec: {containers: [{image: x}]}
- name: nightly
  cron: "0 2 * * *"
  spec: {containers: [{image: x}]}
`

func byName(cfg *config.Config, name string) config.Periodic {
	for _, p := range cfg.Periodics {
		if p.Name == name {
			return p
		}
	}
	panic(name)
}

func TestDue(t *testing.T) {
	cfg := load(t, periodics)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	for _, tc := range []struct {
		name, job string
		last      Last
		lastCheck time.Time
		want      bool
	}{
		{"an interval job that never ran runs", "every-hour", Last{}, now, true},
		{"an interval job runs an interval after its last start", "every-hour", Last{Exists: true, Started: ago(61 * time.Minute), IsComplete: true}, now, true},
		{"not before", "every-hour", Last{Exists: true, Started: ago(59 * time.Minute), IsComplete: true}, now, false},
		{"nor while its last run is going", "every-hour", Last{Exists: true, Started: ago(3 * time.Hour)}, now, false},
		{"a minimum-interval job counts from completion", "gap-30m", Last{Exists: true, Started: ago(2 * time.Hour), Completed: ago(20 * time.Minute), IsComplete: true}, now, false},
		{"and runs once the gap has passed", "gap-30m", Last{Exists: true, Started: ago(2 * time.Hour), Completed: ago(31 * time.Minute), IsComplete: true}, now, true},
		{"a cron job runs when its schedule fired since its last start", "nightly", Last{Exists: true, Started: ago(11 * time.Hour)}, now, true},
		{"not when it did not", "nightly", Last{Exists: true, Started: ago(9 * time.Hour)}, now, false},
		{"a cron job that never ran waits for its tick", "nightly", Last{}, ago(time.Minute), false},
		{"and runs when the tick passed since the last check", "nightly", Last{}, ago(10*time.Hour + time.Minute), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Due(byName(cfg, tc.job), tc.last, now, tc.lastCheck)
			if err != nil || got != tc.want {
				t.Errorf("Due = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestSyncStartsEachDueJobOnceAcrossRestarts(t *testing.T) {
	cfg := load(t, periodics)
	store := memstore.New()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s := &Scheduler{Store: store, Config: func() *config.Config { return cfg }, Now: clock}
	ctx := context.Background()
	if n, err := s.Sync(ctx); err != nil || n != 2 {
		t.Fatalf("first sync started %d (%v); want the two interval jobs", n, err)
	}
	// A restarted scheduler sees the runs in the store.
	restarted := &Scheduler{Store: store, Config: func() *config.Config { return cfg }, Now: clock}
	if n, err := restarted.Sync(ctx); err != nil || n != 0 {
		t.Fatalf("a restart started %d (%v); want 0", n, err)
	}
	list, _ := store.List(ctx, jobs.Filter{Job: "every-hour"}, jobs.Page{})
	pj := list.Items[0]
	done := metav1.NewTime(now.Add(time.Minute))
	pj.Status.State, pj.Status.CompletionTime = prowapi.SuccessState, &done
	if _, err := store.Update(ctx, &pj); err != nil {
		t.Fatal(err)
	}
	now = now.Add(61 * time.Minute)
	if n, err := restarted.Sync(ctx); err != nil || n != 1 {
		t.Fatalf("an hour later %d started (%v); want every-hour again", n, err)
	}
	list, _ = store.List(ctx, jobs.Filter{Type: prowapi.PeriodicJob}, jobs.Page{})
	if len(list.Items) != 3 || list.Items[0].Spec.Job != "every-hour" || list.Items[0].Status.State != prowapi.TriggeredState {
		t.Fatalf("runs: %d, newest %s", len(list.Items), list.Items[0].Spec.Job)
	}
}
