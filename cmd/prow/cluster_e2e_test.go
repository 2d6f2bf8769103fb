package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/kube"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/kubeenv"
)

// The namespaces of the cluster-mode tests' config.
const (
	prowJobNS = "prow"
	testPodNS = "test-pods"
)

// clusterJob is a decorated presubmit of demo/hello whose pod the fake
// node ends as outcome says, after delay.
type clusterJob struct {
	name, outcome, delay string
}

// writeClusterConfig writes config.yaml for cluster mode: ProwJobs in
// prowJobNS, pods in testPodNS, Prow's default decoration, the jobs, and
// extra (top-level YAML) appended.
func writeClusterConfig(t *testing.T, path, extra string, specs ...clusterJob) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(clusterNamespaces)
	b.WriteString(`plank:
  default_decoration_config_entries:
  - config:
      timeout: 10m
      grace_period: 10s
      utility_images: {clonerefs: prowbot/prow:e2e, initupload: prowbot/prow:e2e, entrypoint: prowbot/prow:e2e, sidecar: prowbot/prow:e2e}
      gcs_configuration: {path_strategy: explicit}
`)
	b.WriteString(extra)
	b.WriteString("presubmits:\n  demo/hello:\n")
	for _, j := range specs {
		fmt.Fprintf(&b, `  - name: %s
    always_run: true
    decorate: true
    annotations: {%s: %s, %s: %s}
    spec:
      containers:
      - image: alpine:3
        command: [sh, -c, "echo hello"]
`, j.name, kubeenv.OutcomeAnnotation, j.outcome, kubeenv.DelayAnnotation, j.delay)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// clusterNamespaces is the head of a config.yaml of cluster mode:
// ProwJobs in prowJobNS, pods in testPodNS.
var clusterNamespaces = fmt.Sprintf("prowjob_namespace: %s\npod_namespace: %s\n", prowJobNS, testPodNS)

// startKubeenv starts a real API server with the ProwJob CRD and the
// namespaces of cluster mode.
func startKubeenv(t *testing.T) *kubeenv.Env {
	t.Helper()
	env := kubeenv.Start(t, kubeenv.WithProwJobCRD())
	for _, ns := range []string{prowJobNS, testPodNS} {
		if _, err := env.Client.CoreV1().Namespaces().Create(t.Context(),
			&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return env
}

// openJobs is the test's own view of the ProwJobs.
func openJobs(t *testing.T, env *kubeenv.Env) *kube.Store {
	t.Helper()
	log := logrus.New()
	log.SetLevel(logrus.ErrorLevel)
	store, err := kube.Open(t.Context(), kube.Options{Config: env.Config, Namespace: prowJobNS, Logger: logrus.NewEntry(log)})
	if err != nil {
		t.Fatal(err)
	}
	return store
}

// allJobs lists every ProwJob.
func allJobs(t *testing.T, store *kube.Store) []prowapi.ProwJob {
	t.Helper()
	list, err := store.List(t.Context(), jobs.Filter{}, jobs.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return list.Items
}

// controllerArgs runs `prow controller` against env, reporting to w's
// sandbox.
func controllerArgs(cfg string, env *kubeenv.Env, w *serveWorld) []string {
	return []string{"controller", "--config-path", cfg, "--kubeconfig", env.Kubeconfig, "--leader-elect=false",
		"--metrics-port", "0", "--health-port", "0", "--utility-image", "prowbot/prow:e2e", "--resync", "200ms",
		"--github-endpoint", w.gh.URL, "--github-token-path", filepath.Join(w.dir, "token")}
}

// startReady starts a cluster component with a health port and returns
// once it serves it: by then it stops gracefully on SIGTERM.
func startReady(t *testing.T, ctx context.Context, bin string, args ...string) *hookProcess {
	t.Helper()
	return startProw(t, ctx, bin, "Serving operations endpoints", append(args, "--health-port", fmt.Sprint(freePort(t)))...)
}

// procLog keeps the log lines of a process nobody awaits, for the
// test's report.
type procLog struct {
	mu    sync.Mutex
	lines []string
	done  chan struct{}
}

func collectLog(p *hookProcess) *procLog {
	l := &procLog{done: make(chan struct{})}
	go func() {
		defer close(l.done)
		for line := range p.lines {
			l.mu.Lock()
			l.lines = append(l.lines, line)
			l.mu.Unlock()
		}
	}()
	return l
}

// matching returns the lines containing every one of parts.
func (l *procLog) matching(parts ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range l.lines {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			out = append(out, line)
		}
	}
	return out
}

// tail is the last n lines.
func (l *procLog) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines[max(0, len(l.lines)-n):], "\n")
}

// stopGracefully sends SIGTERM and waits for a clean exit.
func stopGracefully(t *testing.T, p *hookProcess, name string) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Errorf("stop %s: %v", name, err)
		return
	}
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("%s did not shut down cleanly: %v", name, err)
	}
}

// podWatch records every pod of a namespace from a watch that resumes
// where it broke off, so no pod made during the test is missed: each pod
// name maps to the UIDs of the pods ever made with it.
type podWatch struct {
	mu      sync.Mutex
	uids    map[string]map[types.UID]bool
	latest  map[string]*corev1.Pod // nil once deleted
	err     error
	changed chan struct{}
}

func watchPods(t *testing.T, client kubernetes.Interface, ns string) *podWatch {
	t.Helper()
	list, rw := kubeenv.WatchPods(t, client, ns)
	w := &podWatch{uids: map[string]map[types.UID]bool{}, latest: map[string]*corev1.Pod{}, changed: make(chan struct{})}
	for i := range list.Items {
		w.see(watch.Added, &list.Items[i])
	}
	go func() {
		defer rw.Stop()
		for ev := range rw.ResultChan() {
			if ev.Type == watch.Error {
				w.mu.Lock()
				w.err = fmt.Errorf("the pod watch failed: %v", ev.Object)
				w.mu.Unlock()
				continue
			}
			if pod, ok := ev.Object.(*corev1.Pod); ok {
				w.see(ev.Type, pod)
			}
		}
	}()
	return w
}

func (w *podWatch) see(typ watch.EventType, pod *corev1.Pod) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.uids[pod.Name] == nil {
		w.uids[pod.Name] = map[types.UID]bool{}
	}
	w.uids[pod.Name][pod.UID] = true
	w.latest[pod.Name] = pod
	if typ == watch.Deleted {
		w.latest[pod.Name] = nil
	}
	close(w.changed)
	w.changed = make(chan struct{})
}

// made is how many pods were ever made with the name.
func (w *podWatch) made(name string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.uids[name])
}

// total is how many pods were ever made.
func (w *podWatch) total() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, u := range w.uids {
		n += len(u)
	}
	return n
}

// pod is the pod's last state (nil when deleted or never made).
func (w *podWatch) pod(name string) *corev1.Pod {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.latest[name]
}

// failure is the watch's error, if it broke for good.
func (w *podWatch) failure() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// waitFor returns as soon as cond holds, woken by each pod event.
func (w *podWatch) waitFor(t *testing.T, what string, guard time.Duration, cond func() bool) {
	t.Helper()
	timer := time.NewTimer(guard)
	defer timer.Stop()
	for {
		w.mu.Lock()
		changed := w.changed
		w.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-changed:
		case <-timer.C:
			t.Fatalf("%s: not within %s", what, guard)
		}
	}
}

// contextStates lists each context's statuses, oldest first.
func contextStates(all []ghStatus) map[string][]string {
	out := map[string][]string{}
	for i := len(all) - 1; i >= 0; i-- {
		out[all[i].Context] = append(out[all[i].Context], all[i].State)
	}
	return out
}

// TestClusterModeRunsPresubmitsAsPodsAndSinkerCleansUp runs cluster mode
// as its processes: `prow hook` with the ProwJob store turns a pull
// request into ProwJobs, `prow controller` runs them as decorated pods on
// a real API server (the fake node ends them as their job's annotations
// say) and reports to the sandbox GitHub, and `prow sinker` then deletes
// the old jobs, their pods and a stray pod.
func TestClusterModeRunsPresubmitsAsPodsAndSinkerCleansUp(t *testing.T) {
	bin := buildProw(t)
	env := startKubeenv(t)
	w := newServeWorld(t, "", nil)
	specs := []clusterJob{{"pull-pass", kubeenv.OutcomeSucceed, "1s"}, {"pull-fail", kubeenv.OutcomeFail, "1s"}}
	cfg := writeClusterConfig(t, filepath.Join(w.dir, "cluster.yaml"), "", specs...)
	store := openJobs(t, env)
	pods := watchPods(t, env.Client, testPodNS)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	hook := startHook(t, ctx, bin, "--address", "127.0.0.1", "--port", fmt.Sprint(w.port), "--config-path", cfg,
		"--plugin-config", filepath.Join(w.dir, "plugins.yaml"), "--hmac-secret-file", filepath.Join(w.dir, "hmac"),
		"--github-endpoint", w.gh.URL, "--github-token-path", filepath.Join(w.dir, "token"),
		"--journal-dir", filepath.Join(w.dir, "journal"), "--git-cache-dir", filepath.Join(w.dir, "git-cache"),
		"--job-store=kubernetes", "--kubeconfig", env.Kubeconfig)
	hookLog := collectLog(hook)
	ctrl := startReady(t, ctx, bin, controllerArgs(cfg, env, w)...)
	ctrlLog := collectLog(ctrl)
	defer func() {
		if t.Failed() {
			t.Logf("hook's log:\n%s\ncontroller's log:\n%s", hookLog.tail(40), ctrlLog.tail(80))
		}
	}()

	start := time.Now()
	n, sha := w.openPull()
	eventually(t, time.Minute, "the ProwJobs of both presubmits", func() bool { return len(allJobs(t, store)) == 2 })
	eventually(t, 2*time.Minute, "both ProwJobs finished", func() bool {
		for _, pj := range allJobs(t, store) {
			if !pj.Complete() {
				return false
			}
		}
		return true
	})
	ran := time.Since(start)
	want := map[string]prowapi.ProwJobState{"pull-pass": prowapi.SuccessState, "pull-fail": prowapi.FailureState}
	for _, pj := range allJobs(t, store) {
		if pj.Status.State != want[pj.Spec.Job] {
			t.Errorf("job %s ended %s (%q), want %s", pj.Spec.Job, pj.Status.State, pj.Status.Description, want[pj.Spec.Job])
		}
		if pj.Spec.Refs == nil || len(pj.Spec.Refs.Pulls) != 1 || pj.Spec.Refs.Pulls[0].Number != n || pj.Spec.Refs.Pulls[0].SHA != sha {
			t.Errorf("job %s has refs %+v, want demo/hello#%d at %s", pj.Spec.Job, pj.Spec.Refs, n, sha)
		}
		if pj.Status.BuildID == "" || pj.Status.PendingTime == nil {
			t.Errorf("job %s never went pending with a build ID: %+v", pj.Spec.Job, pj.Status)
		}
		checkDecoratedPod(t, pods, &pj)
	}

	eventually(t, time.Minute, "both statuses final on GitHub", func() bool {
		l := latest(w.statuses(sha))
		return l["pull-pass"].State == "success" && l["pull-fail"].State == "failure"
	})
	for name, states := range contextStates(w.statuses(sha)) {
		if states[0] != "pending" || !slices.Contains([]string{"success", "failure"}, states[len(states)-1]) {
			t.Errorf("context %s went through %v, want pending first and the result last", name, states)
		}
	}

	// The sinker: the jobs are older than max_prowjob_age, and a pod
	// whose job never existed is older than max_pod_age.
	stray := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "stray",
		Labels:      map[string]string{prowapi.CreatedByProw: "true", prowapi.ProwJobIDLabel: "no-such-job"},
		Annotations: map[string]string{kubeenv.OutcomeAnnotation: kubeenv.OutcomeHang}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "test", Image: "alpine:3"}}}}
	if _, err := env.Client.CoreV1().Pods(testPodNS).Create(t.Context(), stray, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	sinkerCfg := writeClusterConfig(t, filepath.Join(w.dir, "sinker.yaml"),
		"sinker:\n  resync_period: 1s\n  max_prowjob_age: 1s\n  max_pod_age: 3s\n", specs...)
	sinker := startReady(t, ctx, bin, "sinker", "--config-path", sinkerCfg, "--kubeconfig", env.Kubeconfig,
		"--leader-elect=false", "--metrics-port", "0")
	sinkerLog := collectLog(sinker)
	cleaned := time.Now()
	eventually(t, time.Minute, "no ProwJob and no pod left", func() bool {
		left, err := env.Client.CoreV1().Pods(testPodNS).List(t.Context(), metav1.ListOptions{})
		return err == nil && len(left.Items) == 0 && len(allJobs(t, store)) == 0
	})
	if got := sinkerLog.matching("Deleted pod", testPodNS+"/stray", `"reason":"aged"`); len(got) != 1 {
		t.Errorf("the sinker's log does not say once that it deleted the stray pod as aged:\n%s", sinkerLog.tail(20))
	}
	stopGracefully(t, sinker, "sinker")
	stopGracefully(t, ctrl, "controller")
	stopGracefully(t, hook, "hook")
	if err := pods.failure(); err != nil {
		t.Error(err)
	}
	t.Logf("PR opened → both jobs finished in %s; sinker emptied the namespaces in %s", ran.Round(time.Millisecond), time.Since(cleaned).Round(time.Millisecond))
}

// checkDecoratedPod checks that the job had one pod, decorated, carrying
// its annotations and Prow's labels.
func checkDecoratedPod(t *testing.T, pods *podWatch, pj *prowapi.ProwJob) {
	t.Helper()
	if n := pods.made(pj.Name); n != 1 {
		t.Errorf("job %s had %d pods, want 1", pj.Spec.Job, n)
	}
	pod := pods.pod(pj.Name)
	if pod == nil {
		t.Errorf("job %s has no pod", pj.Spec.Job)
		return
	}
	var inits, containers []string
	for _, c := range pod.Spec.InitContainers {
		inits = append(inits, c.Name)
	}
	for _, c := range pod.Spec.Containers {
		containers = append(containers, c.Name)
	}
	if !slices.Equal(inits, []string{"clonerefs", "initupload", "place-entrypoint"}) || !slices.Equal(containers, []string{"test", "sidecar"}) {
		t.Errorf("pod of %s: init containers %v, containers %v; want a decorated pod", pj.Spec.Job, inits, containers)
	}
	if img := pod.Spec.Containers[len(pod.Spec.Containers)-1].Image; img != "prowbot/prow:e2e" {
		t.Errorf("pod of %s: sidecar image %q, want --utility-image", pj.Spec.Job, img)
	}
	for k, v := range map[string]string{prowapi.CreatedByProw: "true", prowapi.ProwJobIDLabel: pj.Name, prowapi.ProwBuildIDLabel: pj.Status.BuildID} {
		if pod.Labels[k] != v {
			t.Errorf("pod of %s: label %s = %q, want %q", pj.Spec.Job, k, pod.Labels[k], v)
		}
	}
	if pod.Annotations[kubeenv.OutcomeAnnotation] != pj.Annotations[kubeenv.OutcomeAnnotation] || pod.Annotations[kubeenv.OutcomeAnnotation] == "" {
		t.Errorf("pod of %s: annotations %v do not carry the job's %v", pj.Spec.Job, pod.Annotations, pj.Annotations)
	}
}

// baseSHA is the base SHA of pull request n.
func (w *serveWorld) baseSHA(n int) string {
	var pr struct {
		Base struct{ SHA string } `json:"base"`
	}
	w.do("member-token", http.MethodGet, fmt.Sprintf("/repos/demo/hello/pulls/%d", n), nil, &pr)
	return pr.Base.SHA
}
