package pods

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Descriptions of the runs Assess ends, as Prow's plank words them.
const (
	DescDeleted     = "Pod got deleted unexpectedly"
	DescEvicted     = "Job pod was evicted by the cluster."
	DescOOMKilled   = "Job pod was OOM killed by the cluster."
	DescUnscheduled = "Pod scheduling timeout."
	// DescMaxRevivals takes the revival count and the stop cause.
	DescMaxRevivals = "Job pod reached max revivals (%d) after being stopped unexpectedly (%s)"
)

// Why a pod stopped without finishing the job; such a pod is revived.
const (
	CauseEvicted     = "evicted"
	CausePreempted   = "preempted"
	CauseKubelet     = "terminated by kubelet"
	CauseNodeLost    = "node unreachable"
	CauseNodeDeleted = "node deleted"
	CauseUnknown     = "pod state unknown"
)

// Reasons the cluster writes on pods.
const (
	reasonEvicted     = "Evicted"
	reasonNodeLost    = "NodeLost"
	reasonOOMKilled   = "OOMKilled"
	reasonUnscheduled = corev1.PodReasonUnschedulable
)

// Observation is what Assess decides from.
type Observation struct {
	Job *prowapi.ProwJob
	// Pod is the job's pod; nil when the build cluster has none.
	Pod *corev1.Pod
	Now time.Time
	// MaxRevivals is plank.max_revivals: how many times a pod that
	// stopped unexpectedly is made again.
	MaxRevivals int
	// UnscheduledTimeout is plank.pod_unscheduled_timeout (0: none).
	UnscheduledTimeout time.Duration
}

// Action is what the runner does to the pod after an assessment.
type Action int

// The actions.
const (
	// Keep the pod as it is.
	Keep Action = iota
	// Revive: record a revival on the job (one more pod_revival_count,
	// pod_name cleared), then delete the pod so that the next Start
	// makes it again.
	Revive
	// Remove: delete the pod of a revival already recorded.
	Remove
	// Record: write the pod's name on the job (status.pod_name), so that
	// the pod's disappearance is known to be a deletion.
	Record
)

// Assessment is how a job's run is doing and what to do about its pod.
type Assessment struct {
	Run    jobs.RunStatus
	Action Action
	// Cause says why a revived pod stopped.
	Cause string
}

// Assess maps a job's pod to the state of its run, as Prow's plank
// does. A missing pod is a run never started (RunUnknown) unless the job
// records that its pod was made (pod_name), in which case someone else
// deleted it; a pending or running pod the job does not record yet is
// to be recorded. A pod that was evicted, lost with its node, or is in
// an unknown state is revived up to MaxRevivals times.
func Assess(o Observation) Assessment {
	pod := o.Pod
	if pod == nil {
		if o.Job.Status.PodName == "" {
			return Assessment{Run: jobs.RunStatus{Phase: jobs.RunUnknown}}
		}
		return failed(DescDeleted)
	}
	if cause := stopCause(pod); cause != "" {
		return revive(o, cause)
	}
	run := jobs.RunStatus{}
	if pod.Status.StartTime != nil {
		run.StartedAt = pod.Status.StartTime.Time
	}
	switch pod.Status.Phase {
	case corev1.PodSucceeded:
		run.Phase, run.FinishedAt = jobs.RunSucceeded, finishedAt(pod)
		return Assessment{Run: run}
	case corev1.PodFailed:
		if oomKilled(pod) {
			return failed(DescOOMKilled)
		}
		run.Phase, run.FinishedAt, run.Message = jobs.RunFailed, finishedAt(pod), failure(pod)
		return Assessment{Run: run}
	}
	switch {
	case pod.DeletionTimestamp != nil:
		return failed(DescDeleted)
	case pod.Status.Phase == corev1.PodRunning:
		run.Phase = jobs.RunRunning
	case unscheduledFor(pod, o.Now) > o.UnscheduledTimeout && o.UnscheduledTimeout > 0:
		return failed(DescUnscheduled)
	default:
		run.Phase = jobs.RunPending
	}
	if o.Job.Status.PodName == "" {
		return Assessment{Run: run, Action: Record}
	}
	return Assessment{Run: run}
}

func failed(msg string) Assessment {
	return Assessment{Run: jobs.RunStatus{Phase: jobs.RunError, Message: msg}}
}

// revive decides about a pod that stopped unexpectedly.
func revive(o Observation, cause string) Assessment {
	st := o.Job.Status
	switch {
	case cause == CauseEvicted && o.Job.Spec.ErrorOnEviction:
		return failed(DescEvicted)
	case st.PodName == "" && st.PodRevivalCount > 0:
		// The revival is recorded; the old pod is not gone yet.
		return Assessment{Run: jobs.RunStatus{Phase: jobs.RunPending}, Action: Remove, Cause: cause}
	case st.PodRevivalCount >= o.MaxRevivals:
		return failed(fmt.Sprintf(DescMaxRevivals, st.PodRevivalCount, cause))
	}
	return Assessment{Run: jobs.RunStatus{Phase: jobs.RunPending}, Action: Revive, Cause: cause}
}

// stopCause says why the pod stopped without finishing its job, or "".
func stopCause(pod *corev1.Pod) string {
	deleting, failed := pod.DeletionTimestamp != nil, pod.Status.Phase == corev1.PodFailed
	switch {
	case failed && pod.Status.Reason == reasonEvicted:
		return CauseEvicted
	case deleting && pod.Status.Reason == reasonNodeLost:
		return CauseNodeLost
	case pod.Status.Phase == corev1.PodUnknown:
		return CauseUnknown
	case !deleting && !failed:
		return ""
	}
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.DisruptionTarget && c.Status == corev1.ConditionTrue {
			return disruption(c.Reason)
		}
	}
	return ""
}

// disruption is the cause a DisruptionTarget condition's reason names.
func disruption(reason string) string {
	switch reason {
	case corev1.PodReasonTerminationByKubelet:
		return CauseKubelet
	case corev1.PodReasonPreemptionByScheduler:
		return CausePreempted
	case "EvictionByEvictionAPI":
		return CauseEvicted
	case "DeletionByTaintManager":
		return CauseNodeLost
	case "DeletionByPodGC":
		return CauseNodeDeleted
	}
	return ""
}

// unscheduledFor is how long the pod has waited for a node the
// scheduler cannot find (0 when it is scheduled or still being tried).
func unscheduledFor(pod *corev1.Pod, now time.Time) time.Duration {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == reasonUnscheduled {
			return now.Sub(pod.CreationTimestamp.Time)
		}
	}
	return 0
}

func allStatuses(pod *corev1.Pod) []corev1.ContainerStatus {
	out := append([]corev1.ContainerStatus{}, pod.Status.InitContainerStatuses...)
	return append(out, pod.Status.ContainerStatuses...)
}

func oomKilled(pod *corev1.Pod) bool {
	for _, s := range allStatuses(pod) {
		if t := s.State.Terminated; t != nil && t.Reason == reasonOOMKilled {
			return true
		}
	}
	return false
}

// finishedAt is when the pod's last container ended.
func finishedAt(pod *corev1.Pod) time.Time {
	var last time.Time
	for _, s := range allStatuses(pod) {
		if t := s.State.Terminated; t != nil && t.FinishedAt.After(last) {
			last = t.FinishedAt.Time
		}
	}
	return last
}

// failure explains a failed pod: its first failed container, else the
// pod's own message.
func failure(pod *corev1.Pod) string {
	for _, s := range allStatuses(pod) {
		if t := s.State.Terminated; t != nil && t.ExitCode != 0 {
			return fmt.Sprintf("container %s exited with code %d (%s)", s.Name, t.ExitCode, t.Reason)
		}
	}
	if pod.Status.Message != "" {
		return pod.Status.Message
	}
	return pod.Status.Reason
}
