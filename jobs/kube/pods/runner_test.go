package pods

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/memstore"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/kubeenv"
	"github.com/prowbot/prow/test/testlog"
)

// kubeconfigFor writes a kubeconfig with a context per env, named by the
// map's keys; current is the current context.
func kubeconfigFor(t *testing.T, current string, envs map[string]*kubeenv.Env) string {
	t.Helper()
	return writeContexts(t, current, envs, func(_ string, env *kubeenv.Env) (*clientcmdapi.Cluster, *clientcmdapi.AuthInfo) {
		return &clientcmdapi.Cluster{Server: env.Config.Host, CertificateAuthorityData: env.Config.CAData}, &clientcmdapi.AuthInfo{Token: env.Config.BearerToken}
	})
}

// TestRunnerPicksTheBuildClusterByContext runs jobs against two real
// control planes named by the contexts of one kubeconfig: the current
// context is the default cluster, another is build01.
func TestRunnerPicksTheBuildClusterByContext(t *testing.T) {
	home, build01 := kubeenv.Start(t), kubeenv.Start(t)
	clusters, err := LoadClusters(kubeconfigFor(t, "main", map[string]*kubeenv.Env{"main": home, "build01": build01}))
	if err != nil {
		t.Fatal(err)
	}
	store := memstore.New()
	r, err := Open(t.Context(), Options{Clusters: clusters, Jobs: store, PodNamespace: "default", Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, job, cluster string
		in, notIn          kubernetes.Interface
	}{
		{"a job that names no cluster runs in the current context", "no-cluster", "", home.Client, build01.Client},
		{"a job for default runs in the current context", "default-cluster", "default", home.Client, build01.Client},
		{"a job for build01 runs in the context of that name", "build01-cluster", "build01", build01.Client, home.Client},
		{"a job for the current context's own name runs there", "main-cluster", "main", home.Client, build01.Client},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			pj := hangingJob(tc.job, tc.cluster)
			pj, err := store.Create(ctx, pj)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 { // starting twice makes one pod
				if err := r.Start(ctx, pj); err != nil {
					t.Fatalf("start: %v", err)
				}
			}
			pod, err := tc.in.CoreV1().Pods("default").Get(ctx, pj.Name, metav1.GetOptions{})
			if err != nil {
				t.Fatalf("the pod is not in the job's cluster: %v", err)
			}
			if pod.Labels[prowapi.CreatedByProw] != "true" || pod.Labels[prowapi.ProwJobIDLabel] != pj.Name {
				t.Errorf("pod labels %v", pod.Labels)
			}
			if _, err := tc.notIn.CoreV1().Pods("default").Get(ctx, pj.Name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				t.Errorf("the pod is in the other cluster too: %v", err)
			}
			if st, err := r.Status(ctx, pj); err != nil || st.Phase.Done() || st.Phase == jobs.RunUnknown {
				t.Errorf("status of a started run = %+v, %v", st, err)
			}
			recorded, err := store.Get(ctx, pj.Name)
			if err != nil || recorded.Status.PodName != pj.Name {
				t.Fatalf("the job does not record its pod once its status is known: %+v, %v", recorded.Status, err)
			}
			if err := r.Stop(ctx, recorded); err != nil {
				t.Fatalf("stop: %v", err)
			}
			if err := r.Stop(ctx, recorded); err != nil {
				t.Fatalf("stop again: %v", err)
			}
			if p, err := tc.in.CoreV1().Pods("default").Get(ctx, pj.Name, metav1.GetOptions{}); err == nil && p.DeletionTimestamp == nil {
				t.Error("the stopped job's pod is not being deleted")
			}
		})
	}
}

func hangingJob(name, cluster string) *prowapi.ProwJob {
	return &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{kubeenv.OutcomeAnnotation: kubeenv.OutcomeHang}},
		Spec: prowapi.ProwJobSpec{Type: prowapi.PeriodicJob, Job: "periodic-" + name, Cluster: cluster,
			PodSpec: &corev1.PodSpec{Containers: []corev1.Container{{Image: "registry.invalid/test:1"}}}},
		Status: prowapi.ProwJobStatus{State: prowapi.PendingState, BuildID: "1", StartTime: metav1.Now()},
	}
}

// TestStartRejectsWhatItCannotRun covers jobs that never reach a cluster.
func TestStartRejectsWhatItCannotRun(t *testing.T) {
	r := &Runner{opts: Options{BuildPod: PlainPod, PodNamespace: "default"}, clusters: map[string]*cluster{"default": {alias: "default"}}}
	for _, tc := range []struct {
		name string
		pj   *prowapi.ProwJob
	}{
		{"a job for an unknown cluster", hangingJob("lost", "build99")},
		{"a job without a pod_spec", func() *prowapi.ProwJob { pj := hangingJob("empty", ""); pj.Spec.PodSpec = nil; return pj }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := r.Start(context.Background(), tc.pj); err == nil {
				t.Error("started")
			}
			if err := r.Stop(context.Background(), hangingJob("lost", "build99")); err != nil {
				t.Errorf("stopping a job of an unknown cluster: %v", err)
			}
		})
	}
}

func TestStatusOfAJobForAnUnknownCluster(t *testing.T) {
	r := &Runner{opts: Options{BuildPod: PlainPod, PodNamespace: "default"}, clusters: map[string]*cluster{"default": {alias: "default"}}}
	for _, tc := range []struct {
		name    string
		podName string
		want    jobs.RunStatus
	}{
		{"a job never started has no run, so that Start says why", "", jobs.RunStatus{Phase: jobs.RunUnknown}},
		{"a job whose pod was made there is an error", "lost", jobs.RunStatus{Phase: jobs.RunError, Message: `Build cluster "build99" is not configured.`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pj := hangingJob("lost", "build99")
			pj.Status.PodName = tc.podName
			if got, err := r.Status(context.Background(), pj); err != nil || got != tc.want {
				t.Errorf("Status = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}
