package kube

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sirupsen/logrus"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/resourceversion"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
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
	client    *client
	namespace string
	informer  cache.SharedIndexInformer
	fresh     *freshness
	log       *logrus.Entry
}

var _ jobs.Store = (*Store)(nil)

// Open makes a store and starts its cache, which runs until ctx ends. It
// returns once the cache holds every ProwJob of the namespace.
func Open(ctx context.Context, o Options) (*Store, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	c, err := newClient(o.Config, o.Namespace)
	if err != nil {
		return nil, err
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	s := &Store{client: c, namespace: o.Namespace, fresh: newFreshness(), log: o.Logger}
	s.informer = cache.NewSharedIndexInformer(&cache.ListWatch{
		ListWithContextFunc:  c.list,
		WatchFuncWithContext: c.watch,
	}, &prowapi.ProwJob{}, 0, indexers())
	if err := s.informer.SetTransform(trim); err != nil {
		return nil, fmt.Errorf("set up the ProwJob cache: %w", err)
	}
	if err := s.informer.SetWatchErrorHandlerWithContext(s.watchError); err != nil {
		return nil, fmt.Errorf("set up the ProwJob cache: %w", err)
	}
	if _, err := s.informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { s.observe(obj, false) },
		UpdateFunc: func(_, obj any) { s.observe(obj, false) },
		DeleteFunc: func(obj any) { s.observe(obj, true) },
	}); err != nil {
		return nil, fmt.Errorf("set up the ProwJob cache: %w", err)
	}
	go s.informer.RunWithContext(ctx)
	if !cache.WaitForCacheSync(ctx.Done(), s.informer.HasSynced) {
		return nil, fmt.Errorf("list the ProwJobs of namespace %s: %w", o.Namespace, context.Cause(ctx))
	}
	return s, nil
}

func (s *Store) watchError(_ context.Context, _ *cache.Reflector, err error) {
	s.log.WithError(err).Warn("The ProwJob watch broke; listing again")
}

// trim drops what the store never returns (managed fields) from a cached
// job and sets its kind, before the cache keeps it.
func trim(obj any) (any, error) {
	if pj, ok := obj.(*prowapi.ProwJob); ok {
		export(pj)
	}
	return obj, nil
}

// touchAnnotation marks a job whose update changed nothing: Kubernetes
// keeps the resource version of such an update, and the store promises
// a new one, so it writes the job again with this annotation set. The
// store never returns it.
const touchAnnotation = "prow.k8s.io/unchanged-since"

// export readies a job this store owns for its caller.
func export(pj *prowapi.ProwJob) *prowapi.ProwJob {
	pj.ManagedFields = nil
	delete(pj.Annotations, touchAnnotation)
	pj.APIVersion, pj.Kind = prowapi.SchemeGroupVersion.String(), prowapi.Kind
	return pj
}

// observe feeds the cache's changes to the freshness tracker.
func (s *Store) observe(obj any, deleted bool) {
	if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		if pj, ok := tomb.Obj.(*prowapi.ProwJob); ok {
			s.fresh.observe(pj.Name, "", true)
		}
		return
	}
	if pj, ok := obj.(*prowapi.ProwJob); ok {
		s.fresh.observe(pj.Name, pj.ResourceVersion, deleted)
	}
}

// cached returns the cache's job of that name (shared: copy before use).
func (s *Store) cached(name string) (*prowapi.ProwJob, bool) {
	obj, ok, err := s.informer.GetIndexer().GetByKey(s.namespace + "/" + name)
	if err != nil || !ok {
		return nil, false
	}
	pj, ok := obj.(*prowapi.ProwJob)
	return pj, ok
}

// cachedVersion is cached's version, for the freshness tracker.
func (s *Store) cachedVersion(name string) func() (string, bool) {
	return func() (string, bool) {
		pj, ok := s.cached(name)
		if !ok {
			return "", false
		}
		return pj.ResourceVersion, true
	}
}

// Create implements jobs.Creator.
func (s *Store) Create(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	in := pj.DeepCopy()
	in.ObjectMeta = metav1.ObjectMeta{
		Name: pj.Name, GenerateName: pj.GenerateName, Namespace: s.namespace, Labels: in.Labels, Annotations: in.Annotations,
		OwnerReferences: in.OwnerReferences, Finalizers: in.Finalizers,
	}
	out, err := s.client.create(ctx, export(in))
	if err != nil {
		return nil, apiError("create", pj.Name, err)
	}
	s.fresh.wrote(out.Name, write{version: out.ResourceVersion}, s.cachedVersion(out.Name))
	return export(out), nil
}

// Get implements jobs.Getter. It reads the cache unless the cache is
// older than this store's last write of the job, or lacks it.
func (s *Store) Get(ctx context.Context, name string) (*prowapi.ProwJob, error) {
	if pj, ok := s.cached(name); ok && !s.fresh.stale(name, pj.ResourceVersion, true) {
		return export(pj.DeepCopy()), nil
	}
	out, err := s.client.get(ctx, name)
	if err != nil {
		return nil, apiError("get", name, err)
	}
	return export(out), nil
}

// Update implements jobs.Updater: the job's resource version must be
// the stored one.
func (s *Store) Update(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	if _, err := resourceversion.CompareResourceVersion(pj.ResourceVersion, pj.ResourceVersion); err != nil {
		// No stored job has it: Kubernetes' versions are numbers.
		return nil, fmt.Errorf("update job %s at version %q: %w", pj.Name, pj.ResourceVersion, jobs.ErrConflict)
	}
	in := export(pj.DeepCopy())
	in.Namespace = s.namespace
	out, err := s.client.update(ctx, in)
	if err == nil && out.ResourceVersion == in.ResourceVersion {
		if in.Annotations == nil {
			in.Annotations = map[string]string{}
		}
		in.Annotations[touchAnnotation] = in.ResourceVersion
		out, err = s.client.update(ctx, in)
	}
	if err != nil {
		return nil, apiError("update", pj.Name, err)
	}
	s.fresh.wrote(out.Name, write{version: out.ResourceVersion}, s.cachedVersion(out.Name))
	return export(out), nil
}

// Delete implements jobs.Deleter.
func (s *Store) Delete(ctx context.Context, name string) error {
	if err := s.client.delete(ctx, name); err != nil {
		return apiError("delete", name, err)
	}
	s.fresh.wrote(name, write{deleted: true}, s.cachedVersion(name))
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
