package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// jobWatch follows the ProwJobs through a watch on their API server:
// when each job of the current burst was created and first seen pending.
type jobWatch struct {
	mu      sync.Mutex
	changed chan struct{}
	// createdAt holds the jobs of the current burst, by name.
	createdAt map[string]time.Time
	pendingAt map[string]time.Time
	recorded  map[string]bool
	// failed is the first job of the burst seen in another state than
	// triggered or pending.
	failed string
}

// watchJobs starts a watch of the ProwJobs that resumes where it broke
// off, so that no change is missed, until the benchmark ends.
func (w *scaleWorld) watchJobs(b *testing.B) *jobWatch {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	list := &prowapi.ProwJobList{}
	if err := w.client.List(ctx, list, client.InNamespace(prowJobNS)); err != nil {
		b.Fatal(err)
	}
	rw, err := watchtools.NewRetryWatcherWithContext(ctx, list.ResourceVersion, &cache.ListWatch{
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			return w.client.Watch(ctx, &prowapi.ProwJobList{}, client.InNamespace(prowJobNS), &client.ListOptions{Raw: &o})
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	jw := &jobWatch{changed: make(chan struct{})}
	jw.reset()
	go func() {
		defer rw.Stop()
		for ev := range rw.ResultChan() {
			if pj, ok := ev.Object.(*prowapi.ProwJob); ok && ev.Type != watch.Deleted {
				jw.see(pj, time.Now())
			}
		}
	}()
	return jw
}

// reset starts a new burst.
func (jw *jobWatch) reset() {
	jw.mu.Lock()
	defer jw.mu.Unlock()
	jw.createdAt, jw.pendingAt, jw.recorded, jw.failed = map[string]time.Time{}, map[string]time.Time{}, map[string]bool{}, ""
}

// created notes a job of the burst, just before its create request.
func (jw *jobWatch) created(name string) {
	jw.mu.Lock()
	defer jw.mu.Unlock()
	jw.createdAt[name] = time.Now()
}

func (jw *jobWatch) see(pj *prowapi.ProwJob, at time.Time) {
	jw.mu.Lock()
	defer jw.mu.Unlock()
	if _, ours := jw.createdAt[pj.Name]; !ours {
		return
	}
	switch pj.Status.State {
	case prowapi.TriggeredState:
	case prowapi.PendingState:
		if _, seen := jw.pendingAt[pj.Name]; !seen {
			jw.pendingAt[pj.Name] = at
		}
	default:
		if jw.failed == "" {
			jw.failed = fmt.Sprintf("job %s (%s) went %s: %s", pj.Name, pj.Spec.Job, pj.Status.State, pj.Status.Description)
		}
	}
	if pj.Status.PodName != "" {
		jw.recorded[pj.Name] = true
	}
	close(jw.changed)
	jw.changed = make(chan struct{})
}

// await waits until n jobs of the burst are pending and returns each
// one's creation-to-pending time and when the last went pending. It
// fails the benchmark after guard, or when a job fails instead.
func (jw *jobWatch) await(b *testing.B, ctl *scaleController, n int, guard time.Duration) (lat []time.Duration, last time.Time) {
	b.Helper()
	timer := time.NewTimer(guard)
	defer timer.Stop()
	for {
		jw.mu.Lock()
		pending, failed, changed := len(jw.pendingAt), jw.failed, jw.changed
		jw.mu.Unlock()
		if failed != "" {
			b.Fatalf("%s\ncontroller log (end):\n%s", failed, ctl.lastLines(40))
		}
		if pending >= n {
			break
		}
		select {
		case <-changed:
		case <-timer.C:
			b.Fatalf("%d of %d jobs pending within %s\ncontroller log (end):\n%s", pending, n, guard, ctl.lastLines(40))
		}
	}
	jw.mu.Lock()
	defer jw.mu.Unlock()
	for name, at := range jw.pendingAt {
		lat = append(lat, at.Sub(jw.createdAt[name]))
		if at.After(last) {
			last = at
		}
	}
	return lat, last
}

// awaitRecorded waits until every job of the burst has its pod recorded
// (status.pod_name), or for timeout, and returns how many have.
func (jw *jobWatch) awaitRecorded(timeout time.Duration) int {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		jw.mu.Lock()
		recorded, want, changed := len(jw.recorded), len(jw.createdAt), jw.changed
		jw.mu.Unlock()
		if recorded >= want {
			return recorded
		}
		select {
		case <-changed:
		case <-timer.C:
			return recorded
		}
	}
}

// promText is a /metrics page in Prometheus' text format.
type promText []string

// scrape reads the controller's /metrics.
func scrape(b testing.TB, port int) promText {
	b.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	if err != nil {
		b.Fatalf("scrape the controller's metrics: %v", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("scrape the controller's metrics: %s %v", resp.Status, err)
	}
	return strings.Split(string(data), "\n")
}

// samples returns the samples of the metric name (with any labels) as
// their label text ("" without labels) and value.
func (p promText) samples(name string) map[string]float64 {
	out := map[string]float64{}
	for _, line := range p {
		if !strings.HasPrefix(line, name) {
			continue
		}
		rest := line[len(name):]
		labels := ""
		if strings.HasPrefix(rest, "{") {
			end := strings.LastIndex(rest, "}")
			if end < 0 {
				continue
			}
			labels, rest = rest[1:end], rest[end+1:]
		} else if !strings.HasPrefix(rest, " ") {
			continue // another metric whose name starts with name
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			continue
		}
		if v, err := strconv.ParseFloat(fields[0], 64); err == nil {
			out[labels] += v
		}
	}
	return out
}

// value is the sum of the metric's samples; false when there are none.
func (p promText) value(name string) (float64, bool) {
	s := p.samples(name)
	total := 0.0
	for _, v := range s {
		total += v
	}
	return total, len(s) > 0
}

// histogramQuantile is the q-quantile of the histogram name, the series
// whose labels contain match added together, interpolated within a bucket as Prometheus'
// histogram_quantile does; false when the histogram is missing or
// empty.
func (p promText) histogramQuantile(name, match string, q float64) (float64, bool) {
	byBound := map[float64]float64{}
	for labels, v := range p.samples(name + "_bucket") {
		if !strings.Contains(labels, match) {
			continue
		}
		le := labelValue(labels, "le")
		bound, err := strconv.ParseFloat(le, 64)
		if le == "+Inf" {
			bound, err = math.Inf(1), nil
		}
		if err != nil {
			continue
		}
		byBound[bound] += v
	}
	bounds := make([]float64, 0, len(byBound))
	for bound := range byBound {
		bounds = append(bounds, bound)
	}
	slices.Sort(bounds)
	if len(bounds) < 2 || byBound[bounds[len(bounds)-1]] == 0 {
		return 0, false
	}
	rank := q * byBound[bounds[len(bounds)-1]]
	lower, below := 0.0, 0.0
	for _, bound := range bounds {
		count := byBound[bound]
		if count >= rank {
			if math.IsInf(bound, 1) {
				return lower, true // the highest finite bound, as Prometheus
			}
			return lower + (bound-lower)*(rank-below)/(count-below), true
		}
		lower, below = bound, count
	}
	return lower, true
}

// labelValue is the value of label in a label text (a="x",b="y").
func labelValue(labels, label string) string {
	for part := range strings.SplitSeq(labels, ",") {
		k, v, ok := strings.Cut(part, "=")
		if ok && strings.TrimSpace(k) == label {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}
