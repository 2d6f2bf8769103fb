package podgc

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func ago(d time.Duration) metav1.Time { return metav1.NewTime(now.Add(-d)) }

// pod is a prow pod made `made` ago, started `started` ago (not started
// when negative), in phase.
func pod(made, started time.Duration, phase corev1.PodPhase) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "job-1", CreationTimestamp: ago(made),
		Labels: map[string]string{prowapi.CreatedByProw: "true", prowapi.ProwJobIDLabel: "job-1"}}}
	p.Status.Phase = phase
	if started >= 0 {
		st := ago(started)
		p.Status.StartTime = &st
	}
	return p
}

// finished ends the pod's containers `ago` ago.
func finished(p *corev1.Pod, at time.Duration) *corev1.Pod {
	p.Status.ContainerStatuses = []corev1.ContainerStatus{
		{Name: "test", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{FinishedAt: ago(at + time.Minute)}}},
		{Name: "sidecar", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{FinishedAt: ago(at)}}},
	}
	return p
}

func running() *prowapi.ProwJob {
	return &prowapi.ProwJob{Status: prowapi.ProwJobStatus{State: prowapi.PendingState}}
}

func completed(state prowapi.ProwJobState, at time.Duration) *prowapi.ProwJob {
	c := ago(at)
	return &prowapi.ProwJob{Status: prowapi.ProwJobStatus{State: state, CompletionTime: &c}}
}

func TestDecide(t *testing.T) {
	limits := Limits{MaxPodAge: 24 * time.Hour, TerminatedPodTTL: 30 * time.Minute, OrphanGrace: 30 * time.Second}
	h := time.Hour
	for _, tc := range []struct {
		name string
		pod  *corev1.Pod
		job  *prowapi.ProwJob
		want Reason
	}{
		{"a young running pod of a running job stays", pod(h, h, corev1.PodRunning), running(), Keep},
		{"a pod running longer than max_pod_age goes though its job runs", pod(25*h, 25*h, corev1.PodRunning), running(), Aged},
		{"age counts from the start, not the creation", pod(25*h, 23*h, corev1.PodRunning), running(), Keep},
		{"a pod that never started ages from its creation", pod(25*h, -1, corev1.PodPending), running(), Aged},
		{"a pod that ended longer than the TTL ago with its job complete goes",
			finished(pod(2*h, 2*h, corev1.PodSucceeded), 40*time.Minute), completed(prowapi.SuccessState, 39*time.Minute), TTLed},
		{"a failed pod is timed like a successful one",
			finished(pod(2*h, 2*h, corev1.PodFailed), 40*time.Minute), completed(prowapi.FailureState, 39*time.Minute), TTLed},
		{"a pod that ended within the TTL stays",
			finished(pod(2*h, 2*h, corev1.PodSucceeded), 20*time.Minute), completed(prowapi.SuccessState, 19*time.Minute), Keep},
		{"the TTL counts from the later of the pod's end and the job's completion",
			finished(pod(2*h, 2*h, corev1.PodSucceeded), 40*time.Minute), completed(prowapi.SuccessState, 10*time.Minute), Keep},
		{"the TTL counts from the last container to finish",
			finished(pod(2*h, 2*h, corev1.PodSucceeded), 20*time.Minute), completed(prowapi.SuccessState, 50*time.Minute), Keep},
		{"an ended pod whose job the controller has not finished stays",
			finished(pod(2*h, 2*h, corev1.PodSucceeded), 40*time.Minute), running(), Keep},
		{"a pod still running for a job aborted longer than the TTL ago goes",
			pod(2*h, 2*h, corev1.PodRunning), completed(prowapi.AbortedState, 40*time.Minute), TTLed},
		{"a pod whose job is gone goes once past the grace", pod(time.Minute, time.Minute, corev1.PodRunning), nil, Orphaned},
		{"a pod whose job is gone stays within the grace", pod(10*time.Second, -1, corev1.PodPending), nil, Keep},
		{"an orphan goes as an orphan however old", pod(25*h, 25*h, corev1.PodRunning), nil, Orphaned},
		{"an ended orphan goes as an orphan", finished(pod(2*h, 2*h, corev1.PodSucceeded), 40*time.Minute), nil, Orphaned},
		{"max_pod_age comes before the TTL",
			finished(pod(25*h, 25*h, corev1.PodSucceeded), 40*time.Minute), completed(prowapi.SuccessState, 40*time.Minute), Aged},
		{"a pod being deleted is left to finish going", func() *corev1.Pod {
			p := pod(25*h, 25*h, corev1.PodRunning)
			d := ago(time.Second)
			p.DeletionTimestamp = &d
			return p
		}(), nil, Keep},
		{"a pod not labeled created-by-prow is never touched", func() *corev1.Pod {
			p := pod(25*h, 25*h, corev1.PodRunning)
			delete(p.Labels, prowapi.CreatedByProw)
			return p
		}(), nil, Keep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(Observation{Pod: tc.pod, Job: tc.job, Now: now, Limits: limits}); got != tc.want {
				t.Errorf("Decide = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDecideOrphansWithinTheirGrace: with limits shorter than the grace
// (as in tests), max_pod_age still applies to an orphan within it, the
// TTL does not.
func TestDecideOrphansWithinTheirGrace(t *testing.T) {
	limits := Limits{MaxPodAge: 5 * time.Second, TerminatedPodTTL: time.Second, OrphanGrace: 30 * time.Second}
	for _, tc := range []struct {
		name string
		pod  *corev1.Pod
		want Reason
	}{
		{"a running orphan older than max_pod_age goes as aged", pod(10*time.Second, 9*time.Second, corev1.PodRunning), Aged},
		{"a young ended orphan waits for the grace, not the TTL", finished(pod(4*time.Second, 4*time.Second, corev1.PodSucceeded), 3*time.Second), Keep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(Observation{Pod: tc.pod, Now: now, Limits: limits}); got != tc.want {
				t.Errorf("Decide = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLimitsFrom(t *testing.T) {
	d := func(x time.Duration) *metav1.Duration { return &metav1.Duration{Duration: x} }
	for _, tc := range []struct {
		name   string
		sinker config.Sinker
		want   Limits
	}{
		{"Prow's defaults when the section is empty", config.Sinker{},
			Limits{MaxPodAge: 24 * time.Hour, TerminatedPodTTL: 24 * time.Hour, OrphanGrace: DefaultOrphanGrace}},
		{"terminated_pod_ttl defaults to max_pod_age", config.Sinker{MaxPodAge: d(2 * time.Hour)},
			Limits{MaxPodAge: 2 * time.Hour, TerminatedPodTTL: 2 * time.Hour, OrphanGrace: DefaultOrphanGrace}},
		{"both as configured", config.Sinker{MaxPodAge: d(48 * time.Hour), TerminatedPodTTL: d(30 * time.Minute)},
			Limits{MaxPodAge: 48 * time.Hour, TerminatedPodTTL: 30 * time.Minute, OrphanGrace: DefaultOrphanGrace}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &config.Config{}
			cfg.Sinker = tc.sinker
			if got := LimitsFrom(cfg); got != tc.want {
				t.Errorf("LimitsFrom = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestJobName(t *testing.T) {
	p := pod(0, 0, corev1.PodRunning)
	p.Labels[prowapi.ProwJobIDLabel] = "the-job"
	if got := JobName(p); got != "the-job" {
		t.Errorf("JobName with the id label = %q", got)
	}
	delete(p.Labels, prowapi.ProwJobIDLabel)
	if got := JobName(p); got != p.Name {
		t.Errorf("JobName without the id label = %q, want the pod's name", got)
	}
}
