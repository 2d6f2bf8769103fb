package kubeenv_test

import (
	"context"
	"os"
	"regexp"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/prowbot/prow/test/kubeenv"
)

var kube = kubeenv.NewShared(kubeenv.WithExtraContexts("other-cluster"))

func TestMain(m *testing.M) { os.Exit(kube.Run(m)) }

func TestPodsEndAsTheirAnnotationsSay(t *testing.T) {
	start := time.Now()
	env := kube.Env(t)
	t.Logf("control plane ready in %s", time.Since(start).Round(time.Millisecond))
	env.InstallProwJobCRD(t)
	ctx := t.Context()

	ns := "outcomes"
	if _, err := env.Client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create namespace: %v", err)
	}
	cases := []struct {
		name        string
		annotations map[string]string
		wantPhase   corev1.PodPhase
		wantExit    int32 // of the container, when terminated
		terminal    bool
	}{
		{name: "succeeds by default", wantPhase: corev1.PodSucceeded, wantExit: 0, terminal: true},
		{name: "fails with exit code 1", annotations: map[string]string{kubeenv.OutcomeAnnotation: kubeenv.OutcomeFail}, wantPhase: corev1.PodFailed, wantExit: 1, terminal: true},
		{name: "fails with the exit code asked for", annotations: map[string]string{kubeenv.OutcomeAnnotation: kubeenv.OutcomeFail, kubeenv.ExitCodeAnnotation: "3", kubeenv.DelayAnnotation: "100ms"}, wantPhase: corev1.PodFailed, wantExit: 3, terminal: true},
		{name: "hangs running", annotations: map[string]string{kubeenv.OutcomeAnnotation: kubeenv.OutcomeHang}, wantPhase: corev1.PodRunning},
		{name: "stays pending", annotations: map[string]string{kubeenv.OutcomeAnnotation: kubeenv.OutcomePending}, wantPhase: corev1.PodPending},
	}
	names := make([]string, len(cases))
	for i, tc := range cases {
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{GenerateName: "pod-", Annotations: tc.annotations},
			Spec: corev1.PodSpec{
				RestartPolicy: corev1.RestartPolicyNever,
				Containers:    []corev1.Container{{Name: "test", Image: "kubeenv-test-image"}},
			},
		}
		created, err := env.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{})
		if err != nil {
			t.Fatalf("create pod that %s: %v", tc.name, err)
		}
		names[i] = created.Name
	}

	// The pods that end do so after their delay; once they have, the
	// others have had as long to end and must not have.
	for i, tc := range cases {
		if !tc.terminal {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			pod := waitForPod(t, env.Client, ns, names[i], func(p *corev1.Pod) bool {
				return p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed
			})
			if pod.Status.Phase != tc.wantPhase {
				t.Fatalf("phase %s, want %s", pod.Status.Phase, tc.wantPhase)
			}
			if len(pod.Status.ContainerStatuses) != 1 || pod.Status.ContainerStatuses[0].State.Terminated == nil {
				t.Fatalf("container statuses %+v, want one terminated", pod.Status.ContainerStatuses)
			}
			if got := pod.Status.ContainerStatuses[0].State.Terminated.ExitCode; got != tc.wantExit {
				t.Errorf("exit code %d, want %d", got, tc.wantExit)
			}
		})
	}
	for i, tc := range cases {
		if tc.terminal {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			pod := waitForPod(t, env.Client, ns, names[i], func(p *corev1.Pod) bool { return p.Spec.NodeName != "" && p.Status.Phase == tc.wantPhase })
			if pod.Spec.NodeName != kubeenv.NodeName {
				t.Errorf("scheduled to %q, want %q", pod.Spec.NodeName, kubeenv.NodeName)
			}
			if tc.wantPhase == corev1.PodRunning && (len(pod.Status.ContainerStatuses) != 1 || pod.Status.ContainerStatuses[0].State.Running == nil) {
				t.Errorf("container statuses %+v, want one running", pod.Status.ContainerStatuses)
			}
		})
	}

	t.Run("a deleted pod disappears", func(t *testing.T) {
		hanging := names[3]
		if err := env.Client.CoreV1().Pods(ns).Delete(ctx, hanging, metav1.DeleteOptions{}); err != nil {
			t.Fatalf("delete pod: %v", err)
		}
		err := wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
			_, err := env.Client.CoreV1().Pods(ns).Get(ctx, hanging, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				return true, nil
			}
			return false, err
		})
		if err != nil {
			t.Fatalf("pod %s still there: %v", hanging, err)
		}
	})

	t.Run("ProwJobs are served", func(t *testing.T) {
		client, err := dynamic.NewForConfig(env.Config)
		if err != nil {
			t.Fatal(err)
		}
		prowjobs := schema.GroupVersionResource{Group: "prow.k8s.io", Version: "v1", Resource: "prowjobs"}
		if _, err := client.Resource(prowjobs).Namespace(ns).List(ctx, metav1.ListOptions{}); err != nil {
			t.Fatalf("list prowjobs: %v", err)
		}
	})
}

func TestKubeconfigHasEveryContext(t *testing.T) {
	env := kube.Env(t)
	for _, name := range []string{kubeenv.DefaultContext, "other-cluster"} {
		t.Run(name, func(t *testing.T) {
			cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
				&clientcmd.ClientConfigLoadingRules{ExplicitPath: env.Kubeconfig},
				&clientcmd.ConfigOverrides{CurrentContext: name},
			).ClientConfig()
			if err != nil {
				t.Fatalf("load context %s: %v", name, err)
			}
			client, err := kubernetes.NewForConfig(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := client.CoreV1().Nodes().Get(t.Context(), kubeenv.NodeName, metav1.GetOptions{}); err != nil {
				t.Fatalf("get the fake node through context %s: %v", name, err)
			}
		})
	}
}

func TestStartedControlPlaneStopsWithTheTest(t *testing.T) {
	var env *kubeenv.Env
	t.Run("start", func(t *testing.T) {
		start := time.Now()
		env = kubeenv.Start(t, kubeenv.WithContextName("solo"))
		t.Logf("control plane ready in %s", time.Since(start).Round(time.Millisecond))
		if env.Context != "solo" {
			t.Errorf("context %q, want solo", env.Context)
		}
		if _, err := env.Client.Discovery().ServerVersion(); err != nil {
			t.Fatalf("server version: %v", err)
		}
	})
	if env == nil {
		t.FailNow()
	}
	// The subtest's cleanup stopped it.
	if _, err := env.Client.Discovery().ServerVersion(); err == nil {
		t.Fatal("the apiserver still answers after its test ended")
	}
}

func TestVersionsMatchBuildScript(t *testing.T) {
	script, err := os.ReadFile("../../hack/kube-testenv/build.sh")
	if err != nil {
		t.Fatal(err)
	}
	for variable, want := range map[string]string{
		"KUBE_VERSION": kubeenv.KubeVersion,
		"ETCD_VERSION": kubeenv.EtcdVersion,
		"KWOK_VERSION": kubeenv.KwokVersion,
	} {
		m := regexp.MustCompile(variable + `="\$\{` + variable + `:-([^}]+)\}"`).FindSubmatch(script)
		if m == nil {
			t.Errorf("build.sh sets no default %s", variable)
			continue
		}
		if string(m[1]) != want {
			t.Errorf("build.sh builds %s %s, kubeenv looks for %s", variable, m[1], want)
		}
	}
}

// waitForPod polls the pod until done says so.
func waitForPod(t *testing.T, client kubernetes.Interface, ns, name string, done func(*corev1.Pod) bool) *corev1.Pod {
	t.Helper()
	var pod *corev1.Pod
	err := wait.PollUntilContextTimeout(t.Context(), 50*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
		var err error
		pod, err = client.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		return done(pod), nil
	})
	if err != nil && pod == nil {
		t.Fatalf("pod %s/%s: %v", ns, name, err)
	}
	if err != nil {
		t.Fatalf("pod %s/%s: %v; last seen: phase %q, node %q, statuses %+v", ns, name, err, pod.Status.Phase, pod.Spec.NodeName, pod.Status.ContainerStatuses)
	}
	return pod
}
