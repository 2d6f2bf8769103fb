// Package pods is the runner of cluster mode: it runs each job as a pod,
// named after the ProwJob, in the namespace its spec names (else
// pod_namespace) of the build cluster its spec.cluster names. The build
// clusters are the contexts of a kubeconfig, "default" being the
// current context or the cluster the process runs in (LoadClusters).
//
// Each build cluster is a controller-runtime cluster whose cache holds
// Prow's pods; a manager (Options.On) runs the caches, or else Open does.
// The runner tells the controller of every pod change
// (jobs.RunNotifier), so pod events, not polling, move jobs on.
//
// StartRun creates the pod that BuildPod makes (PlainPod for undecorated
// jobs) unless it exists, before the controller writes the job pending
// with the pod's name (status.pod_name) and build ID: one request for
// the pod, one write for the job. A pod that exists already keeps its
// build ID (label prow.k8s.io/build-id), which the job takes. Status
// reads the pod from a cache of Prow's pods (label created-by-prow=true,
// spec dropped), one per build cluster, records the pod on a job that
// lacks it (a revived one), and maps the pod to
// the run's state with Assess, a pure function that follows Prow's
// plank: Succeeded and Failed pods end the run, an OOM-killed pod is an
// error, a pod the scheduler cannot place errors after
// pod_unscheduled_timeout, an evicted pod (unless error_on_eviction), a
// pod lost with its node or in an unknown state is deleted and made
// again up to max_revivals times (counted in status.pod_revival_count),
// and a pod someone else deleted is an error ("Pod got deleted
// unexpectedly"; a pod that disappears before the job records it is
// made again, as Prow does with a missing pod). Stop deletes the pod of
// an aborted job.
//
// The pending and running timeouts, concurrency limits and the job's
// state are the controller's (package jobs/controller).
package pods
