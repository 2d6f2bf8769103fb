package pods

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

var (
	t0      = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	started = metav1.NewTime(t0.Add(10 * time.Second))
	ended   = metav1.NewTime(t0.Add(time.Minute))
)

// podIn is a pod created at t0 in phase, changed by the options.
func podIn(phase corev1.PodPhase, opts ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "pj", Namespace: "test-pods", UID: "uid-1", CreationTimestamp: metav1.NewTime(t0)},
		Status:     corev1.PodStatus{Phase: phase},
	}
	if phase != corev1.PodPending {
		p.Status.StartTime = &started
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

func terminated(code int32, reason string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{Name: "test",
			State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code, Reason: reason, FinishedAt: ended}}})
	}
}

func reason(r string) func(*corev1.Pod) { return func(p *corev1.Pod) { p.Status.Reason = r } }

func deleting(p *corev1.Pod) {
	ts := metav1.NewTime(t0.Add(2 * time.Minute))
	p.DeletionTimestamp = &ts
}

func condition(typ corev1.PodConditionType, status corev1.ConditionStatus, r string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: typ, Status: status, Reason: r})
	}
}

var unschedulable = condition(corev1.PodScheduled, corev1.ConditionFalse, corev1.PodReasonUnschedulable)

// jobWith is a pending job whose pod was made, changed by the options.
func jobWith(opts ...func(*prowapi.ProwJob)) *prowapi.ProwJob {
	pj := &prowapi.ProwJob{ObjectMeta: metav1.ObjectMeta{Name: "pj"}, Status: prowapi.ProwJobStatus{State: prowapi.PendingState, PodName: "pj"}}
	for _, o := range opts {
		o(pj)
	}
	return pj
}

func neverStarted(pj *prowapi.ProwJob)    { pj.Status.PodName = "" }
func errorOnEviction(pj *prowapi.ProwJob) { pj.Spec.ErrorOnEviction = true }
func revived(n int, podName string) func(*prowapi.ProwJob) {
	return func(pj *prowapi.ProwJob) { pj.Status.PodRevivalCount, pj.Status.PodName = n, podName }
}

func TestAssess(t *testing.T) {
	pending := jobs.RunStatus{Phase: jobs.RunPending}
	errored := func(msg string) jobs.RunStatus { return jobs.RunStatus{Phase: jobs.RunError, Message: msg} }
	for _, tc := range []struct {
		name   string
		job    *prowapi.ProwJob
		pod    *corev1.Pod
		max    int
		wait   time.Duration
		now    time.Duration // after t0
		want   jobs.RunStatus
		action Action
		cause  string
	}{
		{name: "a job whose pod was never made has no run", job: jobWith(neverStarted),
			want: jobs.RunStatus{Phase: jobs.RunUnknown}},
		{name: "a pod someone deleted is an error", job: jobWith(),
			want: errored(DescDeleted)},
		{name: "a pod being deleted by someone else is an error", job: jobWith(), pod: podIn(corev1.PodRunning, deleting),
			want: errored(DescDeleted)},
		{name: "a pod waiting to be scheduled is pending", job: jobWith(), pod: podIn(corev1.PodPending),
			want: pending},
		{name: "a pod that has no phase yet is pending", job: jobWith(), pod: podIn(""),
			want: jobs.RunStatus{Phase: jobs.RunPending, StartedAt: started.Time}},
		{name: "an unschedulable pod within pod_unscheduled_timeout is pending", job: jobWith(), pod: podIn(corev1.PodPending, unschedulable),
			wait: 5 * time.Minute, now: 4 * time.Minute, want: pending},
		{name: "an unschedulable pod past pod_unscheduled_timeout is an error", job: jobWith(), pod: podIn(corev1.PodPending, unschedulable),
			wait: 5 * time.Minute, now: 6 * time.Minute, want: errored(DescUnscheduled)},
		{name: "without pod_unscheduled_timeout an unschedulable pod waits", job: jobWith(), pod: podIn(corev1.PodPending, unschedulable),
			now: time.Hour, want: pending},
		{name: "a running pod is running since it started", job: jobWith(), pod: podIn(corev1.PodRunning),
			want: jobs.RunStatus{Phase: jobs.RunRunning, StartedAt: started.Time}},
		{name: "a pending pod the job does not record yet is recorded", job: jobWith(neverStarted), pod: podIn(corev1.PodPending),
			want: pending, action: Record},
		{name: "a running pod the job does not record yet is recorded", job: jobWith(neverStarted), pod: podIn(corev1.PodRunning),
			want: jobs.RunStatus{Phase: jobs.RunRunning, StartedAt: started.Time}, action: Record},
		{name: "a revived job's new pod is recorded", job: jobWith(revived(1, "")), pod: podIn(corev1.PodRunning),
			want: jobs.RunStatus{Phase: jobs.RunRunning, StartedAt: started.Time}, action: Record},
		{name: "a finished pod the job does not record is not recorded", job: jobWith(neverStarted), pod: podIn(corev1.PodSucceeded, terminated(0, "Completed")),
			want: jobs.RunStatus{Phase: jobs.RunSucceeded, StartedAt: started.Time, FinishedAt: ended.Time}},
		{name: "a succeeded pod succeeded when its last container ended", job: jobWith(), pod: podIn(corev1.PodSucceeded, terminated(0, "Completed")),
			want: jobs.RunStatus{Phase: jobs.RunSucceeded, StartedAt: started.Time, FinishedAt: ended.Time}},
		{name: "a succeeded pod being deleted still succeeded", job: jobWith(), pod: podIn(corev1.PodSucceeded, deleting, terminated(0, "Completed")),
			want: jobs.RunStatus{Phase: jobs.RunSucceeded, StartedAt: started.Time, FinishedAt: ended.Time}},
		{name: "a failed pod failed, naming its failed container", job: jobWith(), pod: podIn(corev1.PodFailed, terminated(2, "Error")),
			want: jobs.RunStatus{Phase: jobs.RunFailed, StartedAt: started.Time, FinishedAt: ended.Time, Message: "container test exited with code 2 (Error)"}},
		{name: "an OOM-killed pod is an error", job: jobWith(), pod: podIn(corev1.PodFailed, terminated(137, "OOMKilled")),
			want: errored(DescOOMKilled)},
		{name: "an evicted pod is revived", job: jobWith(), pod: podIn(corev1.PodFailed, reason("Evicted")), max: 3,
			want: pending, action: Revive, cause: CauseEvicted},
		{name: "an evicted pod of a job with error_on_eviction is an error", job: jobWith(errorOnEviction), pod: podIn(corev1.PodFailed, reason("Evicted")), max: 3,
			want: errored(DescEvicted)},
		{name: "an evicted pod past max_revivals is an error", job: jobWith(revived(3, "pj")), pod: podIn(corev1.PodFailed, reason("Evicted")), max: 3,
			want: errored("Job pod reached max revivals (3) after being stopped unexpectedly (evicted)")},
		{name: "with max_revivals 0 the first eviction is an error", job: jobWith(), pod: podIn(corev1.PodFailed, reason("Evicted")),
			want: errored("Job pod reached max revivals (0) after being stopped unexpectedly (evicted)")},
		{name: "a pod whose revival is recorded is removed", job: jobWith(revived(1, "")), pod: podIn(corev1.PodFailed, reason("Evicted")), max: 3,
			want: pending, action: Remove, cause: CauseEvicted},
		{name: "a pod whose revival is recorded and that is gone has no run", job: jobWith(revived(1, "")),
			want: jobs.RunStatus{Phase: jobs.RunUnknown}},
		{name: "a pod on an unreachable node is revived", job: jobWith(revived(1, "pj")), pod: podIn(corev1.PodRunning, deleting, reason("NodeLost")), max: 3,
			want: pending, action: Revive, cause: CauseNodeLost},
		{name: "a pod in an unknown state is revived", job: jobWith(), pod: podIn(corev1.PodUnknown), max: 3,
			want: pending, action: Revive, cause: CauseUnknown},
		{name: "a pod the kubelet terminated is revived", job: jobWith(),
			pod: podIn(corev1.PodFailed, condition(corev1.DisruptionTarget, corev1.ConditionTrue, corev1.PodReasonTerminationByKubelet)), max: 3,
			want: pending, action: Revive, cause: CauseKubelet},
		{name: "a pod the scheduler preempts is revived", job: jobWith(),
			pod: podIn(corev1.PodRunning, deleting, condition(corev1.DisruptionTarget, corev1.ConditionTrue, corev1.PodReasonPreemptionByScheduler)), max: 3,
			want: pending, action: Revive, cause: CausePreempted},
		{name: "a pod the node controller deletes is revived", job: jobWith(),
			pod: podIn(corev1.PodRunning, deleting, condition(corev1.DisruptionTarget, corev1.ConditionTrue, "DeletionByTaintManager")), max: 3,
			want: pending, action: Revive, cause: CauseNodeLost},
		{name: "a pod whose node was deleted is revived", job: jobWith(),
			pod: podIn(corev1.PodFailed, condition(corev1.DisruptionTarget, corev1.ConditionTrue, "DeletionByPodGC")), max: 3,
			want: pending, action: Revive, cause: CauseNodeDeleted},
		{name: "a disruption that has not stopped the pod changes nothing", job: jobWith(),
			pod: podIn(corev1.PodRunning, condition(corev1.DisruptionTarget, corev1.ConditionTrue, corev1.PodReasonTerminationByKubelet)), max: 3,
			want: jobs.RunStatus{Phase: jobs.RunRunning, StartedAt: started.Time}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Assess(Observation{Job: tc.job, Pod: tc.pod, Now: t0.Add(tc.now), MaxRevivals: tc.max, UnscheduledTimeout: tc.wait})
			if got.Run != tc.want || got.Action != tc.action || got.Cause != tc.cause {
				t.Errorf("Assess = %+v, action %d, cause %q; want %+v, action %d, cause %q", got.Run, got.Action, got.Cause, tc.want, tc.action, tc.cause)
			}
		})
	}
}
