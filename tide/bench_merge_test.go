package tide_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/prowbot/prow/test/seed"
)

// BenchmarkGreenToMerge: tide running with sync_period 1s over 5
// repositories of 4 ready pull requests each; one by one, at a random
// moment of the sync cycle, a pull request's last required context turns
// green, and the time until GitHub shows it merged is taken. Prints the
// p50, p99 and worst of the 20 latencies.
func BenchmarkGreenToMerge(b *testing.B) {
	const repos, perRepo = 5, 4
	world := seed.ManyPulls(repos, perRepo)
	type target struct {
		repo string
		n    int
	}
	var order []target
	for i, p := range world.Pulls {
		world.Pulls[i].Labels = []string{"lgtm", "approved"}
		order = append(order, target{p.Repo, p.Number})
	}
	cfg := "tide:\n  sync_period: 1s\n  queries:\n  - orgs: [demo]\n    labels: [lgtm, approved]\n  context_options:\n    required-contexts: [ci]\n"
	for range b.N {
		w := newSeededWorld(b, world, cfg)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = w.ctrl.Run(ctx) }()
		rng := rand.New(rand.NewPCG(1, 2))
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var took []time.Duration
		for _, t := range order {
			time.Sleep(time.Duration(rng.IntN(1000)) * time.Millisecond)
			w.setStatus(t.repo, t.n, "ci", "success", "passed")
			start := time.Now()
			poll := time.NewTicker(10 * time.Millisecond)
			giveUp := time.NewTimer(30 * time.Second)
			for !w.merged(t.repo, t.n) {
				select {
				case <-poll.C:
				case <-giveUp.C:
					b.Fatalf("%s#%d not merged 30 s after its context turned green; tide says %q", t.repo, t.n, w.tideStatus(t.repo, t.n))
				}
			}
			took = append(took, time.Since(start))
			poll.Stop()
			giveUp.Stop()
		}
		cancel()
		<-done
		slices.Sort(took)
		pct := func(p float64) float64 {
			return float64(took[min(len(took)-1, int(p*float64(len(took))))].Milliseconds())
		}
		b.ReportMetric(pct(0.5), "ms-p50")
		b.ReportMetric(pct(0.99), "ms-p99")
		b.ReportMetric(float64(took[len(took)-1].Milliseconds()), "ms-max")
	}
}
