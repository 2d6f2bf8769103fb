//go:build unix

package github

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

// BenchmarkSearchPullRequests1000: one SearchPullRequests over 1,000 open
// pull requests across 50 repositories on the sandbox (labels, a
// milestone-free world, a status on every other head), 10 GraphQL calls.
// "cold" is the first search, when the sandbox computes every pull
// request's mergeability with git; "warm" the searches after it.
// cpu-ms/search is the CPU the process (client and sandbox) spent, which
// other load on the machine does not inflate as it does wall time (git's
// processes are not counted).
func BenchmarkSearchPullRequests1000(b *testing.B) {
	const repos, perRepo = 50, 20
	world := seed.ManyPulls(repos, perRepo)
	_, url := serveSandbox(b, sandbox.Options{Seed: world, RateLimit: 1 << 30})
	reg := prometheus.NewRegistry()
	c := sandboxClient(b, url, "bot-token", ClientOptions{Registerer: reg})
	ctx := context.Background()
	for r := range repos {
		for p := 0; p < perRepo; p += 2 {
			head, err := c.GetRef(ctx, "demo", fmt.Sprintf("r%02d", r), fmt.Sprintf("heads/dev-patch-%d", p+1))
			if err != nil {
				b.Fatal(err)
			}
			if err := c.CreateStatus(ctx, "demo", fmt.Sprintf("r%02d", r), head, Status{Context: "ci", State: "success"}); err != nil {
				b.Fatal(err)
			}
		}
	}
	search := func(b *testing.B) {
		calls0 := graphqlCalls(b, reg)
		cpu0 := cpuTime(b)
		start := time.Now()
		found, err := c.SearchPullRequests(ctx, "org:demo is:open label:lgtm")
		if err != nil {
			b.Fatal(err)
		}
		d, cpu := time.Since(start), cpuTime(b)-cpu0
		if len(found) != repos*perRepo {
			b.Fatalf("found %d pull requests, want %d", len(found), repos*perRepo)
		}
		b.ReportMetric(float64(d.Milliseconds()), "ms/search")
		b.ReportMetric(float64(cpu.Milliseconds()), "cpu-ms/search")
		b.ReportMetric(float64(graphqlCalls(b, reg)-calls0), "calls/search")
	}
	b.Run("cold", func(b *testing.B) {
		for range b.N {
			search(b)
		}
	})
	b.Run("warm", func(b *testing.B) {
		for range b.N {
			search(b)
		}
	})
}

// cpuTime is the user and system CPU the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
