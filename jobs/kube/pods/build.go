package pods

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs/downward"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// BuildPod makes the pod of a job. The runner names the pod after the
// job and adds Labels to it whatever the builder does.
type BuildPod func(pj *prowapi.ProwJob) (*corev1.Pod, error)

// testContainer is the name Prow gives a job's only container.
const testContainer = "test"

// PlainPod is the pod of an undecorated job: the job's pod_spec with
// restartPolicy Never, its single container named "test", the job's
// environment (JOB_NAME, BUILD_ID, JOB_SPEC, PULL_REFS, ...) in every
// container, Prow's labels and the job's annotations. Decorated pods
// (clonerefs, entrypoint, sidecar) are made by another BuildPod.
func PlainPod(pj *prowapi.ProwJob) (*corev1.Pod, error) {
	if pj.Spec.PodSpec == nil {
		return nil, fmt.Errorf("job %s has no pod_spec", pj.Name)
	}
	env, err := downward.Env(pj)
	if err != nil {
		return nil, fmt.Errorf("environment of job %s: %w", pj.Name, err)
	}
	spec := pj.Spec.PodSpec.DeepCopy()
	if len(spec.Containers) == 0 {
		return nil, errors.New("job " + pj.Name + " has a pod_spec without containers")
	}
	if spec.RestartPolicy == "" {
		spec.RestartPolicy = corev1.RestartPolicyNever
	}
	if len(spec.Containers) == 1 {
		spec.Containers[0].Name = testContainer
	}
	vars := make([]corev1.EnvVar, 0, len(env))
	for _, name := range slices.Sorted(maps.Keys(env)) {
		vars = append(vars, corev1.EnvVar{Name: name, Value: env[name]})
	}
	for i := range spec.Containers {
		// Later entries win: the job's variables override the spec's.
		spec.Containers[i].Env = append(spec.Containers[i].Env, vars...)
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:        pj.Name,
			Namespace:   pj.Spec.Namespace,
			Labels:      Labels(pj),
			Annotations: Annotations(pj),
		},
		Spec: *spec,
	}, nil
}

// Labels are the labels Prow puts on a job's pod: the job's own labels
// with created-by-prow, prow.k8s.io/id (the job's name),
// prow.k8s.io/build-id, and the job, type and refs labels made from the
// spec when the job lacks them. Values that are no valid label are cut
// to their base name or dropped.
func Labels(pj *prowapi.ProwJob) map[string]string {
	out := map[string]string{
		prowapi.ProwJobAnnotation: pj.Spec.Job,
		prowapi.ProwJobTypeLabel:  string(pj.Spec.Type),
	}
	if r := pj.Spec.Refs; r != nil {
		out[prowapi.OrgLabel], out[prowapi.RepoLabel], out[prowapi.BaseRefLabel] = r.Org, r.Repo, r.BaseRef
		if len(r.Pulls) > 0 {
			out[prowapi.PullLabel] = strconv.Itoa(r.Pulls[0].Number)
		}
	}
	maps.Copy(out, pj.Labels)
	out[prowapi.CreatedByProw] = "true"
	out[prowapi.ProwJobIDLabel] = pj.Name
	out[prowapi.ProwBuildIDLabel] = pj.Status.BuildID
	for k, v := range out {
		if out[k] = prowapi.ValidLabelValue(v); out[k] == "" {
			delete(out, k)
		}
	}
	return out
}

// Annotations are the job's annotations with the full job name and
// context (labels may cut them).
func Annotations(pj *prowapi.ProwJob) map[string]string {
	out := map[string]string{prowapi.ProwJobAnnotation: pj.Spec.Job}
	if pj.Spec.Context != "" {
		out[prowapi.ContextAnnotation] = pj.Spec.Context
	}
	maps.Copy(out, pj.Annotations)
	return out
}
