package config

import (
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// DefaultClusterAlias is the build cluster a job runs in unless it names one.
const DefaultClusterAlias = "default"

// DefaultTriggerFor is the trigger regex a presubmit called name gets when it
// sets neither trigger nor rerun_command.
func DefaultTriggerFor(name string) string {
	return `(?m)^/test( | .* )` + name + `,?($|\s.*)`
}

// DefaultRerunCommandFor is the matching rerun command.
func DefaultRerunCommandFor(name string) string { return "/test " + name }

// shouldDecorate says whether the job is decorated: its own decorate field,
// else the job config's decorate_all_jobs.
func (c *Config) shouldDecorate(u UtilityConfig) bool {
	if u.Decorate != nil {
		return *u.Decorate
	}
	return c.DecorateAllJobs
}

// defaultJobBase fills the fields every job gets: agent, cluster, namespace,
// decoration defaults and prowjob_defaults for repo and the matching
// presets.
func (c *Config) defaultJobBase(base *JobBase, repo string) error {
	if base.Agent == "" {
		base.Agent = string(prowapi.KubernetesAgent)
	}
	if base.Cluster == "" {
		base.Cluster = DefaultClusterAlias
	}
	if base.Namespace == nil || *base.Namespace == "" {
		ns := c.PodNamespace
		base.Namespace = &ns
	}
	if c.shouldDecorate(base.UtilityConfig) {
		def := c.Plank.GuessDefaultDecorationConfig(repo, base.Cluster)
		base.DecorationConfig = base.DecorationConfig.ApplyDefault(def)
	}
	defaultSlackJob(base.ReporterConfig)
	base.ProwJobDefault = c.ProwJobDefaultFor(repo, base.Cluster, base.ProwJobDefault)
	idx := c.presetIdx
	if idx == nil { // outside a load (in-repo jobs): index these presets now
		idx = newPresetIndex(c.Presets)
	}
	matching := idx.matching(c.Presets, base.Labels)
	growForPresets(base.Spec, c.Presets, matching)
	for _, i := range matching {
		if err := mergePreset(c.Presets[i], base.Labels, base.Spec); err != nil {
			return err
		}
	}
	return nil
}

// growForPresets makes room in spec for what the presets at indexes add,
// so that merging them allocates once per list rather than at each
// append (Kubernetes' jobs get a dozen presets' env vars and mounts).
func growForPresets(spec *corev1.PodSpec, presets []Preset, indexes []int) {
	if spec == nil || len(indexes) == 0 {
		return
	}
	var env, vols, mounts int
	for _, i := range indexes {
		env += len(presets[i].Env)
		vols += len(presets[i].Volumes)
		mounts += len(presets[i].VolumeMounts)
	}
	spec.Volumes = slices.Grow(spec.Volumes, vols)
	for k := range spec.Containers {
		spec.Containers[k].Env = slices.Grow(spec.Containers[k].Env, env)
		spec.Containers[k].VolumeMounts = slices.Grow(spec.Containers[k].VolumeMounts, mounts)
	}
}

// mergePreset adds a preset's env, volumes and mounts to spec when labels
// carry every label of the preset. A name the spec already has is an error.
func mergePreset(preset Preset, labels map[string]string, spec *corev1.PodSpec) error {
	if spec == nil {
		return nil
	}
	for k, v := range preset.Labels {
		if labels[k] != v {
			return nil
		}
	}
	for _, vol := range preset.Volumes {
		for _, have := range spec.Volumes {
			if have.Name == vol.Name {
				return fmt.Errorf("preset %v: volume %q is already in the job's pod spec", preset.Labels, vol.Name)
			}
		}
		spec.Volumes = append(spec.Volumes, vol)
	}
	for i := range spec.Containers {
		if err := mergePresetContainer(preset, &spec.Containers[i]); err != nil {
			return err
		}
	}
	return nil
}

func mergePresetContainer(preset Preset, ctr *corev1.Container) error {
	for _, env := range preset.Env {
		for _, have := range ctr.Env {
			if have.Name == env.Name {
				return fmt.Errorf("preset %v: env var %q is already set in the job's pod spec", preset.Labels, env.Name)
			}
		}
		ctr.Env = append(ctr.Env, env)
	}
	for _, mount := range preset.VolumeMounts {
		for _, have := range ctr.VolumeMounts {
			if have.Name == mount.Name || have.MountPath == mount.MountPath {
				return fmt.Errorf("preset %v: volume mount %q (%s) clashes with the job's pod spec", preset.Labels, mount.Name, mount.MountPath)
			}
		}
		ctr.VolumeMounts = append(ctr.VolumeMounts, mount)
	}
	return nil
}

// defaultPresubmit fills a presubmit's defaults and compiles its regexes.
func (c *Config) defaultPresubmit(ps *Presubmit, repo string) error {
	if err := c.defaultJobBase(&ps.JobBase, repo); err != nil {
		return err
	}
	if ps.Context == "" {
		ps.Context = ps.Name
	}
	if ps.Trigger == "" && ps.RerunCommand == "" {
		ps.Trigger = DefaultTriggerFor(ps.Name)
		ps.RerunCommand = DefaultRerunCommandFor(ps.Name)
		ps.defaultTrigger = true
	}
	return nil
}

func (c *Config) defaultPostsubmit(ps *Postsubmit, repo string) error {
	if err := c.defaultJobBase(&ps.JobBase, repo); err != nil {
		return err
	}
	if ps.Context == "" {
		ps.Context = ps.Name
	}
	return nil
}

func (c *Config) defaultPeriodic(p *Periodic) error {
	repo := ""
	if len(p.ExtraRefs) > 0 {
		repo = p.ExtraRefs[0].Org + "/" + p.ExtraRefs[0].Repo
	}
	return c.defaultJobBase(&p.JobBase, repo)
}

// compilePresubmit compiles the regexes a presubmit's questions need.
func compilePresubmit(ps *Presubmit, cache regexCache) []error {
	var errs []error
	if err := ps.Brancher.compile(cache); err != nil {
		errs = append(errs, err)
	}
	if err := ps.RegexpChangeMatcher.compile(cache); err != nil {
		errs = append(errs, err)
	}
	if ps.Trigger != "" && !ps.defaultTrigger {
		re, err := cache.compile(ps.Trigger)
		if err != nil {
			errs = append(errs, fmt.Errorf("trigger: %w", err))
		} else {
			ps.re = re
		}
	}
	return errs
}
