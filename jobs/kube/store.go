package kube

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/go-logr/logr/funcr"
	"github.com/sirupsen/logrus"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/resourceversion"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"
	ctrlcache "sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Client-side rate limits used when the rest.Config sets none: client-go's
// own default (5 queries per second) would throttle a controller.
const (
	DefaultQPS   = 200
	DefaultBurst = 400
)

// Options configure a Store.
type Options struct {
	// Config reaches the API server that holds the ProwJobs. When it
	// sets no rate limit the store uses DefaultQPS and DefaultBurst.
	Config *rest.Config
	// Namespace holds the ProwJobs (prowjob_namespace).
	Namespace string
	// Logger logs the cache's watch errors (the standard logger when nil).
	Logger *logrus.Entry
}

// Validate checks that the options can make a store.
func (o Options) Validate() error {
	if o.Config == nil {
		return errors.New("ProwJob store: no API server configuration")
	}
	if o.Namespace == "" {
		return errors.New("ProwJob store: no namespace (prowjob_namespace)")
	}
	return nil
}

// Store keeps jobs as ProwJob resources. It implements jobs.Store.
type Store struct {
	// client writes to, and on a cache miss reads from, the API server.
	client    client.Client
	cache     ctrlcache.Cache
	informer  ctrlcache.Informer
	namespace string
	seen      *progress
	log       *logrus.Entry
}

var _ jobs.Store = (*Store)(nil)

// Open makes a store and starts its cache, which runs until ctx ends. It
// returns once the cache holds every ProwJob of the namespace. A
// component on a controller-runtime manager uses OnManager instead.
func Open(ctx context.Context, o Options) (*Store, error) {
	p, err := prepare(o)
	if err != nil {
		return nil, err
	}
	c, err := client.New(p.cfg, client.Options{Scheme: p.scheme, Mapper: p.mapper})
	if err != nil {
		return nil, fmt.Errorf("make a ProwJob client for %s: %w", p.cfg.Host, err)
	}
	cache, err := ctrlcache.New(p.cfg, p.cacheOptions)
	if err != nil {
		return nil, fmt.Errorf("set up the ProwJob cache: %w", err)
	}
	s, err := newStore(ctx, o, c, cache)
	if err != nil {
		return nil, err
	}
	started := make(chan error, 1)
	go func() { started <- s.cache.Start(ctx) }()
	if !s.cache.WaitForCacheSync(ctx) {
		select {
		case err := <-started:
			if err != nil {
				return nil, fmt.Errorf("list the ProwJobs of namespace %s: %w", o.Namespace, err)
			}
		default:
		}
		return nil, fmt.Errorf("list the ProwJobs of namespace %s: %w", o.Namespace, context.Cause(ctx))
	}
	return s, nil
}

// prepared is what a store's client and cache are made from.
type prepared struct {
	cfg          *rest.Config
	scheme       *runtime.Scheme
	mapper       meta.RESTMapper
	cacheOptions ctrlcache.Options
}

// prepare checks the options and readies the API server configuration,
// the scheme, the mapper and the cache options of a store.
func prepare(o Options) (*prepared, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	routeControllerRuntimeLogs(o.Logger)
	scheme := runtime.NewScheme()
	if err := prowapi.AddToScheme(scheme); err != nil {
		return nil, fmt.Errorf("register the ProwJob types: %w", err)
	}
	cfg := rest.CopyConfig(o.Config)
	if cfg.UserAgent == "" {
		cfg.UserAgent = "prow-jobs"
	}
	if cfg.QPS == 0 {
		cfg.QPS, cfg.Burst = DefaultQPS, DefaultBurst
	}
	// The store knows the one resource it uses: no discovery.
	mapper := meta.NewDefaultRESTMapper([]schema.GroupVersion{prowapi.SchemeGroupVersion})
	for _, kind := range []string{prowapi.Kind, prowapi.Kind + "List"} {
		mapper.Add(prowapi.SchemeGroupVersion.WithKind(kind), meta.RESTScopeNamespace)
	}
	log := o.Logger
	return &prepared{cfg: cfg, scheme: scheme, mapper: mapper, cacheOptions: ctrlcache.Options{
		Scheme: scheme, Mapper: mapper,
		DefaultNamespaces: map[string]ctrlcache.Config{o.Namespace: {}},
		DefaultTransform:  trim,
		DefaultWatchErrorHandler: func(_ context.Context, _ *toolscache.Reflector, err error) {
			log.WithError(err).Warn("The ProwJob watch broke; listing again")
		},
		ReaderFailOnMissingInformer: true,
	}}, nil
}

// newStore makes a store over a client and a cache that is not started
// yet: it registers the field indexes and the handler that tracks the
// cache's progress.
func newStore(ctx context.Context, o Options, c client.Client, cache ctrlcache.Cache) (*Store, error) {
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	s := &Store{client: c, cache: cache, namespace: o.Namespace, seen: newProgress(), log: o.Logger}
	if err := s.index(ctx); err != nil {
		return nil, fmt.Errorf("set up the ProwJob cache: %w", err)
	}
	var err error
	if s.informer, err = s.cache.GetInformer(ctx, &prowapi.ProwJob{}, ctrlcache.BlockUntilSynced(false)); err != nil {
		return nil, fmt.Errorf("set up the ProwJob cache: %w", err)
	}
	if _, err := s.informer.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
		AddFunc:    s.observe,
		UpdateFunc: func(_, obj any) { s.observe(obj) },
		DeleteFunc: s.observe,
	}); err != nil {
		return nil, fmt.Errorf("set up the ProwJob cache: %w", err)
	}
	return s, nil
}

var routeLogs sync.Once

// routeControllerRuntimeLogs sends controller-runtime's logs to the
// first store's logger, at debug level (its errors at warning level).
func routeControllerRuntimeLogs(log *logrus.Entry) {
	routeLogs.Do(func() {
		ctrllog.SetLogger(funcr.New(func(prefix, args string) {
			log.WithField("logger", prefix).Debug(args)
		}, funcr.Options{}))
	})
}

// trim drops what the store never returns (managed fields) from a cached
// job and sets its kind, before the cache keeps it.
func trim(obj any) (any, error) {
	if pj, ok := obj.(*prowapi.ProwJob); ok {
		export(pj)
	}
	return obj, nil
}

// export readies a job this store owns for its caller.
func export(pj *prowapi.ProwJob) *prowapi.ProwJob {
	pj.ManagedFields = nil
	pj.APIVersion, pj.Kind = prowapi.SchemeGroupVersion.String(), prowapi.Kind
	return pj
}

// cached returns the cache's job of that name (shared: copy before use).
func (s *Store) cached(ctx context.Context, name string) (*prowapi.ProwJob, bool) {
	pj := &prowapi.ProwJob{}
	err := s.cache.Get(ctx, types.NamespacedName{Namespace: s.namespace, Name: name}, pj, client.UnsafeDisableDeepCopy)
	return pj, err == nil
}

// Create implements jobs.Creator. It returns once the cache holds the job.
func (s *Store) Create(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	in := pj.DeepCopy()
	in.ObjectMeta = metav1.ObjectMeta{
		Name: pj.Name, GenerateName: pj.GenerateName, Namespace: s.namespace, Labels: in.Labels, Annotations: in.Annotations,
		OwnerReferences: in.OwnerReferences, Finalizers: in.Finalizers,
	}
	if err := s.client.Create(ctx, export(in)); err != nil {
		return nil, apiError("create", pj.Name, err)
	}
	s.awaitVersion(ctx, in.Name, in.ResourceVersion)
	return export(in), nil
}

// Get implements jobs.Getter. It reads the cache, and the API server
// for a job the cache lacks (one another process just created).
func (s *Store) Get(ctx context.Context, name string) (*prowapi.ProwJob, error) {
	if pj, ok := s.cached(ctx, name); ok {
		return export(pj.DeepCopy()), nil
	}
	out := &prowapi.ProwJob{}
	if err := s.client.Get(ctx, types.NamespacedName{Namespace: s.namespace, Name: name}, out); err != nil {
		return nil, apiError("get", name, err)
	}
	return export(out), nil
}

// Update implements jobs.Updater: the job's resource version must be
// the stored one. It returns once the cache holds the update.
func (s *Store) Update(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	if _, err := resourceversion.CompareResourceVersion(pj.ResourceVersion, pj.ResourceVersion); err != nil {
		// No stored job has it: Kubernetes' versions are numbers.
		return nil, fmt.Errorf("update job %s at version %q: %w", pj.Name, pj.ResourceVersion, jobs.ErrConflict)
	}
	in := export(pj.DeepCopy())
	in.Namespace = s.namespace
	if err := s.client.Update(ctx, in); err != nil {
		return nil, apiError("update", pj.Name, err)
	}
	s.awaitVersion(ctx, in.Name, in.ResourceVersion)
	return export(in), nil
}

// Delete implements jobs.Deleter. It returns once the cache no longer
// holds the job.
func (s *Store) Delete(ctx context.Context, name string) error {
	var uid types.UID
	if pj, ok := s.cached(ctx, name); ok {
		uid = pj.UID
	}
	if err := s.client.Delete(ctx, &prowapi.ProwJob{ObjectMeta: metav1.ObjectMeta{Namespace: s.namespace, Name: name}}); err != nil {
		return apiError("delete", name, err)
	}
	s.awaitGone(ctx, name, uid)
	return nil
}

// apiError names the job and turns the API server's answers into the
// store's sentinel errors.
func apiError(op, name string, err error) error {
	switch {
	case apierrors.IsNotFound(err):
		return fmt.Errorf("%s job %s: %w", op, name, jobs.ErrNotFound)
	case apierrors.IsAlreadyExists(err):
		return fmt.Errorf("%s job %s: %w", op, name, jobs.ErrExists)
	case apierrors.IsConflict(err), badVersion(err):
		return fmt.Errorf("%s job %s: %w: %w", op, name, jobs.ErrConflict, err)
	}
	return fmt.Errorf("%s job %s: %w", op, name, err)
}

// badVersion is true when the API server rejected the request's
// resource version as malformed: no stored job has it, so it is stale.
func badVersion(err error) bool {
	if !apierrors.IsInvalid(err) && !apierrors.IsBadRequest(err) {
		return false
	}
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		return false
	}
	if d := status.Status().Details; d != nil {
		for _, c := range d.Causes {
			if c.Field == "metadata.resourceVersion" {
				return true
			}
		}
	}
	return strings.Contains(status.Status().Message, "resourceVersion")
}
