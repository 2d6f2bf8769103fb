package tide_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/prowbot/prow/test/seed"
)

// BenchmarkSync1000PRs: one sync of 1,000 open pull requests across 50
// repositories on the sandbox (one org query; 500 carry the labels):
// wall time and the bot's GitHub calls, for the first sync of the pools
// (everything read), the status loop's writing of the 1,000 tide statuses
// it decided, and a steady round with nothing new. cpu-ms/sync is the CPU
// the process (tide, its client and the sandbox) spent: on a loaded
// machine, wall time says little, CPU time still does.
func BenchmarkSync1000PRs(b *testing.B) {
	const repos, perRepo = 50, 20
	world := seed.ManyPulls(repos, perRepo)
	cfg := "tide:\n  queries:\n  - orgs: [demo]\n    labels: [lgtm, approved]\n  context_options:\n    required-contexts: [ci]\n"
	w := newSeededWorld(b, world, cfg)
	measure := func(b *testing.B, step func(context.Context) error) {
		calls0, charged0 := w.callCounts()
		start, cpu0 := time.Now(), cpuTime(b)
		if err := step(context.Background()); err != nil {
			b.Fatal(err)
		}
		d, cpu := time.Since(start), cpuTime(b)-cpu0
		calls1, charged1 := w.callCounts()
		b.ReportMetric(float64(d.Milliseconds()), "ms/sync")
		b.ReportMetric(float64(cpu.Milliseconds()), "cpu-ms/sync")
		b.ReportMetric(float64(calls1-calls0), "calls/sync")
		b.ReportMetric(float64(charged1-charged0), "charged/sync")
	}
	reportAll := func(ctx context.Context) error { w.ctrl.ReportStatuses(ctx); return nil }
	// first: the pools' first sync (search, decide, act); statuses: the
	// 1,000 tide statuses it decided, written by the status loop.
	b.Run("first", func(b *testing.B) {
		for range b.N {
			measure(b, w.ctrl.SyncPools)
		}
	})
	b.Run("statuses", func(b *testing.B) {
		for range b.N {
			measure(b, reportAll)
		}
	})
	// steady: a whole round (sync and statuses) with nothing new, after
	// one round that reads back the statuses written.
	if err := w.ctrl.Sync(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Run("steady", func(b *testing.B) {
		for range b.N {
			measure(b, w.ctrl.Sync)
		}
	})
}

// cpuTime is the user and system CPU the process has used.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
