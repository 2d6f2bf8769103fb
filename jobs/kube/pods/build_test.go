package pods

import (
	"maps"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func presubmit() *prowapi.ProwJob {
	return &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Name: "0a1b2c", Labels: map[string]string{"team": "infra", prowapi.IsOptionalLabel: "true"},
			Annotations: map[string]string{"note": "kept"}},
		Spec: prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: "pull-unit", Context: "unit", Namespace: "test-pods",
			Refs: &prowapi.Refs{Org: "kubernetes", Repo: "test-infra", BaseRef: "release/1.0", BaseSHA: "base",
				Pulls: []prowapi.Pull{{Number: 12, SHA: "head", Author: "alice"}}},
			PodSpec: &corev1.PodSpec{Containers: []corev1.Container{{Name: "main", Image: "golang",
				Env: []corev1.EnvVar{{Name: "JOB_NAME", Value: "mine"}, {Name: "GOFLAGS", Value: "-mod=mod"}}}}}},
		Status: prowapi.ProwJobStatus{State: prowapi.PendingState, BuildID: "1700000000000000001"},
	}
}

func TestLabels(t *testing.T) {
	long := strings.Repeat("a", 70)
	for _, tc := range []struct {
		name string
		job  func(*prowapi.ProwJob)
		want map[string]string
	}{
		{"a presubmit gets Prow's labels and keeps its own", func(*prowapi.ProwJob) {}, map[string]string{
			prowapi.CreatedByProw: "true", prowapi.ProwJobIDLabel: "0a1b2c", prowapi.ProwBuildIDLabel: "1700000000000000001",
			prowapi.ProwJobAnnotation: "pull-unit", prowapi.ProwJobTypeLabel: "presubmit", prowapi.OrgLabel: "kubernetes",
			prowapi.RepoLabel: "test-infra", prowapi.BaseRefLabel: "1.0", prowapi.PullLabel: "12", "team": "infra", prowapi.IsOptionalLabel: "true",
		}},
		{"a periodic has no refs labels and no build ID before it has one", func(pj *prowapi.ProwJob) {
			pj.Spec.Type, pj.Spec.Refs, pj.Status.BuildID, pj.Labels = prowapi.PeriodicJob, nil, "", nil
		}, map[string]string{
			prowapi.CreatedByProw: "true", prowapi.ProwJobIDLabel: "0a1b2c", prowapi.ProwJobAnnotation: "pull-unit", prowapi.ProwJobTypeLabel: "periodic",
		}},
		{"a job name too long for a label is cut", func(pj *prowapi.ProwJob) {
			pj.Spec.Type, pj.Spec.Refs, pj.Status.BuildID, pj.Labels, pj.Spec.Job = prowapi.PeriodicJob, nil, "", nil, long+"-"
		}, map[string]string{
			prowapi.CreatedByProw: "true", prowapi.ProwJobIDLabel: "0a1b2c", prowapi.ProwJobAnnotation: long[:63], prowapi.ProwJobTypeLabel: "periodic",
		}},
		{"the job cannot unset created-by-prow", func(pj *prowapi.ProwJob) { pj.Labels[prowapi.CreatedByProw] = "false" }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pj := presubmit()
			tc.job(pj)
			got := Labels(pj)
			if tc.want == nil {
				if got[prowapi.CreatedByProw] != "true" {
					t.Errorf("created-by-prow = %q", got[prowapi.CreatedByProw])
				}
				return
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("Labels =\n %v\nwant\n %v", got, tc.want)
			}
		})
	}
}

func TestPlainPod(t *testing.T) {
	pj := presubmit()
	pod, err := PlainPod(pj)
	if err != nil {
		t.Fatal(err)
	}
	if pod.Name != "0a1b2c" || pod.Namespace != "test-pods" {
		t.Errorf("pod %s/%s, want test-pods/0a1b2c", pod.Namespace, pod.Name)
	}
	if pod.Spec.RestartPolicy != corev1.RestartPolicyNever || pod.Spec.Containers[0].Name != "test" {
		t.Errorf("restart policy %q, container %q; want Never and test", pod.Spec.RestartPolicy, pod.Spec.Containers[0].Name)
	}
	if !maps.Equal(pod.Labels, Labels(pj)) {
		t.Errorf("labels %v", pod.Labels)
	}
	want := map[string]string{"note": "kept", prowapi.ProwJobAnnotation: "pull-unit", prowapi.ContextAnnotation: "unit"}
	if !maps.Equal(pod.Annotations, want) {
		t.Errorf("annotations %v, want %v", pod.Annotations, want)
	}
	env := map[string]string{}
	for _, e := range pod.Spec.Containers[0].Env {
		env[e.Name] = e.Value // later entries win, as in Kubernetes
	}
	for k, v := range map[string]string{"JOB_NAME": "pull-unit", "BUILD_ID": "1700000000000000001", "PROW_JOB_ID": "0a1b2c",
		"PULL_NUMBER": "12", "PULL_REFS": "release/1.0:base,12:head", "GOFLAGS": "-mod=mod", "CI": "true"} {
		if env[k] != v {
			t.Errorf("$%s = %q, want %q", k, env[k], v)
		}
	}
	if pj.Spec.PodSpec.Containers[0].Name != "main" || len(pj.Spec.PodSpec.Containers[0].Env) != 2 {
		t.Error("PlainPod changed the job's pod_spec")
	}

	for _, tc := range []struct {
		name string
		job  func(*prowapi.ProwJob)
		want string
	}{
		{"a job without a pod_spec", func(pj *prowapi.ProwJob) { pj.Spec.PodSpec = nil }, "has no pod_spec"},
		{"a pod_spec without containers", func(pj *prowapi.ProwJob) { pj.Spec.PodSpec.Containers = nil }, "without containers"},
		{"a presubmit without a pull request", func(pj *prowapi.ProwJob) { pj.Spec.Refs.Pulls = nil }, "no pull request"},
	} {
		t.Run(tc.name+" has no pod", func(t *testing.T) {
			pj := presubmit()
			tc.job(pj)
			if _, err := PlainPod(pj); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "0a1b2c") {
				t.Errorf("error %v, want one naming the job and saying %q", err, tc.want)
			}
		})
	}
}
