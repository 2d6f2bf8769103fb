// Package kube is the job store of cluster mode: ProwJob custom
// resources (prow.k8s.io/v1, kind ProwJob) in one namespace, the
// prowjob_namespace of config.yaml, reached through client-go.
//
// Writes go to the API server: Create, Update and Delete, with the
// resource version as the optimistic lock (a stale or missing one is
// jobs.ErrConflict), AlreadyExists as jobs.ErrExists and NotFound as
// jobs.ErrNotFound. Every Update gets a new resource version, as
// jobs.Updater promises: Kubernetes keeps the version of an update that
// changes nothing, so the store then writes the job again with an
// annotation it never returns (prow.k8s.io/unchanged-since). Reads come from an informer cache: List filters and
// pages it through indexes (job name, org/repo, pull, state), Watch
// registers a handler on it, Get reads it unless this store wrote the
// job more recently than the cache knows, in which case it asks the API
// server. The store reads its own writes: a List or Watch waits until
// the cache holds everything the store has written.
//
// ProwJobs are kept as written, labels and annotations included; the
// labels Prow puts on them (created-by-prow, prow.k8s.io/job, type,
// refs) are set by jobs.Builder when the job is made. Kubernetes keeps
// status times to the second.
//
// Open starts the informer and waits for its first list:
//
//	store, err := kube.Open(ctx, kube.Options{Config: restConfig, Namespace: cfg.ProwJobNamespace})
//
// The pods of cluster mode run through the runner of package
// jobs/kube/pods.
package kube
