package decorate

import (
	"fmt"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/prowbot/prow/jobs/downward"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/mapkeys"
)

// TestContainerName is the name of a job's single test container.
const TestContainerName = "test"

// Options say what ProwJobToPod cannot read from the ProwJob.
type Options struct {
	// Image is the image of the prow binary. When set, every utility
	// container runs it, whatever the decoration config's utility_images
	// say; when empty they are the images the utilities run.
	Image string
}

// ProwJobToPod builds the pod that runs pj (see the package
// documentation). pj needs a pod spec, and a build ID in its status.
func ProwJobToPod(pj *prowapi.ProwJob, opts Options) (*corev1.Pod, error) {
	if pj.Spec.PodSpec == nil {
		return nil, fmt.Errorf("job %s (%s) has no pod spec", pj.Name, pj.Spec.Job)
	}
	env, err := downward.Env(pj)
	if err != nil {
		return nil, fmt.Errorf("environment of job %s: %w", pj.Name, err)
	}
	spec := pj.Spec.PodSpec.DeepCopy()
	spec.RestartPolicy = corev1.RestartPolicyNever
	if len(spec.Containers) == 1 {
		spec.Containers[0].Name = TestContainerName
	}
	// Kubernetes mounts the default token when this is unset; a job gets
	// one only when it asks, or names a service account.
	if spec.AutomountServiceAccountToken == nil && spec.ServiceAccountName == "" {
		no := false
		spec.AutomountServiceAccountToken = &no
	}
	if pj.Spec.DecorationConfig == nil {
		for i := range spec.Containers {
			spec.Containers[i].Env = append(spec.Containers[i].Env, kubeEnv(env)...)
		}
	} else if err := decorate(spec, pj, env, opts); err != nil {
		return nil, fmt.Errorf("decorate the pod of job %s: %w", pj.Name, err)
	}
	for _, cs := range [][]corev1.Container{spec.InitContainers, spec.Containers} {
		for i := range cs {
			if cs[i].TerminationMessagePolicy == "" {
				cs[i].TerminationMessagePolicy = corev1.TerminationMessageFallbackToLogsOnError
			}
		}
	}
	labels, annotations := LabelsAndAnnotations(pj)
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: pj.Name, Labels: labels, Annotations: annotations},
		Spec:       *spec,
	}, nil
}

// LabelsAndAnnotations are the labels and annotations of pj's pod:
// Prow's, then pj's own, with the ProwJob ID and build ID.
func LabelsAndAnnotations(pj *prowapi.ProwJob) (labels, annotations map[string]string) {
	labels = map[string]string{
		prowapi.CreatedByProw:    "true",
		prowapi.ProwJobTypeLabel: string(pj.Spec.Type),
	}
	annotations = map[string]string{}
	for key, value := range map[string]string{prowapi.ProwJobAnnotation: pj.Spec.Job, prowapi.ContextAnnotation: pj.Spec.Context} {
		labels[key] = value
		if len(value) > validation.LabelValueMaxLength {
			labels[key] = prowapi.LabelValue(value)
		}
		annotations[key] = value
	}
	refs := pj.Spec.Refs
	if refs == nil && len(pj.Spec.ExtraRefs) > 0 {
		refs = &pj.Spec.ExtraRefs[0]
	}
	if refs != nil {
		labels[prowapi.OrgLabel] = refs.Org
		labels[prowapi.RepoLabel] = refs.Repo
		labels[prowapi.BaseRefLabel] = refs.BaseRef
		if len(refs.Pulls) > 0 {
			labels[prowapi.PullLabel] = strconv.Itoa(refs.Pulls[0].Number)
		}
	}
	for k, v := range pj.Labels {
		labels[k] = v
	}
	labels[prowapi.ProwJobIDLabel] = pj.Name
	labels[prowapi.ProwBuildIDLabel] = pj.Status.BuildID
	for k, v := range labels {
		valid := prowapi.ValidLabelValue(v)
		if valid == "" && v != "" {
			delete(labels, k)
			continue
		}
		labels[k] = valid
	}
	for k, v := range pj.Annotations {
		annotations[k] = v
	}
	return labels, annotations
}

// kubeEnv is env as container variables, sorted by name.
func kubeEnv(env map[string]string) []corev1.EnvVar {
	names := mapkeys.Sorted(env)
	vars := make([]corev1.EnvVar, 0, len(names))
	for _, k := range names {
		vars = append(vars, corev1.EnvVar{Name: k, Value: env[k]})
	}
	return vars
}
