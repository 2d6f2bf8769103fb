package kube

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"

	"github.com/prowbot/prow/jobs/kube/pods"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/kubeenv"
	"github.com/prowbot/prow/test/testlog"
)

// testenv is the control plane the package's tests share; each test
// works in namespaces of its own.
var testenv = kubeenv.NewShared(kubeenv.WithProwJobCRD())

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

// namespace makes a fresh namespace for one test.
func namespace(t testing.TB, env *kubeenv.Env) string {
	t.Helper()
	ns, err := env.Client.CoreV1().Namespaces().Create(context.Background(),
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "prow-"}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("create a namespace: %v", err)
	}
	return ns.Name
}

// openStore opens a store of the ProwJobs of ns until the test ends.
func openStore(t testing.TB, env *kubeenv.Env, ns string) *Store {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s, err := Open(ctx, Options{Config: env.Config, Namespace: ns, Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// openRunner opens a pod runner over the default cluster for pods in ns.
func openRunner(t testing.TB, env *kubeenv.Env, ns string, store *Store, o pods.Options) *pods.Runner {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	o.Clusters, o.Jobs, o.PodNamespace, o.WatchNamespace, o.Logger = pods.Clusters{"default": env.Config}, store, ns, ns, testlog.Discard()
	r, err := pods.Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// podCounter counts the pods made in a namespace, by name, from a watch
// started before the first: each ADDED event is one pod made.
type podCounter struct {
	mu    sync.Mutex
	added map[string]int
	// ended holds the pods seen Succeeded, Failed or deleted.
	ended   map[string]bool
	changed chan struct{}
	// first is when each pod was first seen.
	first map[string]time.Time
	// latest is the last state of each pod (nil once deleted).
	latest map[string]*corev1.Pod
}

func countPods(t testing.TB, client kubernetes.Interface, ns string) *podCounter {
	t.Helper()
	_, w := kubeenv.WatchPods(t, client, ns)
	c := &podCounter{added: map[string]int{}, ended: map[string]bool{}, first: map[string]time.Time{},
		latest: map[string]*corev1.Pod{}, changed: make(chan struct{})}
	go func() {
		defer w.Stop()
		for ev := range w.ResultChan() {
			c.see(ev)
		}
	}()
	return c
}

func (c *podCounter) see(ev watch.Event) {
	pod, ok := ev.Object.(*corev1.Pod)
	if !ok {
		return
	}
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	switch ev.Type {
	case watch.Added:
		c.added[pod.Name]++
		if _, ok := c.first[pod.Name]; !ok {
			c.first[pod.Name] = now
		}
	case watch.Deleted:
		c.ended[pod.Name] = true
	}
	c.latest[pod.Name] = pod
	if ev.Type == watch.Deleted {
		c.latest[pod.Name] = nil
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		c.ended[pod.Name] = true
	}
	close(c.changed)
	c.changed = make(chan struct{})
}

// runs says how many pods the job had, once the watch has seen its
// last pod end (or after a guard of 20 s, for a pod that never ended).
func (c *podCounter) runs(pj *prowapi.ProwJob) int {
	guard := time.NewTimer(20 * time.Second)
	defer guard.Stop()
	for {
		c.mu.Lock()
		n, ended, changed := c.added[pj.Name], c.ended[pj.Name], c.changed
		c.mu.Unlock()
		if ended {
			return n
		}
		select {
		case <-changed:
		case <-guard.C:
			return n
		}
	}
}

// waitFor waits until cond holds of the counter, failing t after the
// guard.
func (c *podCounter) waitFor(t testing.TB, what string, guard time.Duration, cond func(c *podCounter) bool) {
	t.Helper()
	timer := time.NewTimer(guard)
	defer timer.Stop()
	for {
		c.mu.Lock()
		ok, changed := cond(c), c.changed
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case <-timer.C:
			t.Fatalf("%s: not within %s", what, guard)
		}
	}
}

// kwokJob is a presubmit of org/repo#pull running in ns whose pod the
// fake node ends as outcome says.
func kwokJob(name, ns, outcome string, pull int) *prowapi.ProwJob {
	return &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{prowapi.CreatedByProw: "true"},
			Annotations: map[string]string{kubeenv.OutcomeAnnotation: outcome, kubeenv.DelayAnnotation: "300ms"}},
		Spec: prowapi.ProwJobSpec{
			Type: prowapi.PresubmitJob, Agent: prowapi.KubernetesAgent, Job: "kube-" + name, Context: "kube-" + name, Namespace: ns,
			Refs: &prowapi.Refs{Org: "org", Repo: "repo", BaseRef: "main", BaseSHA: "0000000000000000000000000000000000000000",
				Pulls: []prowapi.Pull{{Number: pull, Author: "alice", SHA: "1111111111111111111111111111111111111111"}}},
			PodSpec: &corev1.PodSpec{Containers: []corev1.Container{{Name: "test", Image: "registry.invalid/test:1", Command: []string{"true"}}}},
		},
		Status: prowapi.ProwJobStatus{State: prowapi.TriggeredState, StartTime: metav1.Now()},
	}
}
