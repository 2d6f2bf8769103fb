package kubeenv

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
)

// WatchPods lists the pods of namespace ns and watches them from that
// list on until the test ends. A plain watch ends when the API server
// finds it slow; this one resumes where it broke off, so no pod made
// after the list is missed. The caller reads the watch's events and
// stops it.
func WatchPods(t testing.TB, client kubernetes.Interface, ns string) (*corev1.PodList, watch.Interface) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	pods := client.CoreV1().Pods(ns)
	list, err := pods.List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatalf("list the pods of %s: %v", ns, err)
	}
	w, err := watchtools.NewRetryWatcherWithContext(ctx, list.ResourceVersion, &cache.ListWatch{
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) { return pods.Watch(ctx, o) },
	})
	if err != nil {
		t.Fatalf("watch the pods of %s: %v", ns, err)
	}
	return list, w
}
