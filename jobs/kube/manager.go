package kube

import (
	"context"
	"net/http"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// ManagerOptions are what a controller-runtime manager needs to hold a
// store: the API server configuration (with the store's rate limits),
// the ProwJob scheme, a mapper that knows ProwJobs without discovery, a
// cache of the namespace's ProwJobs and a client that reads ProwJobs
// from the API server (the store reads the cache itself). The caller
// adds leader election, metrics and health.
func ManagerOptions(o Options) (*rest.Config, manager.Options, error) {
	p, err := prepare(o)
	if err != nil {
		return nil, manager.Options{}, err
	}
	return p.cfg, manager.Options{
		Scheme: p.scheme,
		MapperProvider: func(*rest.Config, *http.Client) (meta.RESTMapper, error) {
			return p.mapper, nil
		},
		Cache:  p.cacheOptions,
		Client: client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&prowapi.ProwJob{}}}},
	}, nil
}

// OnManager makes a store over the client and cache of a manager made
// with ManagerOptions. The manager starts the cache, and starts its
// controllers and leader-elected runnables only once the cache holds
// every ProwJob; a runnable that is not leader-elected waits for the
// store with WaitForSync.
func OnManager(ctx context.Context, mgr manager.Manager, o Options) (*Store, error) {
	return newStore(ctx, o, mgr.GetClient(), mgr.GetCache())
}

// WaitForSync waits until the store's cache holds every ProwJob of the
// namespace, or ctx ends (false).
func (s *Store) WaitForSync(ctx context.Context) bool {
	return s.cache.WaitForCacheSync(ctx)
}
