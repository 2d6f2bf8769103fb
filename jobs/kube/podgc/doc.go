// Package podgc garbage-collects the pods of cluster mode, as Prow's
// sinker does: in every build cluster it lists the pods labeled
// created-by-prow=true in pod_namespace and deletes those that
//
//   - are older than sinker.max_pod_age (counted from the pod's start,
//     or its creation when it never started), whatever their job's state;
//   - terminated longer than sinker.terminated_pod_ttl ago: its ProwJob
//     is complete, and so is the pod when it ended (Succeeded or Failed,
//     timed by its last container to finish); the later of the two
//     counts. A job aborted with its pod still running is timed by the
//     job alone. A pod whose job is not complete yet is kept, so the
//     controller always reads how the pod ended before it goes;
//   - are orphaned: their ProwJob (label prow.k8s.io/id, else the pod's
//     name) no longer exists and the pod is older than a short grace
//     (DefaultOrphanGrace), so a pod made a moment ago is never taken
//     for an orphan.
//
// Decide is that rule, a pure function of the pod, its job and the
// limits; the Collector is the I/O around it. Build clusters named in
// sinker.exclude_clusters are left alone. Deletions carry the pod's UID
// as a precondition, so a newer pod of the same name is spared.
//
//	gc, err := podgc.New(podgc.Options{Clusters: clusters, Jobs: store, Config: agent.Getter()})
//	result, err := gc.Collect(ctx)
//
// `prow sinker` runs Collect after each cleaning of the ProwJobs
// (package jobs/sinker).
package podgc
