package podgc

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/kube"
	"github.com/prowbot/prow/jobs/kube/pods"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/kubeenv"
	"github.com/prowbot/prow/test/testlog"
)

// testenv is the control plane the package's tests share; each test
// works in a namespace of its own.
var testenv = kubeenv.NewShared(kubeenv.WithProwJobCRD())

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

// world is a namespace holding ProwJobs and their pods.
type world struct {
	t     *testing.T
	env   *kubeenv.Env
	ns    string
	store *kube.Store
}

func newWorld(t *testing.T) *world {
	t.Helper()
	env := testenv.Env(t)
	ns, err := env.Client.CoreV1().Namespaces().Create(t.Context(),
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "podgc-"}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	store, err := kube.Open(t.Context(), kube.Options{Config: env.Config, Namespace: ns.Name, Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, env: env, ns: ns.Name, store: store}
}

// job records a ProwJob of that name, complete when state is final.
func (w *world) job(name string, state prowapi.ProwJobState) {
	w.t.Helper()
	pj := &prowapi.ProwJob{ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:   prowapi.ProwJobSpec{Type: prowapi.PeriodicJob, Job: "job-" + name, Agent: prowapi.KubernetesAgent},
		Status: prowapi.ProwJobStatus{State: state, StartTime: metav1.Now()}}
	if state.IsFinal() {
		done := metav1.Now()
		pj.Status.CompletionTime = &done
	}
	if _, err := w.store.Create(w.t.Context(), pj); err != nil {
		w.t.Fatal(err)
	}
}

// pod makes a pod for the job of that name (Prow's labels unless
// foreign) that the fake node ends as outcome says.
func (w *world) pod(name, outcome string, foreign bool) {
	w.t.Helper()
	labels := map[string]string{prowapi.CreatedByProw: "true", prowapi.ProwJobIDLabel: name}
	if foreign {
		labels = map[string]string{"app": "not-prow"}
	}
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels,
			Annotations: map[string]string{kubeenv.OutcomeAnnotation: outcome, kubeenv.DelayAnnotation: "100ms"}},
		Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever,
			Containers: []corev1.Container{{Name: "test", Image: "registry.invalid/test:1"}}},
	}
	if _, err := w.env.Client.CoreV1().Pods(w.ns).Create(w.t.Context(), p, metav1.CreateOptions{}); err != nil {
		w.t.Fatal(err)
	}
}

// waitPhase waits until the pod is in phase.
func (w *world) waitPhase(name string, phase corev1.PodPhase) {
	w.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		p, err := w.env.Client.CoreV1().Pods(w.ns).Get(w.t.Context(), name, metav1.GetOptions{})
		if err == nil && p.Status.Phase == phase {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("pod %s never %s (%v)", name, phase, err)
		}
		<-time.After(50 * time.Millisecond)
	}
}

// pods lists the names of the pods left (not being deleted), sorted.
func (w *world) pods() []string {
	w.t.Helper()
	list, err := w.env.Client.CoreV1().Pods(w.ns).List(w.t.Context(), metav1.ListOptions{})
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, p := range list.Items {
		if p.DeletionTimestamp == nil {
			out = append(out, p.Name)
		}
	}
	slices.Sort(out)
	return out
}

func TestCollectorDeletesAgedTerminatedAndOrphanedPods(t *testing.T) {
	w := newWorld(t)
	w.job("running", prowapi.PendingState)
	w.pod("running", kubeenv.OutcomeHang, false)
	w.job("done", prowapi.SuccessState)
	w.pod("done", kubeenv.OutcomeSucceed, false)
	w.job("unread", prowapi.PendingState) // the controller has not seen its pod end
	w.pod("unread", kubeenv.OutcomeFail, false)
	w.pod("orphan", kubeenv.OutcomeHang, false) // its job never existed
	w.pod("foreign", kubeenv.OutcomeHang, true)
	for name, phase := range map[string]corev1.PodPhase{"running": corev1.PodRunning, "done": corev1.PodSucceeded,
		"unread": corev1.PodFailed, "orphan": corev1.PodRunning, "foreign": corev1.PodRunning} {
		w.waitPhase(name, phase)
	}

	cfg := &config.Config{}
	cfg.PodNamespace = w.ns
	cfg.Sinker.MaxPodAge = &metav1.Duration{Duration: time.Hour}
	cfg.Sinker.TerminatedPodTTL = &metav1.Duration{Duration: 10 * time.Minute}
	var later time.Duration // how far the collector's clock is ahead
	gc, err := New(Options{Clusters: pods.Clusters{"default": w.env.Config}, Jobs: w.store, Logger: testlog.Discard(),
		Config: func() *config.Config { return cfg }, Now: func() time.Time { return time.Now().Add(later) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		name     string
		later    time.Duration
		excluded []string
		want     Result
		left     []string
	}{
		{"fresh pods all stay, the orphan within its grace too", 0, nil,
			Result{}, []string{"done", "foreign", "orphan", "running", "unread"}},
		{"past the TTL the finished pod of a complete job goes, and past the grace the orphan", 15 * time.Minute, nil,
			Result{TTLed: 1, Orphaned: 1}, []string{"foreign", "running", "unread"}},
		{"an excluded build cluster is left alone", 2 * time.Hour, []string{"default"},
			Result{}, []string{"foreign", "running", "unread"}},
		{"past max_pod_age every prow pod goes, running or not yet read", 2 * time.Hour, nil,
			Result{Aged: 2}, []string{"foreign"}},
	} {
		// Each step builds on the pods the one before left: a failed step
		// stops the rest.
		if !t.Run(step.name, func(t *testing.T) {
			later, cfg.Sinker.ExcludeClusters = step.later, step.excluded
			got, err := gc.Collect(t.Context())
			if err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			if !equal(got, step.want) {
				t.Errorf("%s: deleted %v, want %v", step.name, got, step.want)
			}
			if left := w.pods(); !slices.Equal(left, step.left) {
				t.Errorf("%s: pods left %v, want %v", step.name, left, step.left)
			}
		}) {
			return
		}
	}
}

// TestCollectorFindsJobsTheCacheHasNotSeen makes a job and its pod right
// after the store's cache was filled: the pod is not taken for an
// orphan, even with no grace at all.
func TestCollectorFindsJobsTheCacheHasNotSeen(t *testing.T) {
	w := newWorld(t)
	other, err := kube.Open(t.Context(), kube.Options{Config: w.env.Config, Namespace: w.ns, Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{}
	cfg.PodNamespace = w.ns
	gc, err := New(Options{Clusters: pods.Clusters{"default": w.env.Config}, Jobs: other, Logger: testlog.Discard(),
		Config: func() *config.Config { return cfg }, OrphanGrace: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		name := "fresh-" + string(rune('a'+i))
		w.job(name, prowapi.PendingState)
		w.pod(name, kubeenv.OutcomeHang, false)
		got, err := gc.Collect(context.Background())
		if err != nil || got.Total() != 0 {
			t.Fatalf("after making %s: deleted %v (%v), want nothing", name, got, err)
		}
	}
}

func equal(a, b Result) bool {
	return a[Aged] == b[Aged] && a[TTLed] == b[TTLed] && a[Orphaned] == b[Orphaned]
}
