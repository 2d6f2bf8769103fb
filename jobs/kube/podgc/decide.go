package podgc

import (
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/prowbot/prow/config"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Reason says why a pod is collected; Keep means it is not.
type Reason string

// The reasons, as Prow's sinker names them in its metrics.
const (
	Keep     Reason = ""
	Aged     Reason = "aged"
	TTLed    Reason = "ttled"
	Orphaned Reason = "orphaned"
)

// Defaults for settings the configuration leaves out (Prow's).
const (
	DefaultMaxPodAge = 24 * time.Hour
	// DefaultOrphanGrace is how long a pod whose ProwJob cannot be found
	// is spared: the pod may be younger than what the job store knows.
	DefaultOrphanGrace = 30 * time.Second
)

// Limits are the ages past which pods go.
type Limits struct {
	// MaxPodAge is sinker.max_pod_age.
	MaxPodAge time.Duration
	// TerminatedPodTTL is sinker.terminated_pod_ttl.
	TerminatedPodTTL time.Duration
	// OrphanGrace is the age below which a pod is never an orphan.
	OrphanGrace time.Duration
}

// LimitsFrom reads the limits from the sinker section of cfg, with
// Prow's defaults for what it leaves out (terminated_pod_ttl defaults
// to max_pod_age) and DefaultOrphanGrace.
func LimitsFrom(cfg *config.Config) Limits {
	l := Limits{MaxPodAge: DefaultMaxPodAge, OrphanGrace: DefaultOrphanGrace}
	if d := cfg.Sinker.MaxPodAge; d != nil {
		l.MaxPodAge = d.Duration
	}
	l.TerminatedPodTTL = l.MaxPodAge
	if d := cfg.Sinker.TerminatedPodTTL; d != nil {
		l.TerminatedPodTTL = d.Duration
	}
	return l
}

// Observation is what Decide looks at.
type Observation struct {
	Pod *corev1.Pod
	// Job is the pod's ProwJob; nil when it no longer exists.
	Job *prowapi.ProwJob
	Now time.Time
	Limits
}

// JobName is the name of the ProwJob a pod belongs to: its
// prow.k8s.io/id label, else (pods of older controllers) its own name.
func JobName(pod *corev1.Pod) string {
	if id := pod.Labels[prowapi.ProwJobIDLabel]; id != "" {
		return id
	}
	return pod.Name
}

// Decide says whether a pod goes, and why. Only pods labeled
// created-by-prow=true that are not being deleted already are
// candidates. An orphan past the grace goes as an orphan whatever its
// age says; within the grace only max_pod_age applies to it.
func Decide(o Observation) Reason {
	pod := o.Pod
	if pod == nil || pod.Labels[prowapi.CreatedByProw] != "true" || pod.DeletionTimestamp != nil {
		return Keep
	}
	if o.Job == nil && o.Now.Sub(pod.CreationTimestamp.Time) > o.OrphanGrace {
		return Orphaned
	}
	if o.Now.Sub(startOf(pod)) > o.MaxPodAge {
		return Aged
	}
	if o.Job == nil {
		return Keep
	}
	if at, ok := terminatedAt(pod, o.Job); ok && o.Now.Sub(at) > o.TerminatedPodTTL {
		return TTLed
	}
	return Keep
}

// startOf is when the pod started, or was made when it never started.
func startOf(pod *corev1.Pod) time.Time {
	if st := pod.Status.StartTime; st != nil && !st.IsZero() {
		return st.Time
	}
	return pod.CreationTimestamp.Time
}

// terminatedAt is when the pod's run ended for good: the later of the
// pod's end and its job's completion. A job that is not complete has a
// run the controller has yet to read, so it has none.
func terminatedAt(pod *corev1.Pod, job *prowapi.ProwJob) (time.Time, bool) {
	if !job.Complete() {
		return time.Time{}, false
	}
	at := job.Status.CompletionTime.Time
	if ended(pod) {
		if f := finishedAt(pod); f.After(at) {
			at = f
		}
	}
	return at, !at.IsZero()
}

// ended says whether the pod's phase is final.
func ended(pod *corev1.Pod) bool {
	return pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
}

// finishedAt is when the pod's last container terminated (zero when no
// container says).
func finishedAt(pod *corev1.Pod) time.Time {
	var last time.Time
	for _, statuses := range [][]corev1.ContainerStatus{pod.Status.InitContainerStatuses, pod.Status.ContainerStatuses} {
		for _, cs := range statuses {
			if t := cs.State.Terminated; t != nil && t.FinishedAt.After(last) {
				last = t.FinishedAt.Time
			}
		}
	}
	return last
}
