package jobs

import (
	"strconv"
	"time"

	"github.com/google/uuid"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Clock gives the time jobs are started at; tests fix it.
type Clock func() time.Time

// Builder makes ProwJob records from configured jobs, as Prow's
// pjutil does: a fresh name, Prow's labels and annotations, the spec from
// the job's configuration, state triggered.
type Builder struct {
	// Now is the start time source; nil means time.Now.
	Now Clock
	// Namespace is where ProwJob records live (prowjob_namespace).
	Namespace string
}

func (b Builder) now() time.Time {
	if b.Now == nil {
		return time.Now()
	}
	return b.Now()
}

// Presubmit builds a run of ps against refs (a base and one pull).
// extraLabels are added (e.g. the retest label).
func (b Builder) Presubmit(ps config.Presubmit, refs prowapi.Refs, extraLabels map[string]string) *prowapi.ProwJob {
	spec := b.spec(ps.JobBase, prowapi.PresubmitJob, &refs)
	spec.Report = !ps.SkipReport
	spec.Context = ps.Context
	spec.RerunCommand = ps.RerunCommand
	pj := b.job(ps.JobBase, spec, extraLabels)
	if ps.Optional {
		pj.Labels[prowapi.IsOptionalLabel] = "true"
	}
	return pj
}

// Postsubmit builds a run of ps against refs (a base only).
func (b Builder) Postsubmit(ps config.Postsubmit, refs prowapi.Refs, extraLabels map[string]string) *prowapi.ProwJob {
	spec := b.spec(ps.JobBase, prowapi.PostsubmitJob, &refs)
	spec.Report = !ps.SkipReport
	spec.Context = ps.Context
	return b.job(ps.JobBase, spec, extraLabels)
}

// Periodic builds a run of p (no refs beyond its extra_refs).
func (b Builder) Periodic(p config.Periodic, extraLabels map[string]string) *prowapi.ProwJob {
	return b.job(p.JobBase, b.spec(p.JobBase, prowapi.PeriodicJob, nil), extraLabels)
}

func (b Builder) spec(base config.JobBase, typ prowapi.ProwJobType, refs *prowapi.Refs) prowapi.ProwJobSpec {
	spec := prowapi.ProwJobSpec{
		Type:            typ,
		Job:             base.Name,
		Agent:           prowapi.ProwJobAgent(base.Agent),
		Cluster:         base.Cluster,
		MaxConcurrency:  base.MaxConcurrency,
		ErrorOnEviction: base.ErrorOnEviction,
		ReporterConfig:  base.ReporterConfig.DeepCopy(),
		RerunAuthConfig: base.RerunAuthConfig.DeepCopy(),
		Hidden:          base.Hidden,
		ProwJobDefault:  base.ProwJobDefault.DeepCopy(),
		JobQueueName:    base.JobQueueName,
	}
	if spec.Agent == "" {
		spec.Agent = prowapi.KubernetesAgent
	}
	if base.Namespace != nil {
		spec.Namespace = *base.Namespace
	}
	if base.Spec != nil {
		spec.PodSpec = base.Spec.DeepCopy()
	}
	if refs != nil {
		r := *refs.DeepCopy()
		u := base.UtilityConfig
		if r.PathAlias == "" {
			r.PathAlias = u.PathAlias
		}
		if r.CloneURI == "" {
			r.CloneURI = u.CloneURI
		}
		r.SkipSubmodules = r.SkipSubmodules || u.SkipSubmodules
		if r.CloneDepth == 0 {
			r.CloneDepth = u.CloneDepth
		}
		r.SkipFetchHead = r.SkipFetchHead || u.SkipFetchHead
		spec.Refs = &r
	}
	for _, er := range base.ExtraRefs {
		spec.ExtraRefs = append(spec.ExtraRefs, *er.DeepCopy())
	}
	if base.DecorationConfig != nil && (base.Decorate == nil || *base.Decorate) {
		spec.DecorationConfig = base.DecorationConfig.DeepCopy()
	}
	return spec
}

func (b Builder) job(base config.JobBase, spec prowapi.ProwJobSpec, extraLabels map[string]string) *prowapi.ProwJob {
	name := uuid.NewString()
	labels := map[string]string{}
	for k, v := range base.Labels {
		labels[k] = v
	}
	for k, v := range extraLabels {
		labels[k] = v
	}
	labels[prowapi.CreatedByProw] = "true"
	labels[prowapi.ProwJobTypeLabel] = string(spec.Type)
	labels[prowapi.ProwJobIDLabel] = name
	if v := prowapi.ValidLabelValue(spec.Job); v != "" {
		labels[prowapi.ProwJobAnnotation] = v
	}
	annotations := map[string]string{prowapi.ProwJobAnnotation: spec.Job}
	for k, v := range base.Annotations {
		annotations[k] = v
	}
	if spec.Context != "" {
		annotations[prowapi.ContextAnnotation] = spec.Context
	}
	if r := spec.Refs; r != nil {
		labels[prowapi.OrgLabel] = prowapi.ValidLabelValue(r.Org)
		labels[prowapi.RepoLabel] = prowapi.ValidLabelValue(r.Repo)
		labels[prowapi.BaseRefLabel] = prowapi.ValidLabelValue(r.BaseRef)
		if len(r.Pulls) > 0 {
			labels[prowapi.PullLabel] = strconv.Itoa(r.Pulls[0].Number)
		}
	}
	for k, v := range labels {
		if v == "" {
			delete(labels, k)
		}
	}
	return &prowapi.ProwJob{
		TypeMeta: metav1.TypeMeta{APIVersion: prowapi.SchemeGroupVersion.String(), Kind: "ProwJob"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: b.Namespace, Labels: labels, Annotations: annotations,
		},
		Spec: spec,
		Status: prowapi.ProwJobStatus{
			StartTime: metav1.NewTime(b.now()),
			State:     prowapi.TriggeredState,
		},
	}
}
