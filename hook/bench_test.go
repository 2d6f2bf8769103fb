package hook

import (
	"context"
	"net/http/httptest"
	"os"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prowbot/prow/hook/journal"
	"github.com/prowbot/prow/test/testlog"
)

// benchHook starts a real HTTP server with the durable journal (fsync on)
// and a handler that decodes every delivery.
func benchHook(b *testing.B) (string, func()) {
	b.Helper()
	j, _, err := journal.Open(journal.Options{Dir: b.TempDir(), NoSync: os.Getenv("BENCH_NOSYNC") != ""})
	if err != nil {
		b.Fatal(err)
	}
	handler := func(_ context.Context, rec journal.Record) {
		if _, _, _, err := Decode(rec.Event, rec.ID, rec.Body); err != nil {
			b.Error(err)
		}
	}
	srv, err := NewServer(ServerOptions{Secrets: func() Secrets { return Secrets{"*": {{Value: "bench"}}} }, Journal: j, Handler: handler, Workers: 4,
		Logger: testlog.Discard()}) // make bench parses the output: no log lines
	if err != nil {
		b.Fatal(err)
	}
	srv.Run(context.Background())
	ts := httptest.NewServer(srv)
	return ts.URL, func() {
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = srv.Stop(ctx)
	}
}

var deliverySeq atomic.Int64

// BenchmarkHookThroughput sends signed 27 KB pull_request deliveries from
// 64 concurrent senders on the same machine and reports deliveries/s: the
// hook's capacity, so enough deliveries are in flight to keep it busy
// while each group of them is synced (with 32, the hook waits on the disk
// with a quarter of its CPU idle). The senders are lean HTTP/1.1 clients,
// one keep-alive connection each, as a load generator such as wrk is: the
// machine's two cores are shared with them, and GitHub's senders are
// elsewhere.
func BenchmarkHookThroughput(b *testing.B) {
	body := examplePayload(b, "opened_pr.json")
	sig := Sign([]byte("bench"), body)
	url, stop := benchHook(b)
	defer stop()
	b.SetBytes(int64(len(body)))
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0))) // 64 senders
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		s, err := dialSender(url)
		if err != nil {
			b.Error(err)
			return
		}
		defer s.close()
		for pb.Next() {
			if err := s.send(body, sig); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "deliveries/s")
}

// BenchmarkHookLatencyAt1000PerSecond paces deliveries at 1,000/s and
// reports the 50th and 99th percentile acknowledgement latency.
func BenchmarkHookLatencyAt1000PerSecond(b *testing.B) {
	body := examplePayload(b, "opened_pr.json")
	sig := Sign([]byte("bench"), body)
	syscall.Sync() // let the previous benchmark's writes reach the disk first
	url, stop := benchHook(b)
	defer stop()
	senders := newSenderPool(url)
	defer senders.close()
	const rate = 1000
	n := b.N
	if n < 2000 {
		n = 2000 // two seconds of traffic at least, for a meaningful p99
	}
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / rate)
	defer tick.Stop()
	b.ResetTimer()
	for i := 0; i < n; i++ {
		<-tick.C
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			t0 := time.Now()
			if err := senders.send(body, sig); err != nil {
				b.Error(err)
			}
			lat[i] = time.Since(t0)
		}(i)
	}
	wg.Wait()
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[n/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[n*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkDecodePullRequest decodes a 27 KB pull_request delivery into
// the plugins' events: the part of the intake that the payload model
// decides.
func BenchmarkDecodePullRequest(b *testing.B) {
	body := examplePayload(b, "opened_pr.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := Decode("pull_request", "guid", body); err != nil {
			b.Fatal(err)
		}
	}
}
