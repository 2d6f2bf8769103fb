package local

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/contract"
	"github.com/prowbot/prow/jobs/controller"
	"github.com/prowbot/prow/jobs/sqlite"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// queued is how many jobs wait at once in BenchmarkTriggerToStarted.
const queued = 1000

// BenchmarkTriggerToStarted triggers 1,000 jobs at once into the embedded
// mode (SQLite store, controller, local runner) and measures, per job,
// the time from its creation to its process starting.
func BenchmarkTriggerToStarted(b *testing.B) {
	var lat []time.Duration
	var spans []time.Duration
	for range b.N {
		l, span := triggerBatch(b)
		lat = append(lat, l...)
		spans = append(spans, span)
	}
	var total time.Duration
	for _, s := range spans {
		total += s
	}
	b.ReportMetric(float64(len(lat))/total.Seconds(), "jobs/s")
	reportPercentiles(b, lat)
}

// reportPercentiles reports the 50th and 99th percentile of lat.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// triggerBatch runs one batch and returns each job's trigger → process
// started latency and the time from the first trigger to the last start.
func triggerBatch(b *testing.B) ([]time.Duration, time.Duration) {
	b.StopTimer()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := b.TempDir()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "jobs.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = store.Close() }()
	r := newQuietRunner(b, Options{WorkDir: filepath.Join(dir, "runs")})
	c, err := controller.New(controller.Options{Store: store, Runner: r, Config: func() *config.Config { return &config.Config{} },
		Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
	}()

	events, err := store.Watch(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	first := time.Now()
	for i := range queued {
		pj := contractJob(fmt.Sprintf("bench-%04d", i), contract.Succeed, dir, filepath.Join(dir, "bucket"))
		pj.Spec.Type, pj.Spec.Refs = prowapi.PeriodicJob, nil
		pj.Spec.PodSpec.Containers[0].Command = []string{"true"}
		pj.Status.StartTime.Time = time.Now()
		if _, err := store.Create(ctx, pj); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("created %d jobs in %s", queued, time.Since(first))
	finished := map[string]*prowapi.ProwJob{}
	for ev := range events {
		if ev.Type != jobs.Deleted && ev.Job.Complete() {
			finished[ev.Job.Name] = ev.Job
			if len(finished) == queued {
				break
			}
		}
	}
	b.StopTimer()
	defer b.StartTimer()
	var lat, toPending []time.Duration
	var last time.Time
	for _, pj := range finished {
		if pj.Status.State != prowapi.SuccessState {
			b.Fatalf("job %s ended %s: %s", pj.Name, pj.Status.State, pj.Status.Description)
		}
		st, err := r.Status(ctx, pj)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, st.StartedAt.Sub(pj.Status.StartTime.Time))
		toPending = append(toPending, pj.Status.PendingTime.Sub(pj.Status.StartTime.Time))
		if st.StartedAt.After(last) {
			last = st.StartedAt
		}
	}
	slices.Sort(toPending)
	b.Logf("trigger → pending p50 %s p99 %s", toPending[len(toPending)/2], toPending[len(toPending)*99/100])
	return lat, last.Sub(first)
}

// BenchmarkSpawnFloor is the machine's floor for BenchmarkTriggerToStarted:
// the same 1,000 commands started at once by a bare Go process, as many
// at a time as the runner starts, with no store, controller or files.
// Its p99 is the earliest the 990th of 1,000 jobs triggered together can
// start here, whatever the bot does.
func BenchmarkSpawnFloor(b *testing.B) {
	var lat []time.Duration
	var total time.Duration
	width := cap(newStartSlots())
	for range b.N {
		t0 := time.Now()
		var wg sync.WaitGroup
		slots := make(chan struct{}, width)
		starts := make([]time.Duration, queued)
		for i := range queued {
			slots <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command("true")
				err := cmd.Start()
				starts[i] = time.Since(t0)
				<-slots
				if err != nil {
					b.Error(err)
					return
				}
				_ = cmd.Wait()
			}()
		}
		wg.Wait()
		lat = append(lat, starts...)
		total += slices.Max(starts)
	}
	b.ReportMetric(float64(len(lat))/total.Seconds(), "starts/s")
	reportPercentiles(b, lat)
}
