package pods

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/sirupsen/logrus"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Client-side rate limits used when a cluster's rest.Config sets none:
// client-go's own default (5 queries per second) would throttle the
// runner.
const (
	DefaultQPS   = 200
	DefaultBurst = 400
)

// prowPods selects the pods the runner made.
var prowPods = prowapi.CreatedByProw + "=true"

// cluster is one build cluster: a client and a cache of Prow's pods.
type cluster struct {
	alias string
	// namespace is the one the cache watches ("" for all).
	namespace string
	client    kubernetes.Interface
	informer  cache.SharedIndexInformer
	synced    atomic.Bool
	// made holds the pods this runner made that the cache has not seen
	// yet, by namespace/name, so that a run's status right after its
	// start needs no request.
	made sync.Map
}

// newCluster makes the client and the pod cache of a build cluster and
// starts the cache, which runs until ctx ends. namespace limits the
// cache ("" watches every namespace).
func newCluster(ctx context.Context, alias string, cfg *rest.Config, namespace string, log *logrus.Entry) (*cluster, error) {
	cfg = rest.CopyConfig(cfg)
	if cfg.QPS == 0 {
		cfg.QPS, cfg.Burst = DefaultQPS, DefaultBurst
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "prow-pod-runner"
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("make a client for build cluster %s: %w", alias, err)
	}
	pods := client.CoreV1().Pods(namespace)
	c := &cluster{alias: alias, namespace: namespace, client: client}
	c.informer = cache.NewSharedIndexInformer(&cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			o.LabelSelector = prowPods
			return pods.List(ctx, o)
		},
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			o.LabelSelector = prowPods
			return pods.Watch(ctx, o)
		},
	}, &corev1.Pod{}, 0, cache.Indexers{})
	if err := c.informer.SetTransform(trimPod); err != nil {
		return nil, fmt.Errorf("set up the pod cache of build cluster %s: %w", alias, err)
	}
	if err := c.informer.SetWatchErrorHandlerWithContext(func(_ context.Context, _ *cache.Reflector, err error) {
		log.WithError(err).WithField("cluster", alias).Warn("The pod watch broke; listing again")
	}); err != nil {
		return nil, fmt.Errorf("set up the pod cache of build cluster %s: %w", alias, err)
	}
	if _, err := c.informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			if pod, ok := obj.(*corev1.Pod); ok {
				c.made.Delete(pod.Namespace + "/" + pod.Name)
			}
		},
	}); err != nil {
		return nil, fmt.Errorf("set up the pod cache of build cluster %s: %w", alias, err)
	}
	go c.informer.RunWithContext(ctx)
	return c, nil
}

// create makes the pod; a pod of that name that exists already is kept.
func (c *cluster) create(ctx context.Context, pod *corev1.Pod) error {
	made, err := c.client.CoreV1().Pods(pod.Namespace).Create(ctx, pod, metav1.CreateOptions{})
	switch {
	case apierrors.IsAlreadyExists(err):
		return nil
	case err != nil:
		return err
	}
	key := made.Namespace + "/" + made.Name
	if _, cached, _ := c.informer.GetIndexer().GetByKey(key); !cached && c.watches(made.Namespace) {
		c.made.Store(key, made)
	}
	return nil
}

// watches says whether the cache holds the pods of the namespace.
func (c *cluster) watches(namespace string) bool {
	return c.namespace == "" || c.namespace == namespace
}

// trimPod drops the managed fields of a pod before the cache keeps it.
func trimPod(obj any) (any, error) {
	if pod, ok := obj.(*corev1.Pod); ok {
		pod.ManagedFields = nil
	}
	return obj, nil
}

// ready waits until the cache holds the cluster's pods.
func (c *cluster) ready(ctx context.Context) error {
	if c.synced.Load() {
		return nil
	}
	if !cache.WaitForCacheSync(ctx.Done(), c.informer.HasSynced) {
		return fmt.Errorf("list the pods of build cluster %s: %w", c.alias, context.Cause(ctx))
	}
	c.synced.Store(true)
	return nil
}

// pod returns the pod, nil when it does not exist. It reads the cache,
// then the pods this runner made that the cache has not seen yet, then
// the API server (for a pod the cache missed, or in a namespace it does
// not watch). The pod is shared: never change it.
func (c *cluster) pod(ctx context.Context, namespace, name string) (*corev1.Pod, error) {
	if err := c.ready(ctx); err != nil {
		return nil, err
	}
	key := namespace + "/" + name
	obj, ok, err := c.informer.GetIndexer().GetByKey(key)
	if err == nil && ok {
		if pod, ok := obj.(*corev1.Pod); ok {
			c.made.Delete(key)
			return pod, nil
		}
	}
	if made, ok := c.made.Load(key); ok {
		return made.(*corev1.Pod), nil
	}
	pod, err := c.client.CoreV1().Pods(namespace).Get(ctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("get pod %s/%s in build cluster %s: %w", namespace, name, c.alias, err)
	}
	return pod, nil
}

// remove deletes the pod; now forces the deletion, for pods whose node
// is gone. uid, when set, makes sure a newer pod of the name is spared.
func (c *cluster) remove(ctx context.Context, namespace, name string, uid types.UID, now bool) error {
	opts := metav1.DeleteOptions{}
	if uid != "" {
		opts.Preconditions = &metav1.Preconditions{UID: &uid}
	}
	if now {
		zero := int64(0)
		opts.GracePeriodSeconds = &zero
	}
	c.made.Delete(namespace + "/" + name)
	err := c.client.CoreV1().Pods(namespace).Delete(ctx, name, opts)
	if err == nil || apierrors.IsNotFound(err) || (uid != "" && apierrors.IsConflict(err)) {
		return nil
	}
	return fmt.Errorf("delete pod %s/%s in build cluster %s: %w", namespace, name, c.alias, err)
}
