package decorate

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/prowbot/prow/jobs/clone"
	"github.com/prowbot/prow/jobs/downward"
	"github.com/prowbot/prow/jobs/podutils/options"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// decorate adds the pod utilities to spec, the pod spec of pj, whose
// downward API environment is env.
func decorate(spec *corev1.PodSpec, pj *prowapi.ProwJob, env map[string]string, opts Options) error {
	dc := pj.Spec.DecorationConfig
	decoratedEnv(pj, env)
	jobSpec := env[downward.JobSpecEnv]
	blobVolumes, blobMounts, gcs := blobStorage(dc)

	cloner, refs, cloneVolumes, err := cloneRefs(pj, opts)
	if err != nil {
		return err
	}
	if cloner != nil {
		spec.InitContainers = append([]corev1.Container{*cloner}, spec.InitContainers...)
	}
	upload, err := initUpload(dc, gcs, blobMounts, cloner != nil, jobSpec, opts)
	if err != nil {
		return err
	}
	place, err := placeEntrypoint(dc, opts)
	if err != nil {
		return err
	}
	spec.InitContainers = append(spec.InitContainers, upload, place)

	wrappers, secretMounts, err := wrapTests(spec, dc, env)
	if err != nil {
		return err
	}
	side, err := sidecar(dc, gcs, blobMounts, secretMounts, jobSpec, wrappers, opts)
	if err != nil {
		return err
	}

	spec.Volumes = append(spec.Volumes, emptyDir(logsVolume), emptyDir(toolsVolume))
	spec.Volumes = append(spec.Volumes, blobVolumes...)
	if len(refs) > 0 {
		dir := (&clone.Cloner{}).WorkDir(CodeMountPath, refs)
		for i := range spec.Containers {
			spec.Containers[i].WorkingDir = dir
			spec.Containers[i].VolumeMounts = append(spec.Containers[i].VolumeMounts, codeMount())
		}
		spec.Volumes = append(append(spec.Volumes, cloneVolumes...), emptyDir(codeVolume))
	}
	for i := range spec.Containers {
		applyMemory(&spec.Containers[i].Resources, dc)
	}
	applyPodSettings(spec, dc)
	spec.Containers = append(spec.Containers, side)
	return nil
}

// decoratedEnv adds what a decorated test sees to the downward API
// environment of pj.
func decoratedEnv(pj *prowapi.ProwJob, env map[string]string) {
	env[downward.ArtifactsEnv] = ArtifactsPath
	env["GOPATH"] = CodeMountPath
	if r := pj.Spec.Refs; r != nil && r.PathAlias == "" && pj.Spec.Type != prowapi.PeriodicJob {
		// Where clonerefs clones (see the package documentation).
		env[downward.SrcHostEnv] = clone.Host((&clone.Cloner{}).URL(*r))
	}
}

// wrapTests gives every test container the environment and wraps its
// command with entrypoint. It returns the wrappers, and the mounts of
// secret volumes in the test containers when secrets are censored.
func wrapTests(spec *corev1.PodSpec, dc *prowapi.DecorationConfig, env map[string]string) ([]options.Wrapper, []corev1.VolumeMount, error) {
	censor := dc.CensorSecrets != nil && *dc.CensorSecrets
	secrets := map[string]bool{}
	for _, v := range spec.Volumes {
		if v.Secret != nil {
			secrets[v.Name] = true
		}
	}
	var wrappers []options.Wrapper
	var secretMounts []corev1.VolumeMount
	for i := range spec.Containers {
		c := &spec.Containers[i]
		c.Env = append(c.Env, kubeEnv(env)...)
		prefix := c.Name
		if len(spec.Containers) == 1 {
			prefix = ""
		}
		w, err := wrap(c, dc.Timeout.Get(), dc.GracePeriod.Get(), prefix)
		if err != nil {
			return nil, nil, err
		}
		wrappers = append(wrappers, w)
		for _, m := range c.VolumeMounts {
			if censor && secrets[m.Name] {
				secretMounts = append(secretMounts, m)
			}
		}
	}
	return wrappers, secretMounts, nil
}

// applyMemory applies the decoration config's default memory request
// and, when asked, makes the memory limit the request.
func applyMemory(res *corev1.ResourceRequirements, dc *prowapi.DecorationConfig) {
	if dc.DefaultMemoryRequest != nil {
		if _, ok := res.Requests[corev1.ResourceMemory]; !ok {
			if res.Requests == nil {
				res.Requests = corev1.ResourceList{}
			}
			res.Requests[corev1.ResourceMemory] = dc.DefaultMemoryRequest.DeepCopy()
		}
	}
	if dc.SetLimitEqualsMemoryRequest != nil && *dc.SetLimitEqualsMemoryRequest {
		if req, ok := res.Requests[corev1.ResourceMemory]; ok {
			if res.Limits == nil {
				res.Limits = corev1.ResourceList{}
			}
			res.Limits[corev1.ResourceMemory] = req
		}
	}
}

// applyPodSettings applies the decoration config's security context,
// scheduling options, termination grace period and service account
// where the pod spec leaves them unset.
func applyPodSettings(spec *corev1.PodSpec, dc *prowapi.DecorationConfig) {
	if spec.SecurityContext == nil {
		spec.SecurityContext = &corev1.PodSecurityContext{}
	}
	sc := spec.SecurityContext
	sc.RunAsUser = orCopyOf(sc.RunAsUser, dc.RunAsUser)
	sc.RunAsGroup = orCopyOf(sc.RunAsGroup, dc.RunAsGroup)
	sc.FSGroup = orCopyOf(sc.FSGroup, dc.FsGroup)
	if so := dc.SchedulingOptions; so != nil {
		if spec.Affinity == nil {
			spec.Affinity = so.Affinity.DeepCopy()
		}
		if spec.Tolerations == nil && so.Tolerations != nil {
			spec.Tolerations = make([]corev1.Toleration, len(so.Tolerations))
			for i := range so.Tolerations {
				so.Tolerations[i].DeepCopyInto(&spec.Tolerations[i])
			}
		}
	}
	if spec.TerminationGracePeriodSeconds == nil && dc.GracePeriod != nil {
		// The pod's grace covers the test's grace period and the
		// uploads after it: a quarter more.
		seconds := int64(dc.GracePeriod.Seconds()) * 5 / 4
		spec.TerminationGracePeriodSeconds = &seconds
	}
	if spec.ServiceAccountName == "" && dc.DefaultServiceAccountName != nil {
		spec.ServiceAccountName = *dc.DefaultServiceAccountName
	}
}

// orCopyOf is set when it is not nil, else a copy of def (or nil).
func orCopyOf[T any](set, def *T) *T {
	if set != nil || def == nil {
		return set
	}
	c := *def
	return &c
}
