package kube

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/controller"
	"github.com/prowbot/prow/jobs/kube/pods"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/kubeenv"
	"github.com/prowbot/prow/test/testlog"
)

// BenchmarkAPIWritesPerJob counts the writes the controller and the pod
// runner send to the real API server over whole job lifecycles:
// triggered → pending → the pod runs (kwok) → success. Each iteration
// triggers writesBatch jobs at once, through a store of the benchmark's
// own, and waits until all have succeeded; the controller is then
// stopped, so that every write it and the runner made is counted.
//
// The writes are counted on the wire: a wrapper on the transport
// (rest.Config.WrapTransport) of the store the controller and the
// runner share, and of the runner's build cluster, counts each create
// (POST), update (PUT), patch (PATCH) and delete (DELETE) request on the
// prowjobs resource and on the pods resource, whatever its answer
// (conflicts included). It reports prowjob-writes/job and
// pod-writes/job, and logs the writes by method, resource, what a
// ProwJob write sets (its status.state, and whether it carries
// status.pod_name) and answer.
//
// The ProwJob writes per job expected of the code as it was when this
// benchmark was written (jobs/controller/controller.go and
// jobs/kube/pods/runner.go) are three updates, each a PUT of the whole
// ProwJob:
//
//  1. the controller's start: state pending, pending_time, build_id and
//     url (Controller.start);
//  2. the runner's record of the pod, status.pod_name, when the
//     controller first asks for the run's status and the pod is there
//     (Runner.Status → recordPod);
//  3. the controller's finish: the final state and completion_time
//     (Controller.finish).
//
// The pod writes expected are one: the runner's create (the pod is
// deleted later by sinker, which does not run here). The benchmark
// counts whatever the code does; the target is two ProwJob
// writes per job.
func BenchmarkAPIWritesPerJob(b *testing.B) {
	env := testenv.Env(b)
	var jobCount int
	total := newWriteCounter()
	for i := range b.N {
		b.StopTimer()
		r := newWritesRun(b, env)
		b.StartTimer()
		r.lifecycles(b, fmt.Sprintf("w%d", i))
		b.StopTimer()
		r.stop()
		total.add(r.counter)
		jobCount += writesBatch
	}
	counts := total.snapshot()
	var keys []string
	for k := range maps.Keys(counts) {
		keys = append(keys, fmt.Sprintf("%s: %d", k, counts[k]))
	}
	slices.Sort(keys)
	b.Logf("writes over %d jobs: %s", jobCount, strings.Join(keys, "; "))
	b.ReportMetric(float64(total.of("prowjobs"))/float64(jobCount), "prowjob-writes/job")
	b.ReportMetric(float64(total.of("pods"))/float64(jobCount), "pod-writes/job")
}

// writesBatch is the number of jobs of one iteration: enough to average
// over, with the controller's workers busy at once as in real use.
const writesBatch = 20

// writesGuard bounds an iteration: jobs whose pods run for 300 ms that
// have not all succeeded by then never will.
const writesGuard = 2 * time.Minute

// writesRun is the controller and the pod runner in a fresh namespace,
// with their writes counted.
type writesRun struct {
	ns      string
	env     *kubeenv.Env
	jobs    *Store // the benchmark's own, uncounted
	counter *writeCounter
	cancel  context.CancelFunc
	done    chan struct{}
}

func newWritesRun(b *testing.B, env *kubeenv.Env) *writesRun {
	ns := namespace(b, env)
	r := &writesRun{ns: ns, env: env, jobs: openStore(b, env, ns), counter: newWriteCounter(), done: make(chan struct{})}
	counted := rest.CopyConfig(env.Config)
	counted.WrapTransport = r.counter.wrap
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	b.Cleanup(cancel)
	store, err := Open(ctx, Options{Config: counted, Namespace: ns, Logger: testlog.Discard()})
	if err != nil {
		b.Fatal(err)
	}
	cfg := &config.Config{}
	getter := func() *config.Config { return cfg }
	runner, err := pods.Open(ctx, pods.Options{Clusters: pods.Clusters{prowapi.DefaultClusterAlias: counted}, Jobs: store,
		Config: getter, PodNamespace: ns, WatchNamespace: ns, Logger: testlog.Discard()})
	if err != nil {
		b.Fatal(err)
	}
	// Workers as Prow's plank.max_goroutines default (20).
	ctl, err := controller.New(controller.Options{Store: store, Runner: runner, Config: getter, Logger: testlog.Discard(), Workers: 20})
	if err != nil {
		b.Fatal(err)
	}
	go func() {
		defer close(r.done)
		if err := ctl.Run(ctx); err != nil {
			b.Errorf("controller: %v", err)
		}
	}()
	return r
}

// lifecycles triggers writesBatch jobs whose pods succeed and waits
// until every one has succeeded.
func (r *writesRun) lifecycles(b *testing.B, prefix string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events, err := r.jobs.Watch(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for i := range writesBatch {
		pj := kwokJob(fmt.Sprintf("%s-%02d", prefix, i), r.ns, kubeenv.OutcomeSucceed, i+1)
		if _, err := r.jobs.Create(ctx, pj); err != nil {
			b.Fatalf("trigger %s: %v", pj.Name, err)
		}
	}
	done := map[string]prowapi.ProwJobState{}
	guard := time.NewTimer(writesGuard)
	defer guard.Stop()
	for len(done) < writesBatch {
		select {
		case ev := <-events:
			if ev.Type != jobs.Deleted && ev.Job.Complete() {
				done[ev.Job.Name] = ev.Job.Status.State
			}
		case <-guard.C:
			b.Fatalf("%d of %d jobs finished within %s", len(done), writesBatch, writesGuard)
		}
	}
	for name, state := range done {
		if state != prowapi.SuccessState {
			b.Fatalf("job %s ended %s, want success", name, state)
		}
	}
}

// stop ends the controller and the runner, so that their writes are all
// counted once it returns, and removes the run's pods.
func (r *writesRun) stop() {
	r.cancel()
	<-r.done
	_ = r.env.Client.CoreV1().Pods(r.ns).DeleteCollection(context.Background(), metav1.DeleteOptions{}, metav1.ListOptions{LabelSelector: prowapi.CreatedByProw + "=true"})
}

// writeCounter counts write requests by method, resource, what they
// write of a ProwJob's status, and answer.
type writeCounter struct {
	mu     sync.Mutex
	counts map[string]int
}

func newWriteCounter() *writeCounter { return &writeCounter{counts: map[string]int{}} }

// wrap is a rest.Config.WrapTransport that counts through c.
func (c *writeCounter) wrap(rt http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		resource := writtenResource(req.URL.Path)
		if req.Method == http.MethodGet || resource == "" {
			return rt.RoundTrip(req)
		}
		key := req.Method + " " + resource
		if strings.HasPrefix(resource, "prowjobs") && req.Body != nil && req.Method != http.MethodDelete {
			body, err := io.ReadAll(req.Body)
			_ = req.Body.Close()
			if err != nil {
				return nil, err
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			key += " " + wroteStatus(body)
		}
		resp, err := rt.RoundTrip(req)
		answer := "error"
		if resp != nil {
			answer = fmt.Sprint(resp.StatusCode)
		}
		c.mu.Lock()
		c.counts[key+" → "+answer]++
		c.mu.Unlock()
		return resp, err
	})
}

// wroteStatus says what a ProwJob write sets of the job's status: its
// state, and "+pod_name" when it carries status.pod_name ("?" for a body
// that is not JSON).
func wroteStatus(body []byte) string {
	var pj struct {
		Status struct {
			State   string `json:"state"`
			PodName string `json:"pod_name"`
		} `json:"status"`
	}
	if err := json.Unmarshal(body, &pj); err != nil {
		return "?"
	}
	out := "state=" + pj.Status.State
	if pj.Status.PodName != "" {
		out += "+pod_name"
	}
	return out
}

// writtenResource is "prowjobs" or "pods", with any subresource after a
// slash ("prowjobs/status"), for a path naming one of them; "" for any
// other path.
func writtenResource(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for i, p := range parts {
		// .../namespaces/<ns>/<resource>[/<name>[/<subresource>]]
		if i < 2 || parts[i-2] != "namespaces" || (p != "prowjobs" && p != "pods") {
			continue
		}
		if len(parts) > i+2 {
			return p + "/" + parts[i+2]
		}
		return p
	}
	return ""
}

// of is the number of writes counted on the resource and its
// subresources.
func (c *writeCounter) of(resource string) int {
	n := 0
	for k, v := range c.snapshot() {
		if r := strings.Fields(k)[1]; r == resource || strings.HasPrefix(r, resource+"/") {
			n += v
		}
	}
	return n
}

func (c *writeCounter) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.counts)
}

func (c *writeCounter) add(o *writeCounter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range o.snapshot() {
		c.counts[k] += v
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
