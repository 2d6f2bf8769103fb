// Package kube is the job store of cluster mode: ProwJob custom
// resources (prow.k8s.io/v1, kind ProwJob) in one namespace, the
// prowjob_namespace of config.yaml, reached through controller-runtime,
// as Prow's own components (plank, crier, sinker, horologium) reach them.
//
// Writes go to the API server through a controller-runtime client.Client:
// Create, Update and Delete, with the resource version as the optimistic
// lock (a stale or missing one is jobs.ErrConflict), AlreadyExists as
// jobs.ErrExists and NotFound as jobs.ErrNotFound. An update that
// changes nothing keeps its resource version, as Kubernetes does and
// jobs.Updater allows.
//
// Reads come from a controller-runtime cache.Cache, an informer on the
// namespace's ProwJobs with field indexes (spec.job, spec.refs.repo,
// spec.refs.pulls.number, status.state and status.live, the unfinished
// jobs): List narrows its candidates through one index and pages them
// newest first, Watch registers a handler on the informer, Get reads the
// cache and asks the API server only for a job the cache lacks. The
// store reads its own writes: each write returns once the cache holds
// it (or after ten seconds, when the watch is down).
//
// ProwJobs are kept as written, labels and annotations included; the
// labels Prow puts on them (created-by-prow, prow.k8s.io/job, type,
// refs) are set by jobs.Builder when the job is made. Kubernetes keeps
// status times to the second.
//
// Open starts the cache and waits for its first list:
//
//	store, err := kube.Open(ctx, kube.Options{Config: restConfig, Namespace: cfg.ProwJobNamespace})
//
// A leader-elected component builds its controller-runtime manager from
// ManagerOptions and makes the store on it with OnManager: the manager's
// cache is then the store's, started and synced by the manager.
//
// The pods of cluster mode run through the runner of package
// jobs/kube/pods.
package kube
