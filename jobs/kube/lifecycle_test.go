package kube

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/controller"
	"github.com/prowbot/prow/jobs/kube/pods"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/kubeenv"
	"github.com/prowbot/prow/test/testlog"
)

// cluster is cluster mode running in a namespace of its own: the store,
// the pod runner and the controller.
type cluster struct {
	ns      string
	client  kubernetes.Interface
	store   *Store
	counter *podCounter
}

func runCluster(t *testing.T, env *kubeenv.Env, plank config.Plank) *cluster {
	t.Helper()
	ns := namespace(t, env)
	store := openStore(t, env, ns)
	cfg := &config.Config{}
	cfg.Plank = plank
	getter := func() *config.Config { return cfg }
	runner := openRunner(t, env, ns, store, pods.Options{Config: getter})
	c := &cluster{ns: ns, client: env.Client, store: store, counter: countPods(t, env.Client, ns)}
	ctl, err := controller.New(controller.Options{Store: store, Runner: runner, Config: getter, Logger: testlog.Discard(), Resync: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := ctl.Run(ctx); err != nil {
			t.Errorf("controller: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return c
}

// waitJob waits, on the store's watch, until cond holds of the job.
func (c *cluster) waitJob(t *testing.T, name, what string, cond func(*prowapi.ProwJob) bool) *prowapi.ProwJob {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	events, err := c.store.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for ev := range events {
		if ev.Job.Name == name && ev.Type != jobs.Deleted && cond(ev.Job) {
			return ev.Job
		}
	}
	pj, err := c.store.Get(context.Background(), name)
	t.Fatalf("job %s never %s; it is %+v (%v)", name, what, pj, err)
	return nil
}

func (c *cluster) waitFinal(t *testing.T, name string) *prowapi.ProwJob {
	t.Helper()
	return c.waitJob(t, name, "finished", func(pj *prowapi.ProwJob) bool { return pj.Complete() })
}

// waitPodRunning waits until the job's pod number n (1 for the first)
// runs and the job records it.
func (c *cluster) waitPodRunning(t *testing.T, name string, n int) *corev1.Pod {
	t.Helper()
	var pod *corev1.Pod
	c.counter.waitFor(t, "pod "+name+" runs", time.Minute, func(c *podCounter) bool {
		pod = c.latest[name]
		return c.added[name] >= n && pod != nil && pod.Status.Phase == corev1.PodRunning
	})
	c.waitJob(t, name, "recorded its pod", func(pj *prowapi.ProwJob) bool { return pj.Status.PodName != "" })
	return pod
}

// setPodStatus changes the pod's status as a kubelet or the cluster
// would.
func (c *cluster) setPodStatus(t *testing.T, name string, change func(*corev1.PodStatus)) {
	t.Helper()
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		pod, err := c.client.CoreV1().Pods(c.ns).Get(context.Background(), name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		change(&pod.Status)
		_, err = c.client.CoreV1().Pods(c.ns).UpdateStatus(context.Background(), pod, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		t.Fatalf("change the status of pod %s: %v", name, err)
	}
}

func evict(st *corev1.PodStatus) {
	st.Phase, st.Reason, st.Message = corev1.PodFailed, "Evicted", "The node was low on resource: memory."
}

func oomKill(st *corev1.PodStatus) {
	st.Phase = corev1.PodFailed
	for i := range st.ContainerStatuses {
		st.ContainerStatuses[i].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: 137, Reason: "OOMKilled", StartedAt: metav1.Now(), FinishedAt: metav1.Now()}}
	}
}

func TestPodsOnARealCluster(t *testing.T) {
	env := testenv.Env(t)
	one := 1
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, c *cluster)
	}{
		{"an evicted pod is made again until max_revivals, then the job errors", func(t *testing.T, c *cluster) {
			pj := mustCreate(t, c, kwokJob("evicted", c.ns, kubeenv.OutcomeHang, 1))
			c.waitPodRunning(t, pj.Name, 1)
			c.setPodStatus(t, pj.Name, evict)
			c.waitPodRunning(t, pj.Name, 2)
			if got := c.waitJob(t, pj.Name, "revived", func(pj *prowapi.ProwJob) bool { return pj.Status.PodName != "" && pj.Status.PodRevivalCount == 1 }); got.Complete() {
				t.Fatalf("the revived job finished: %+v", got.Status)
			}
			c.setPodStatus(t, pj.Name, evict)
			done := c.waitFinal(t, pj.Name)
			want := "Job pod reached max revivals (1) after being stopped unexpectedly (evicted)"
			if done.Status.State != prowapi.ErrorState || done.Status.Description != want {
				t.Errorf("job ended %s %q, want error %q", done.Status.State, done.Status.Description, want)
			}
			if n := c.counter.runs(pj); n != 2 {
				t.Errorf("%d pods made, want 2", n)
			}
		}},
		{"an evicted pod of a job with error_on_eviction errors the job", func(t *testing.T, c *cluster) {
			job := kwokJob("strict", c.ns, kubeenv.OutcomeHang, 2)
			job.Spec.ErrorOnEviction = true
			pj := mustCreate(t, c, job)
			c.waitPodRunning(t, pj.Name, 1)
			c.setPodStatus(t, pj.Name, evict)
			expectEnd(t, c.waitFinal(t, pj.Name), prowapi.ErrorState, pods.DescEvicted)
		}},
		{"an OOM-killed pod errors the job", func(t *testing.T, c *cluster) {
			pj := mustCreate(t, c, kwokJob("oom", c.ns, kubeenv.OutcomeHang, 3))
			c.waitPodRunning(t, pj.Name, 1)
			c.setPodStatus(t, pj.Name, oomKill)
			expectEnd(t, c.waitFinal(t, pj.Name), prowapi.ErrorState, pods.DescOOMKilled)
		}},
		{"a pod someone deletes errors the job", func(t *testing.T, c *cluster) {
			pj := mustCreate(t, c, kwokJob("deleted", c.ns, kubeenv.OutcomeHang, 4))
			c.waitPodRunning(t, pj.Name, 1)
			if err := c.client.CoreV1().Pods(c.ns).Delete(context.Background(), pj.Name, metav1.DeleteOptions{}); err != nil {
				t.Fatal(err)
			}
			expectEnd(t, c.waitFinal(t, pj.Name), prowapi.ErrorState, pods.DescDeleted)
			if n := c.counter.runs(pj); n != 1 {
				t.Errorf("%d pods made, want 1", n)
			}
		}},
		{"a job for a build cluster nobody configured errors", func(t *testing.T, c *cluster) {
			job := kwokJob("nowhere", c.ns, kubeenv.OutcomeSucceed, 5)
			job.Spec.Cluster = "build99"
			done := c.waitFinal(t, mustCreate(t, c, job).Name)
			if done.Status.State != prowapi.ErrorState || !strings.Contains(done.Status.Description, `build cluster "build99"`) {
				t.Errorf("job ended %s %q, want an error naming the cluster", done.Status.State, done.Status.Description)
			}
		}},
		{"the pod carries Prow's labels and the job's annotations", func(t *testing.T, c *cluster) {
			pj := mustCreate(t, c, kwokJob("labeled", c.ns, kubeenv.OutcomeHang, 6))
			pod := c.waitPodRunning(t, pj.Name, 1)
			running := c.waitJob(t, pj.Name, "recorded its pod", func(pj *prowapi.ProwJob) bool { return pj.Status.PodName != "" })
			for k, v := range map[string]string{prowapi.CreatedByProw: "true", prowapi.ProwJobIDLabel: pj.Name, prowapi.ProwBuildIDLabel: running.Status.BuildID,
				prowapi.ProwJobAnnotation: "kube-labeled", prowapi.ProwJobTypeLabel: "presubmit", prowapi.OrgLabel: "org", prowapi.RepoLabel: "repo", prowapi.PullLabel: "6"} {
				if pod.Labels[k] != v {
					t.Errorf("pod label %s = %q, want %q", k, pod.Labels[k], v)
				}
			}
			if pod.Annotations[kubeenv.OutcomeAnnotation] != kubeenv.OutcomeHang || pod.Annotations[prowapi.ProwJobAnnotation] != "kube-labeled" {
				t.Errorf("pod annotations %v", pod.Annotations)
			}
			if running.Status.PodName != pj.Name || running.Status.BuildID == "" {
				t.Errorf("job status %+v, want its pod name and build ID", running.Status)
			}
		}},
		{"a job is written twice: pending with its pod, then final", func(t *testing.T, c *cluster) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			events, err := c.store.Watch(ctx)
			if err != nil {
				t.Fatal(err)
			}
			pj := mustCreate(t, c, kwokJob("twice", c.ns, kubeenv.OutcomeSucceed, 7))
			var versions []prowapi.ProwJobStatus
			for ev := range events {
				if ev.Job.Name != pj.Name || ev.Type != jobs.Modified {
					continue
				}
				versions = append(versions, ev.Job.Status)
				if ev.Job.Complete() {
					break
				}
			}
			if len(versions) != 2 {
				t.Fatalf("the job was written %d times after its creation, want 2 (pending, final): %+v", len(versions), versions)
			}
			pending := versions[0]
			if pending.State != prowapi.PendingState || pending.PodName != pj.Name || pending.BuildID == "" {
				t.Errorf("first write %+v, want pending with its pod name and build ID", pending)
			}
			if versions[1].State != prowapi.SuccessState {
				t.Errorf("second write %+v, want success", versions[1])
			}
		}},
		{"a pod made before the job was written pending is kept, with its build ID", func(t *testing.T, c *cluster) {
			job := kwokJob("adopted", c.ns, kubeenv.OutcomeHang, 8)
			pod, err := pods.PlainPod(job)
			if err != nil {
				t.Fatal(err)
			}
			pod.Name, pod.Namespace = job.Name, c.ns
			pod.Labels = pods.Labels(job)
			pod.Labels[prowapi.ProwBuildIDLabel] = "4242"
			if _, err := c.client.CoreV1().Pods(c.ns).Create(context.Background(), pod, metav1.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
			pj := mustCreate(t, c, job)
			got := c.waitJob(t, pj.Name, "pending", func(pj *prowapi.ProwJob) bool { return pj.Status.State == prowapi.PendingState })
			if got.Status.BuildID != "4242" || got.Status.PodName != pj.Name {
				t.Errorf("job status %+v, want the existing pod's build ID 4242 and its name", got.Status)
			}
			c.counter.mu.Lock()
			n := c.counter.added[pj.Name]
			c.counter.mu.Unlock()
			if n != 1 {
				t.Errorf("%d pods made, want the one that existed", n)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, runCluster(t, env, config.Plank{MaxRevivals: &one}))
		})
	}
}

func mustCreate(t *testing.T, c *cluster, pj *prowapi.ProwJob) *prowapi.ProwJob {
	t.Helper()
	out, err := c.store.Create(context.Background(), pj)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func expectEnd(t *testing.T, pj *prowapi.ProwJob, state prowapi.ProwJobState, desc string) {
	t.Helper()
	if pj.Status.State != state || pj.Status.Description != desc {
		t.Errorf("job ended %s %q, want %s %q", pj.Status.State, pj.Status.Description, state, desc)
	}
}
