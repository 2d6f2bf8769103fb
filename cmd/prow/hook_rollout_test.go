package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prowbot/prow/hook"
	"github.com/prowbot/prow/test/wait"
)

// replicaSet is hook replicas behind a load balancer that, as a
// Kubernetes Service does, sends each delivery to one ready replica (by
// /healthz/ready, polled as the endpoints controller would) on a new
// connection, and never retries.
type replicaSet struct {
	t     *testing.T
	bin   string
	ports []int
	args  func(i int) []string

	mu    sync.Mutex
	procs []*hookProcess
	ready []bool
	next  int

	lb *httptest.Server
}

func newReplicaSet(t *testing.T, ctx context.Context, bin string, n int, args func(i, port int) []string) *replicaSet {
	t.Helper()
	rs := &replicaSet{t: t, bin: bin, procs: make([]*hookProcess, n), ready: make([]bool, n)}
	for range n {
		rs.ports = append(rs.ports, freePort(t))
	}
	rs.args = func(i int) []string { return args(i, rs.ports[i]) }
	for i := range n {
		rs.start(ctx, i)
	}
	go rs.watchReadiness(ctx)
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			port := rs.pick()
			r.Out.URL.Scheme, r.Out.URL.Host = "http", fmt.Sprintf("127.0.0.1:%d", port)
		},
		Transport: &http.Transport{DisableKeepAlives: true},
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
			http.Error(w, "no replica answered: "+err.Error(), http.StatusBadGateway)
		},
	}
	rs.lb = httptest.NewServer(proxy)
	t.Cleanup(rs.lb.Close)
	return rs
}

func (rs *replicaSet) start(ctx context.Context, i int) {
	p := startHook(rs.t, ctx, rs.bin, rs.args(i)...)
	rs.mu.Lock()
	rs.procs[i] = p
	rs.mu.Unlock()
}

// pick is the next ready replica's port, round robin (a replica's port
// when none is ready: the request then fails, as it would on a Service).
func (rs *replicaSet) pick() int {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for range rs.ports {
		i := rs.next % len(rs.ports)
		rs.next++
		if rs.ready[i] {
			return rs.ports[i]
		}
	}
	return rs.ports[0]
}

func (rs *replicaSet) watchReadiness(ctx context.Context) {
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		for i, port := range rs.ports {
			ok := false
			if resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/healthz/ready", port)); err == nil {
				ok = resp.StatusCode == http.StatusOK
				resp.Body.Close()
			}
			rs.mu.Lock()
			rs.ready[i] = ok
			rs.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// roll deletes each replica in turn (SIGTERM, as a rollout does), waits
// for it to exit and starts it again on its own journal, waiting for it
// to be ready before the next.
func (rs *replicaSet) roll(ctx context.Context) {
	for i := range rs.ports {
		rs.mu.Lock()
		p := rs.procs[i]
		rs.mu.Unlock()
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			rs.t.Fatal(err)
		}
		if err := p.cmd.Wait(); err != nil {
			rs.t.Errorf("replica %d did not stop cleanly: %v", i, err)
		}
		rs.start(ctx, i)
		wait.For(rs.t, 30*time.Second, fmt.Sprintf("replica %d to be ready again", i), func() bool {
			rs.mu.Lock()
			defer rs.mu.Unlock()
			return rs.ready[i]
		})
	}
}

// recorder is an external plugin counting the deliveries hook forwards.
type recorder struct {
	mu   sync.Mutex
	seen map[string]int
}

func (r *recorder) ServeHTTP(_ http.ResponseWriter, req *http.Request) {
	_, _ = io.Copy(io.Discard, req.Body)
	r.mu.Lock()
	r.seen[req.Header.Get("X-GitHub-Delivery")]++
	r.mu.Unlock()
}

func (r *recorder) count(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[id]
}

// TestHookRolloutLosesNoDelivery runs three hook replicas behind a load
// balancer under a steady 500 deliveries a second and replaces them one
// at a time: every delivery is acknowledged and handled exactly once.
// Then deliveries GitHub sends again (a retry, a manual redelivery) reach
// the other replicas, which handle them without repeating their effects.
func TestHookRolloutLosesNoDelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three hooks under load")
	}
	bin := buildProw(t)
	w := newHookWorld(t)
	rec := &recorder{seen: map[string]int{}}
	plugin := httptest.NewServer(rec)
	t.Cleanup(plugin.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	plugins := fmt.Sprintf("plugins:\n  demo:\n    plugins: [lgtm]\nexternal_plugins:\n"+
		"  demo: [{name: recorder, endpoint: %q, events: [issue_comment]}]\n"+
		"  bulk: [{name: recorder, endpoint: %q, events: [issue_comment]}]\n", plugin.URL, plugin.URL)
	rs := newReplicaSet(t, ctx, bin, 3, func(i, port int) []string {
		args := w.args(w.gh.URL, port, 8)
		for j := range args {
			if args[j] == "--journal-dir" { // each replica its own volume
				args[j+1] = filepath.Join(w.dir, fmt.Sprintf("journal-%d", i))
			}
		}
		pluginsPath := filepath.Join(w.dir, "plugins-rollout.yaml")
		if err := os.WriteFile(pluginsPath, []byte(plugins), 0o600); err != nil {
			t.Fatal(err)
		}
		for j := range args {
			if args[j] == "--plugin-config" {
				args[j+1] = pluginsPath
			}
		}
		return append(args, "--shutdown-delay", "1s", "--grace-period", "30s", "--replicated")
	})
	wait.For(t, 30*time.Second, "every replica to be ready", func() bool {
		rs.mu.Lock()
		defer rs.mu.Unlock()
		return rs.ready[0] && rs.ready[1] && rs.ready[2]
	})

	// A steady 500 deliveries a second through the load balancer while
	// the replicas are replaced.
	var sent, failed atomic.Int64
	var failures sync.Map
	stopSending := make(chan struct{})
	var senders sync.WaitGroup
	senders.Add(1)
	go func() {
		defer senders.Done()
		client := &http.Client{Timeout: 20 * time.Second}
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-stopSending:
				return
			case <-tick.C:
			}
			senders.Add(1)
			sent.Add(1)
			go func() {
				defer senders.Done()
				id := fmt.Sprintf("bulk-%06d", i)
				code, err := w.post(ctx, client, rs.lb.URL+"/hook", id, bulkDelivery(i))
				if err != nil || code != http.StatusOK {
					failed.Add(1)
					failures.Store(id, fmt.Sprint(code, err))
				}
			}()
		}
	}()
	rs.roll(ctx)
	close(stopSending)
	senders.Wait()

	n := int(sent.Load())
	if f := failed.Load(); f > 0 {
		var some []string
		failures.Range(func(k, v any) bool { some = append(some, fmt.Sprint(k, ": ", v)); return len(some) < 5 })
		t.Errorf("%d of %d deliveries were not acknowledged during the rollout, e.g. %s", f, n, strings.Join(some, "; "))
	}
	wait.For(t, time.Minute, "every acknowledged delivery to be handled", func() bool {
		for i := range n {
			if rec.count(fmt.Sprintf("bulk-%06d", i)) == 0 {
				return false
			}
		}
		return true
	})
	twice := 0
	for i := range n {
		if rec.count(fmt.Sprintf("bulk-%06d", i)) > 1 {
			twice++
		}
	}
	if twice > 0 {
		t.Errorf("%d of %d deliveries were handled more than once", twice, n)
	}
	t.Logf("rollout of 3 replicas under 500 deliveries/s: %d sent, %d not acknowledged, %d handled twice", n, failed.Load(), twice)

	// GitHub delivers again (a retry after a timeout, a redelivery from
	// the settings page): each replica gets the same delivery; its
	// effect (lgtm's one reply) happens once.
	const redelivered = 5
	for i := range redelivered {
		id := fmt.Sprintf("delivery-%04d", i)
		for r, port := range rs.ports {
			metrics := fmt.Sprintf("http://127.0.0.1:%d/metrics", port)
			handled := metricSum(t, metrics, "prow_plugin_handle_duration_seconds_count")
			code, err := w.post(ctx, http.DefaultClient, fmt.Sprintf("http://127.0.0.1:%d/hook", port), id, commentDelivery(t, i))
			if err != nil || code != http.StatusOK {
				t.Fatalf("replica %d did not take delivery %s: %d %v", r, id, code, err)
			}
			wait.For(t, 30*time.Second, fmt.Sprintf("replica %d to handle %s", r, id), func() bool {
				return metricSum(t, metrics, "prow_plugin_handle_duration_seconds_count") > handled
			})
			if n := repliesByDelivery(t, w.gh.URL)[id]; n != 1 {
				t.Errorf("delivery %s, handled by %d replicas, left %d replies; want 1", id, r+1, n)
			}
		}
	}
}

// metricSum adds up every series of a metric on a Prometheus text
// endpoint (0 when it has none yet).
func metricSum(t *testing.T, url, name string) float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sum := 0.0
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+" ") && !strings.HasPrefix(line, name+"{") {
			continue
		}
		v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		if err != nil {
			t.Fatal(err)
		}
		sum += v
	}
	return sum
}

// post sends one signed issue_comment delivery to url.
func (w *hookWorld) post(ctx context.Context, client *http.Client, url, id string, payload []byte) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(string(payload)))
	req.Header.Set("X-GitHub-Event", "issue_comment")
	req.Header.Set("X-GitHub-Delivery", id)
	req.Header.Set("X-Hub-Signature-256", hook.Sign(w.secret, payload))
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// bulkDelivery is a comment on bulk/x, where no in-process plugin runs:
// only the external recorder sees it.
func bulkDelivery(i int) []byte {
	return []byte(fmt.Sprintf(`{"action":"created","issue":{"number":1,"title":"t","state":"open","user":{"login":"a","id":2,"type":"User"},"labels":[]},`+
		`"comment":{"id":%d,"body":"just a comment","user":{"login":"a","id":2,"type":"User"}},`+
		`"repository":{"id":9,"name":"x","full_name":"bulk/x","owner":{"login":"bulk","id":8,"type":"Organization"}},"sender":{"login":"a","id":2,"type":"User"}}`, i))
}
