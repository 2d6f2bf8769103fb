package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/kubeenv"
)

// The scale of BenchmarkControllerAtScale.
const (
	scaleJobs     = 10000
	scaleTriggers = 8
	// scaleGuard bounds the wait for every job of a burst to be pending.
	scaleGuard = 5 * time.Minute
	// scaleSettle bounds the wait, once every job is pending, for the
	// runner to record every pod (status.pod_name) before memory is read.
	scaleSettle = time.Minute
)

// scaleClusters are the contexts of the build-cluster kubeconfig, one
// control plane each.
var scaleClusters = []string{"build-a", "build-b", "build-c"}

// BenchmarkControllerAtScale runs `prow controller` as a process of its
// own, built from this package, against real API servers: one control
// plane holds the ProwJobs (prowjob_namespace "prow") and three more are
// the build clusters build-a, build-b and build-c (separate control
// planes, each with its kwok node, named by the contexts of the
// --build-cluster-kubeconfig). The controller runs with its defaults:
// --workers 20 (Prow's plank.max_goroutines), --resync 1s, leader
// election on, plank.max_concurrency unset (no limit), log level info.
//
// After one job warms the controller up, 10,000 decorated presubmits
// (ten job names, one pull request each, spread evenly over the three
// build clusters, spec.report false so that no GitHub is needed) are
// triggered at once from eight goroutines. Their pods hang, as real
// jobs run for minutes; each kwok node has room for 1,000 pods, so
// 3,000 pods run and the rest stay Pending unscheduled, as in a full
// cluster (plank.pod_unscheduled_timeout is set to an hour so that none
// is errored while the benchmark runs). A watch on the ProwJobs' API
// server sees each job go pending.
//
// It reports, for the burst:
//
//   - pending-p50-ms, pending-p99-ms: the reconcile latency, from a
//     job's creation (just before the create request) to the watch
//     event of its pending state;
//   - all-pending-s: from the first trigger to the last job pending
//     (also ns/op); triggers/s: the rate of the creates themselves
//     (the API server's, which bounds all-pending-s); after-last-trigger-s:
//     from the last create's return to the last job pending;
//   - peak-rss-MiB (VmHWM), rss-MiB (VmRSS): the controller process's
//     memory from /proc/<pid>/status, read once every job is pending and
//     the runner has recorded every pod (or after a minute);
//   - heap-inuse-MiB: go_memstats_heap_inuse_bytes from its /metrics;
//   - reconcile-p99-ms: the 99th percentile of controller-runtime's
//     controller_runtime_reconcile_time_seconds histogram of the
//     reconciler plank on /metrics (one reconcile: a start is a pod
//     create and a ProwJob write).
//
// It fails when the 10,000 jobs are not all pending within five
// minutes. Run it with -benchtime 1x: each further iteration triggers
// 10,000 more jobs on top.
func BenchmarkControllerAtScale(b *testing.B) {
	w := startScaleWorld(b)
	ctl := w.startController(b)
	watch := w.watchJobs(b)
	w.trigger(b, watch, "warm-up", 1)
	watch.await(b, ctl, 1, scaleGuard)
	var latencies []time.Duration
	var busy, triggering, drain time.Duration
	idle := ctl.memory(b)
	b.Logf("controller before the burst: VmRSS %.1f MiB; load average %s", idle["VmRSS"]/1024, loadAverage())
	b.ResetTimer()
	for i := range b.N {
		watch.reset()
		first := time.Now()
		trig := w.trigger(b, watch, fmt.Sprintf("burst %d", i), scaleJobs)
		lat, last := watch.await(b, ctl, scaleJobs, scaleGuard)
		latencies = append(latencies, lat...)
		busy += last.Sub(first)
		triggering += trig
		drain += last.Sub(first.Add(trig))
	}
	b.StopTimer()
	b.Logf("load average once all were pending: %s (the machine's, other work included)", loadAverage())
	recorded := watch.awaitRecorded(scaleSettle)
	b.Logf("%d of %d pods recorded on their jobs (status.pod_name) once all were pending", recorded, scaleJobs*b.N)
	mem := ctl.memory(b)
	metrics := scrape(b, ctl.metricsPort)
	slices.Sort(latencies)
	p := func(q float64) float64 {
		return float64(latencies[int(q*float64(len(latencies)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(p(0.50), "pending-p50-ms")
	b.ReportMetric(p(0.99), "pending-p99-ms")
	b.ReportMetric(busy.Seconds()/float64(b.N), "all-pending-s")
	b.ReportMetric(float64(len(latencies))/triggering.Seconds(), "triggers/s")
	b.ReportMetric(drain.Seconds()/float64(b.N), "after-last-trigger-s")
	b.ReportMetric(mem["VmHWM"]/1024, "peak-rss-MiB")
	b.ReportMetric(mem["VmRSS"]/1024, "rss-MiB")
	if heap, ok := metrics.value("go_memstats_heap_inuse_bytes"); ok {
		b.ReportMetric(heap/(1<<20), "heap-inuse-MiB")
	}
	var heap []string
	for _, name := range []string{"go_memstats_heap_alloc_bytes", "go_memstats_next_gc_bytes", "go_memstats_sys_bytes", "go_goroutines"} {
		if v, ok := metrics.value(name); ok {
			heap = append(heap, fmt.Sprintf("%s %.4g", name, v))
		}
	}
	b.Logf("controller at the end: %s", strings.Join(heap, ", "))
	plank := `controller="plank"`
	if q, ok := metrics.histogramQuantile("controller_runtime_reconcile_time_seconds", plank, 0.99); ok {
		b.ReportMetric(q*1000, "reconcile-p99-ms")
	} else {
		b.Log("no controller_runtime_reconcile_time_seconds of plank on the controller's /metrics")
	}
}

// scaleWorld is the control planes, the controller's files and the
// benchmark's client of the ProwJobs.
type scaleWorld struct {
	prowJobs   *kubeenv.Env
	dir        string
	configPath string
	buildKube  string
	client     client.WithWatch
	presubmits []config.Presubmit
	// pulls numbers the jobs' pull requests, one each: a job of the same
	// name on the same pull request would supersede another.
	pulls atomic.Int64
}

func startScaleWorld(b *testing.B) *scaleWorld {
	b.Helper()
	w := &scaleWorld{dir: b.TempDir()}
	w.prowJobs = kubeenv.Start(b, kubeenv.WithProwJobCRD())
	createNamespace(b, w.prowJobs, prowJobNS)
	builds := map[string]*kubeenv.Env{}
	for _, name := range scaleClusters {
		env := kubeenv.Start(b)
		createNamespace(b, env, testPodNS)
		builds[name] = env
	}
	w.buildKube = writeBuildKubeconfig(b, filepath.Join(w.dir, "build-clusters.kubeconfig"), builds)
	w.configPath = writeScaleConfig(b, filepath.Join(w.dir, "config.yaml"))
	snap, _, err := config.Load(config.Options{ConfigPath: w.configPath})
	if err != nil {
		b.Fatal(err)
	}
	w.presubmits = snap.Config.PresubmitsFor("demo", "hello")
	scheme := runtime.NewScheme()
	if err := prowapi.AddToScheme(scheme); err != nil {
		b.Fatal(err)
	}
	if w.client, err = client.NewWithWatch(w.prowJobs.Config, client.Options{Scheme: scheme}); err != nil {
		b.Fatal(err)
	}
	return w
}

func createNamespace(b *testing.B, env *kubeenv.Env, name string) {
	b.Helper()
	if _, err := env.Client.CoreV1().Namespaces().Create(context.Background(),
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		b.Fatal(err)
	}
}

// writeBuildKubeconfig writes a kubeconfig with one context per build
// cluster, named as the map's keys, each reaching its own control plane.
func writeBuildKubeconfig(b *testing.B, path string, builds map[string]*kubeenv.Env) string {
	b.Helper()
	out := clientcmdapi.NewConfig()
	for name, env := range builds {
		in, err := clientcmd.LoadFromFile(env.Kubeconfig)
		if err != nil {
			b.Fatal(err)
		}
		ctx := in.Contexts[env.Context]
		if ctx == nil {
			b.Fatalf("kubeconfig %s has no context %s", env.Kubeconfig, env.Context)
		}
		out.Clusters[name] = in.Clusters[ctx.Cluster]
		out.AuthInfos[name] = in.AuthInfos[ctx.AuthInfo]
		out.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: name}
	}
	out.CurrentContext = scaleClusters[0]
	if err := clientcmd.WriteToFile(*out, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// writeScaleConfig writes config.yaml: cluster mode's namespaces, Prow's
// default decoration, and ten decorated presubmits of demo/hello whose
// pods hang.
func writeScaleConfig(b *testing.B, path string) string {
	b.Helper()
	var s strings.Builder
	s.WriteString(clusterNamespaces)
	s.WriteString(`plank:
  pod_unscheduled_timeout: 1h
  default_decoration_config_entries:
  - config:
      timeout: 2h
      grace_period: 10s
      utility_images: {clonerefs: prowbot/prow:e2e, initupload: prowbot/prow:e2e, entrypoint: prowbot/prow:e2e, sidecar: prowbot/prow:e2e}
      gcs_configuration: {path_strategy: explicit}
presubmits:
  demo/hello:
`)
	for i := range 10 {
		fmt.Fprintf(&s, `  - name: scale-%d
    always_run: true
    decorate: true
    skip_report: true
    annotations: {%s: %s}
    spec:
      containers:
      - image: alpine:3
        command: [sh, -c, "echo hello"]
`, i, kubeenv.OutcomeAnnotation, kubeenv.OutcomeHang)
	}
	if err := os.WriteFile(path, []byte(s.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// scaleController is the running `prow controller`.
type scaleController struct {
	cmd         *exec.Cmd
	metricsPort int
	// tail keeps the last lines of its log, for a failure's report.
	mu   sync.Mutex
	tail []string
}

// startController builds this package's binary and runs `prow
// controller` until the benchmark ends.
func (w *scaleWorld) startController(b *testing.B) *scaleController {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "prow-components")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build the prow binary: %v\n%s", err, out)
	}
	token := filepath.Join(w.dir, "token")
	if err := os.WriteFile(token, []byte("unused"), 0o600); err != nil {
		b.Fatal(err)
	}
	c := &scaleController{metricsPort: freePort(b)}
	c.cmd = exec.Command(bin, "controller", "--config-path", w.configPath, "--kubeconfig", w.prowJobs.Kubeconfig,
		"--build-cluster-kubeconfig", w.buildKube, "--utility-image", "prowbot/prow:e2e",
		"--metrics-port", fmt.Sprint(c.metricsPort), "--health-port", "0",
		// No job reports to GitHub (spec.report is false): nothing listens there.
		"--github-endpoint", "http://127.0.0.1:1", "--github-token-path", token)
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			c.mu.Lock()
			c.tail = append(c.tail, sc.Text())
			if len(c.tail) > 400 {
				c.tail = slices.Clone(c.tail[200:])
			}
			c.mu.Unlock()
		}
		_ = c.cmd.Wait()
		close(exited)
	}()
	b.Cleanup(func() {
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			_ = c.cmd.Process.Kill()
			<-exited
		}
	})
	return c
}

// loadAverage is the machine's load average over 1, 5 and 15 minutes,
// for reading the figures: the control planes and the controller share
// the machine.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	return strings.Join(f[:min(3, len(f))], " ")
}

// lastLines is the end of the controller's log.
func (c *scaleController) lastLines(n int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.tail[max(0, len(c.tail)-n):], "\n")
}

// memory reads the controller's /proc/<pid>/status: its Vm* fields, in
// KiB.
func (c *scaleController) memory(b *testing.B) map[string]float64 {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		b.Fatalf("read the controller's memory: %v", err)
	}
	out := map[string]float64{}
	for line := range strings.Lines(string(data)) {
		var kib float64
		name, rest, ok := strings.Cut(line, ":")
		if ok && strings.HasPrefix(name, "Vm") {
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%g kB", &kib); err == nil {
				out[name] = kib
			}
		}
	}
	if out["VmHWM"] == 0 || out["VmRSS"] == 0 {
		b.Fatalf("no VmHWM or VmRSS in the controller's /proc status:\n%s", data)
	}
	return out
}

// trigger creates n jobs, spread over the build clusters, from
// scaleTriggers goroutines, noting each one's creation in watch; it
// returns the time the creates took.
func (w *scaleWorld) trigger(b *testing.B, jw *jobWatch, what string, n int) time.Duration {
	b.Helper()
	builder := jobs.Builder{Namespace: prowJobNS}
	start := time.Now()
	var wg sync.WaitGroup
	for g := range min(scaleTriggers, n) {
		wg.Go(func() {
			for i := g; i < n; i += scaleTriggers {
				pull := int(w.pulls.Add(1))
				refs := prowapi.Refs{Org: "demo", Repo: "hello", BaseRef: "main", BaseSHA: strings.Repeat("0", 40),
					Pulls: []prowapi.Pull{{Number: pull, Author: "member", SHA: fmt.Sprintf("%040x", pull)}}}
				pj := builder.Presubmit(w.presubmits[i%len(w.presubmits)], refs, nil)
				pj.Spec.Cluster = scaleClusters[i%len(scaleClusters)]
				jw.created(pj.Name)
				if err := w.client.Create(context.Background(), pj); err != nil {
					b.Errorf("%s: create job %d: %v", what, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	return time.Since(start)
}
