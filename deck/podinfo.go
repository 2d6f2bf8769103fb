package deck

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/client-go/kubernetes"

	"github.com/prowbot/prow/deck/lens"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// maxPodEvents is the most events the pod lens lists.
const maxPodEvents = 200

// KubePodInfo reads a job's pod and its events from the cluster c
// reaches (the default build cluster): the pod lens's source for builds
// without podinfo.json, while the pod exists. namespace is the pod
// namespace of the configuration in force, used when the job names none.
// Jobs of other build clusters have no pod here.
func KubePodInfo(c kubernetes.Interface, namespace func() string) PodInfoFunc {
	return func(ctx context.Context, pj *prowapi.ProwJob) (*lens.PodInfo, error) {
		if pj.Spec.Cluster != "" && pj.Spec.Cluster != prowapi.DefaultClusterAlias {
			return nil, nil
		}
		ns, name := pj.Spec.Namespace, pj.Status.PodName
		if ns == "" {
			ns = namespace()
		}
		if name == "" {
			name = pj.Name
		}
		pod, err := c.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return nil, fmt.Errorf("get pod %s/%s: %w", ns, name, err)
		}
		sel := fields.AndSelectors(fields.OneTermEqualSelector("involvedObject.kind", "Pod"),
			fields.OneTermEqualSelector("involvedObject.name", name)).String()
		evs, err := c.CoreV1().Events(ns).List(ctx, metav1.ListOptions{FieldSelector: sel, Limit: maxPodEvents})
		if err != nil {
			return nil, fmt.Errorf("list events of pod %s/%s: %w", ns, name, err)
		}
		pi := &lens.PodInfo{Pod: pod}
		for _, e := range evs.Items {
			if e.InvolvedObject.UID == "" || e.InvolvedObject.UID == pod.UID {
				pi.Events = append(pi.Events, e)
			}
		}
		return pi, nil
	}
}
