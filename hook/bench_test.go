package hook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/hook/journal"
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
	srv, err := NewServer(ServerOptions{Secrets: func() Secrets { return Secrets{"*": {{Value: "bench"}}} }, Journal: j, Handler: handler, Workers: 4, QueueSize: 4096,
		Logger: quietBenchLogger()})
	if err != nil {
		b.Fatal(err)
	}
	srv.Run(context.Background(), nil)
	ts := httptest.NewServer(srv)
	return ts.URL, func() {
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = srv.Stop(ctx)
	}
}

var deliverySeq atomic.Int64

func send(client *http.Client, url string, body []byte, sig string) error {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", fmt.Sprint("bench-", deliverySeq.Add(1)))
	req.Header.Set("X-Hub-Signature-256", sig)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func benchClient() *http.Client {
	// Large write buffers: a 27 KB delivery goes out in one write, as from
	// a sender on another machine, instead of seven 4 KB writes that would
	// be charged to the shared CPU.
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, WriteBufferSize: 64 << 10}}
}

// BenchmarkHookThroughput sends signed 27 KB pull_request deliveries from
// 32 concurrent senders on the same machine and reports deliveries/s.
func BenchmarkHookThroughput(b *testing.B) {
	body := examplePayload(b, "opened_pr.json")
	sig := Sign([]byte("bench"), body)
	url, stop := benchHook(b)
	defer stop()
	client := benchClient()
	b.SetBytes(int64(len(body)))
	b.SetParallelism(16) // 16 x GOMAXPROCS senders
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := send(client, url, body, sig); err != nil {
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
	client := benchClient()
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
			if err := send(client, url, body, sig); err != nil {
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

// quietBenchLogger keeps log lines out of the benchmark's output, which
// make bench parses.
func quietBenchLogger() *logrus.Entry {
	log := logrus.New()
	log.SetOutput(io.Discard)
	return logrus.NewEntry(log)
}
