package deck_test

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/prowbot/prow/deck"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/test/kubeenv"
)

// TestPodLensReadsThePodLive: in cluster mode, a build without
// podinfo.json shows its pod as the API server has it: phase, exit codes
// and events; a job whose pod is gone shows no pod lens.
func TestPodLensReadsThePodLive(t *testing.T) {
	env := kubeenv.Start(t)
	ctx := t.Context()
	const ns = "test-pods"
	if _, err := env.Client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "pj-live-pod", Namespace: ns,
		Annotations: map[string]string{kubeenv.OutcomeAnnotation: "fail", kubeenv.ExitCodeAnnotation: "3"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "test", Image: "busybox"}}}}
	if _, err := env.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	ev := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "pj-live-pod.oom", Namespace: ns},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "pj-live-pod", Namespace: ns},
		Type:           "Warning", Reason: "TestOOM", Message: "the test ran out of <memory>", Count: 1, LastTimestamp: metav1.Now(),
		Source: corev1.EventSource{Component: "kubelet"}}
	if _, err := env.Client.CoreV1().Events(ns).Create(ctx, ev, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	err := wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
		p, err := env.Client.CoreV1().Pods(ns).Get(ctx, pod.Name, metav1.GetOptions{})
		return err == nil && p.Status.Phase == corev1.PodFailed, err
	})
	if err != nil {
		t.Fatalf("the pod never failed: %v", err)
	}

	f := newFixture(t, func(o *deck.Options) {
		o.PodInfo = deck.KubePodInfo(env.Client, func() string { return ns })
	})
	for _, name := range []string{"pj-live-pod", "pj-gone-pod"} {
		pj := f.job(name, "pull-widget-pod", prowapi.FailureState, "acme", "widget", 15, name)
		if _, err := f.store.Create(context.Background(), pj); err != nil {
			t.Fatal(err)
		}
		dir := "pr-logs/pull/acme_widget/15/pull-widget-pod/" + name
		f.writeJSON(dir+"/prowjob.json", pj)
		f.writeJSON(dir+"/started.json", storage.Started{Timestamp: time.Now().Unix()})
	}

	rec := f.do("GET", "/view/local/pr-logs/pull/acme_widget/15/pull-widget-pod/pj-live-pod", "", nil)
	s := section(t, rec.Body.String(), "podinfo")
	for _, want := range []string{"test-pods/pj-live-pod", "Failed", kubeenv.NodeName, "test", "terminated", "<td class=\"num\">3</td>", "TestOOM", "the test ran out of &lt;memory&gt;"} {
		if !strings.Contains(s, want) {
			t.Errorf("pod lens lacks %q:\n%s", want, s)
		}
	}
	rec = f.do("GET", "/view/local/pr-logs/pull/acme_widget/15/pull-widget-pod/pj-gone-pod", "", nil)
	if order := strings.Join(lensOrder(rec.Body.String()), ","); order != "metadata" {
		t.Errorf("a job whose pod is gone shows lenses %s, want metadata only", order)
	}
}
