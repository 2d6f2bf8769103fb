package kube

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/controller"
	"github.com/prowbot/prow/jobs/kube/pods"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/kubeenv"
	"github.com/prowbot/prow/test/testlog"
)

// BenchmarkTriggerToPod measures cluster mode from a triggered ProwJob
// to its pod against the real API server (with a kwok node), the
// controller running over the ProwJob store and the pod runner:
//
//   - burst: 1,000 jobs are triggered at once (from eight goroutines)
//     while the controller runs. It reports pods made per second (first
//     trigger to last pod), the rate of the triggers themselves, and the
//     50th and 99th percentiles of the time from a job's creation to the
//     API server's acceptance of its pod.
//   - backlog: 1,000 jobs are queued before the controller starts. It
//     reports pods made per second from the controller's start to the
//     last pod: the rate at which a backlog drains.
func BenchmarkTriggerToPod(b *testing.B) {
	const jobCount, triggers = 1000, 8
	env := testenv.Env(b)
	b.Run("burst", func(b *testing.B) {
		var latencies []time.Duration
		var busy, triggering time.Duration
		for range b.N {
			b.StopTimer()
			r := newTriggerRun(b, env, jobCount)
			r.start(b)
			b.StartTimer()
			trig := r.trigger(b, jobCount, triggers)
			lat, last := r.await(b, jobCount)
			b.StopTimer()
			latencies = append(latencies, lat...)
			busy += last.Sub(r.first)
			triggering += trig
			r.stop()
		}
		slices.Sort(latencies)
		p := func(q float64) float64 {
			return float64(latencies[int(q*float64(len(latencies)-1))]) / float64(time.Millisecond)
		}
		b.ReportMetric(float64(len(latencies))/busy.Seconds(), "pods/s")
		b.ReportMetric(float64(len(latencies))/triggering.Seconds(), "triggers/s")
		b.ReportMetric(p(0.99), "p99-ms")
		b.ReportMetric(p(0.50), "p50-ms")
	})
	b.Run("backlog", func(b *testing.B) {
		var made int
		var busy time.Duration
		for range b.N {
			b.StopTimer()
			r := newTriggerRun(b, env, jobCount)
			r.trigger(b, jobCount, triggers)
			b.StartTimer()
			started := time.Now()
			r.start(b)
			lat, last := r.await(b, jobCount)
			b.StopTimer()
			made += len(lat)
			busy += last.Sub(started)
			r.stop()
		}
		b.ReportMetric(float64(made)/busy.Seconds(), "pods/s")
	})
}

// triggerRun is cluster mode in a fresh namespace.
type triggerRun struct {
	ns     string
	env    *kubeenv.Env
	store  *Store
	runner *timedRunner
	ctl    *controller.Controller
	cancel context.CancelFunc
	done   chan struct{}
	// first is when the first job was triggered; triggered when each was.
	first     time.Time
	triggered map[string]time.Time
}

func newTriggerRun(b *testing.B, env *kubeenv.Env, jobCount int) *triggerRun {
	ns := namespace(b, env)
	store := openStore(b, env, ns)
	cfg := &config.Config{}
	getter := func() *config.Config { return cfg }
	runner := &timedRunner{Runner: openRunner(b, env, ns, store, pods.Options{Config: getter}), made: make(chan madePod, jobCount)}
	// Workers as Prow's plank.max_goroutines default (20).
	ctl, err := controller.New(controller.Options{Store: store, Runner: runner, Config: getter, Logger: testlog.Discard(), Workers: 20})
	if err != nil {
		b.Fatal(err)
	}
	return &triggerRun{ns: ns, env: env, store: store, runner: runner, ctl: ctl, done: make(chan struct{})}
}

// start runs the controller until stop.
func (r *triggerRun) start(b *testing.B) {
	var ctx context.Context
	ctx, r.cancel = context.WithCancel(context.Background())
	go func() {
		defer close(r.done)
		if err := r.ctl.Run(ctx); err != nil {
			b.Errorf("controller: %v", err)
		}
	}()
}

// timedRunner notes when each job's pod was first made.
type timedRunner struct {
	jobs.Runner
	seen sync.Map
	made chan madePod
}

type madePod struct {
	name string
	at   time.Time
}

func (r *timedRunner) Start(ctx context.Context, pj *prowapi.ProwJob) error {
	err := r.Runner.Start(ctx, pj)
	if err == nil {
		if _, again := r.seen.LoadOrStore(pj.Name, true); !again {
			r.made <- madePod{pj.Name, time.Now()}
		}
	}
	return err
}

// trigger creates n jobs from workers goroutines and returns the time
// it took.
func (r *triggerRun) trigger(b *testing.B, n, workers int) time.Duration {
	var mu sync.Mutex
	r.triggered = make(map[string]time.Time, n)
	var wg sync.WaitGroup
	r.first = time.Now()
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				// Real jobs run for minutes: the pods keep running while
				// the burst is handled.
				pj := kwokJob(fmt.Sprintf("bench-%04d", i), r.ns, kubeenv.OutcomeHang, i+1)
				pj.Spec.Job = "bench"
				now := time.Now()
				pj.Status.StartTime = metav1.NewTime(now)
				mu.Lock()
				r.triggered[pj.Name] = now
				mu.Unlock()
				if _, err := r.store.Create(context.Background(), pj); err != nil {
					b.Errorf("trigger %s: %v", pj.Name, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	return time.Since(r.first)
}

// await waits until n jobs have their pods and returns each job's
// trigger-to-pod time and when the last pod was made.
func (r *triggerRun) await(b *testing.B, n int) (lat []time.Duration, last time.Time) {
	// Bounded: a run that cannot make its pods in three minutes fails.
	guard := time.NewTimer(3 * time.Minute)
	defer guard.Stop()
	for range n {
		select {
		case m := <-r.runner.made:
			lat = append(lat, m.at.Sub(r.triggered[m.name]))
			last = m.at
		case <-guard.C:
			b.Fatalf("%d of %d pods made in three minutes", len(lat), n)
		}
	}
	return lat, last
}

// stop ends the controller and removes the run's pods.
func (r *triggerRun) stop() {
	r.cancel()
	<-r.done
	_ = r.env.Client.CoreV1().Pods(r.ns).DeleteCollection(context.Background(), metav1.DeleteOptions{}, metav1.ListOptions{LabelSelector: prowapi.CreatedByProw + "=true"})
}
