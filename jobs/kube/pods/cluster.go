package pods

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/sirupsen/logrus"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	ctrlcache "sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	crcluster "sigs.k8s.io/controller-runtime/pkg/cluster"
	"sigs.k8s.io/controller-runtime/pkg/manager"

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
var prowPods = labels.SelectorFromSet(labels.Set{prowapi.CreatedByProw: "true"})

// cluster is one build cluster: a client and a controller-runtime
// cluster whose cache holds Prow's pods.
type cluster struct {
	alias string
	// namespace is the one the cache watches ("" for all).
	namespace string
	client    kubernetes.Interface
	cluster   crcluster.Cluster
	synced    atomic.Bool
	// made holds the pods this runner made that the cache has not seen
	// yet, by namespace/name, so that a run's status right after its
	// start needs no request.
	made sync.Map
}

// Runnables is where the runner's build clusters run: a
// controller-runtime manager, whose Add starts each cluster's cache with
// the manager's caches (before leader election, so a standby replica's
// caches are warm).
type Runnables interface {
	Add(manager.Runnable) error
}

// podScheme and podMapper know the one kind the caches hold, so a build
// cluster needs no discovery.
var (
	podScheme = func() *runtime.Scheme {
		s := runtime.NewScheme()
		utilruntime.Must(corev1.AddToScheme(s))
		return s
	}()
	podMapper = func() meta.RESTMapper {
		m := meta.NewDefaultRESTMapper([]schema.GroupVersion{corev1.SchemeGroupVersion})
		for _, kind := range []string{"Pod", "PodList"} {
			m.Add(corev1.SchemeGroupVersion.WithKind(kind), meta.RESTScopeNamespace)
		}
		return m
	}()
)

// newCluster makes the client and the pod cache of a build cluster. The
// cache runs with on (a manager) or, when on is nil, from now until ctx
// ends. namespace limits the cache ("" watches every namespace); changed
// is called with the name of each pod that changes.
func newCluster(ctx context.Context, alias string, cfg *rest.Config, namespace string, log *logrus.Entry, on Runnables, changed func(string)) (*cluster, error) {
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
	c := &cluster{alias: alias, namespace: namespace, client: client}
	cacheOpts := ctrlcache.Options{
		DefaultLabelSelector: prowPods,
		DefaultTransform:     trimPod,
		DefaultWatchErrorHandler: func(_ context.Context, _ *cache.Reflector, err error) {
			log.WithError(err).WithField("cluster", alias).Warn("The pod watch broke; listing again")
		},
		ReaderFailOnMissingInformer: true,
	}
	if namespace != "" {
		cacheOpts.DefaultNamespaces = map[string]ctrlcache.Config{namespace: {}}
	}
	c.cluster, err = crcluster.New(cfg, func(o *crcluster.Options) {
		o.Scheme = podScheme
		o.MapperProvider = func(*rest.Config, *http.Client) (meta.RESTMapper, error) { return podMapper, nil }
		o.Cache = cacheOpts
	})
	if err != nil {
		return nil, fmt.Errorf("set up the pod cache of build cluster %s: %w", alias, err)
	}
	if err := c.follow(ctx, changed); err != nil {
		return nil, fmt.Errorf("set up the pod cache of build cluster %s: %w", alias, err)
	}
	if on != nil {
		if err := on.Add(c.cluster); err != nil {
			return nil, fmt.Errorf("run the pod cache of build cluster %s: %w", alias, err)
		}
		return c, nil
	}
	go func() {
		if err := c.cluster.Start(ctx); err != nil && ctx.Err() == nil {
			log.WithError(err).WithField("cluster", alias).Error("The pod cache stopped")
		}
	}()
	return c, nil
}

// follow registers the cache's handler: a pod seen is no longer one
// made but unseen, and changed hears of every pod's change.
func (c *cluster) follow(ctx context.Context, changed func(string)) error {
	informer, err := c.cluster.GetCache().GetInformer(ctx, &corev1.Pod{}, ctrlcache.BlockUntilSynced(false))
	if err != nil {
		return err
	}
	name := func(obj any) (string, bool) {
		if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = tomb.Obj
		}
		pod, ok := obj.(*corev1.Pod)
		if !ok {
			return "", false
		}
		return pod.Name, true
	}
	_, err = informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			if pod, ok := obj.(*corev1.Pod); ok {
				c.made.Delete(pod.Namespace + "/" + pod.Name)
				changed(pod.Name)
			}
		},
		UpdateFunc: func(_, obj any) {
			if n, ok := name(obj); ok {
				changed(n)
			}
		},
		DeleteFunc: func(obj any) {
			if n, ok := name(obj); ok {
				changed(n)
			}
		},
	})
	return err
}

// create makes the pod. A pod of that name that exists already is kept
// and returned (nil when the pod was made).
func (c *cluster) create(ctx context.Context, pod *corev1.Pod) (*corev1.Pod, error) {
	made, err := c.client.CoreV1().Pods(pod.Namespace).Create(ctx, pod, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		existing, getErr := c.pod(ctx, pod.Namespace, pod.Name)
		if getErr != nil || existing != nil {
			return existing, getErr
		}
		// Deleted since the create: make it now.
		made, err = c.client.CoreV1().Pods(pod.Namespace).Create(ctx, pod, metav1.CreateOptions{})
	}
	if err != nil {
		return nil, err
	}
	if _, cached := c.cached(ctx, made.Namespace, made.Name); !cached && c.watches(made.Namespace) {
		c.made.Store(made.Namespace+"/"+made.Name, made)
	}
	return nil, nil
}

// watches says whether the cache holds the pods of the namespace.
func (c *cluster) watches(namespace string) bool {
	return c.namespace == "" || c.namespace == namespace
}

// trimPod keeps of a pod what the runner reads (its metadata and
// status, and the node it is on) before the cache keeps it: a decorated
// pod's spec is most of its size, and the caches hold every job pod of
// every build cluster.
func trimPod(obj any) (any, error) {
	if pod, ok := obj.(*corev1.Pod); ok {
		pod.ManagedFields = nil
		pod.Spec = corev1.PodSpec{NodeName: pod.Spec.NodeName}
	}
	return obj, nil
}

// ready waits until the cache holds the cluster's pods.
func (c *cluster) ready(ctx context.Context) error {
	if c.synced.Load() {
		return nil
	}
	if !c.cluster.GetCache().WaitForCacheSync(ctx) {
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
	if pod, ok := c.cached(ctx, namespace, name); ok {
		c.made.Delete(key)
		return pod, nil
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

// cached returns the cache's pod of that name, shared with the cache.
func (c *cluster) cached(ctx context.Context, namespace, name string) (*corev1.Pod, bool) {
	if !c.watches(namespace) {
		return nil, false
	}
	pod := &corev1.Pod{}
	err := c.cluster.GetCache().Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, pod, client.UnsafeDisableDeepCopy)
	return pod, err == nil
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
