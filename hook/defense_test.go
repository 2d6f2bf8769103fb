package hook

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/prowbot/prow/hook/journal"
	"github.com/prowbot/prow/test/testlog"
)

// The defenses against clients that do not play fair. None of them needs
// the HMAC secret, so each holds before any check of the delivery.

// startDefendedHook serves a hook with the given body timeout on a real
// listener behind limits, and returns its address.
func startDefendedHook(t *testing.T, bodyTimeout time.Duration, limits Limits, reg *prometheus.Registry) (string, *journal.Journal) {
	t.Helper()
	j, _, err := journal.Open(journal.Options{Dir: t.TempDir(), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	var metrics *Metrics
	if reg != nil {
		metrics = NewMetrics(reg)
	}
	srv, err := NewServer(ServerOptions{Secrets: func() Secrets { return Secrets{"*": {{Value: "s"}}} }, Journal: j,
		Handler: func(context.Context, journal.Record) {}, BodyTimeout: bodyTimeout, Metrics: metrics, Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	srv.Run(context.Background())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/hook", srv)
	if reg != nil {
		mux.Handle("/metrics", Mux("/hook", srv, &fakeDispatcher{}, reg))
	}
	hs := &http.Server{Handler: mux}
	go func() { _ = hs.Serve(limits.Apply(hs, ln)) }()
	t.Cleanup(func() {
		_ = hs.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Stop(ctx)
	})
	return ln.Addr().String(), j
}

// rawRequest writes a delivery's request line and headers, announcing
// length body bytes, and the first bytes of its body.
func rawRequest(t *testing.T, conn net.Conn, event string, length int, first []byte) {
	t.Helper()
	head := fmt.Sprintf("POST /hook HTTP/1.1\r\nHost: hook\r\nContent-Type: application/json\r\nX-GitHub-Event: %s\r\n"+
		"X-GitHub-Delivery: d-%p\r\nX-Hub-Signature-256: %s\r\nContent-Length: %d\r\n\r\n", event, conn, Sign([]byte("s"), first), length)
	if _, err := conn.Write(append([]byte(head), first...)); err != nil {
		t.Fatal(err)
	}
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// statusOf reads the status code of the response on conn.
func statusOf(t *testing.T, conn net.Conn) int {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestAnAnnouncedLengthIsNotAllocatedBeforeTheBytesArrive: 40 clients
// announce 20 MB each and send 1 KB; the hook must not hold 800 MB for
// bytes that never come.
func TestAnAnnouncedLengthIsNotAllocatedBeforeTheBytesArrive(t *testing.T) {
	addr, _ := startDefendedHook(t, 3*time.Second, Limits{}, nil)
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 40 {
		rawRequest(t, dial(t, addr), "push", 20<<20, []byte(strings.Repeat("x", 1024)))
	}
	// Sample the heap while the 40 requests wait for their bodies: an
	// allocation up front would show at once.
	var peak uint64
	var m runtime.MemStats
	sample := time.NewTicker(10 * time.Millisecond)
	defer sample.Stop()
	deadline := time.NewTimer(time.Second)
	defer deadline.Stop()
	for sampling := true; sampling; {
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapAlloc)
		select {
		case <-sample.C:
		case <-deadline.C:
			sampling = false
		}
	}
	if grown := int64(peak) - int64(before.HeapAlloc); grown > 100<<20 {
		t.Errorf("the heap grew by %d MiB for 40 requests that sent 1 KiB each", grown>>20)
	}
}

// TestABodyThatTricklesInTimesOut: a request whose body stops arriving
// is answered (Prow's 500 for a body that cannot be read) once the body
// timeout passes, and nothing is journaled.
func TestABodyThatTricklesInTimesOut(t *testing.T) {
	addr, j := startDefendedHook(t, 300*time.Millisecond, Limits{}, nil)
	conn := dial(t, addr)
	rawRequest(t, conn, "push", 100, []byte(`{"repos`))
	if code := statusOf(t, conn); code != http.StatusInternalServerError {
		t.Errorf("a body that never arrives got %d, want 500", code)
	}
	if pending, _, _ := j.Backlog(); pending != 0 {
		t.Errorf("%d deliveries journaled from a body that never arrived", pending)
	}
}

// TestANonUTF8EventTypeIsCountedWithoutPanic: the event header is the
// sender's; a label that is not UTF-8 must not crash the metrics.
func TestANonUTF8EventTypeIsCountedWithoutPanic(t *testing.T) {
	reg := prometheus.NewRegistry()
	addr, _ := startDefendedHook(t, time.Second, Limits{}, reg)
	conn := dial(t, addr)
	body := []byte(`{"repository":{"full_name":"o/r"}}`)
	rawRequest(t, conn, "push\xff\xfe", len(body), body)
	if code := statusOf(t, conn); code != http.StatusOK {
		t.Errorf("a signed delivery with a non-UTF-8 event type got %d, want 200 as Prow answers", code)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("metrics cannot be gathered: %v", err)
	}
	found := false
	for _, f := range families {
		if f.GetName() == "prow_webhook_counter" {
			for _, m := range f.GetMetric() {
				found = found || strings.HasPrefix(m.GetLabel()[0].GetValue(), "push")
			}
		}
	}
	if !found {
		t.Error("the delivery was not counted in prow_webhook_counter")
	}
}

// TestConnectionsPastTheCapWait: with a cap of 2, two connections that
// send nothing hold the server; a third is served only once one closes.
func TestConnectionsPastTheCapWait(t *testing.T) {
	addr, _ := startDefendedHook(t, time.Second, Limits{MaxConnections: 2, HeaderTimeout: time.Minute}, nil)
	silent := []net.Conn{dial(t, addr), dial(t, addr)}
	client := &http.Client{Timeout: 300 * time.Millisecond}
	if resp, err := client.Get("http://" + addr + "/hook"); err == nil {
		resp.Body.Close()
		t.Fatalf("a third connection was served (%d) while two held the cap", resp.StatusCode)
	}
	silent[0].Close()
	client.Timeout = 10 * time.Second
	resp, err := client.Get("http://" + addr + "/hook")
	if err != nil {
		t.Fatalf("once a connection closed, the waiting one was not served: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /hook = %d, want 405", resp.StatusCode)
	}
}

// TestSilentAndIdleConnectionsAreClosed: a connection that never sends
// its headers, and a keep-alive connection left idle, are closed by the
// server.
func TestSilentAndIdleConnectionsAreClosed(t *testing.T) {
	addr, _ := startDefendedHook(t, time.Second, Limits{HeaderTimeout: 200 * time.Millisecond, IdleTimeout: 200 * time.Millisecond}, nil)
	closedByServer := func(conn net.Conn, what string) {
		t.Helper()
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.Copy(io.Discard, conn); err != nil {
			t.Errorf("%s: not closed by the server: %v", what, err)
		}
	}
	closedByServer(dial(t, addr), "a connection that sends nothing")

	conn := dial(t, addr)
	body := []byte(`{"repository":{"full_name":"o/r"}}`)
	rawRequest(t, conn, "push", len(body), body)
	r := bufio.NewReader(conn)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if _, err := io.Copy(io.Discard, r); err != nil {
		t.Errorf("an idle keep-alive connection was not closed by the server: %v", err)
	}
}
