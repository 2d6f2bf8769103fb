package downward

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// The names of the variables Env sets.
const (
	CIEnv          = "CI"
	JobNameEnv     = "JOB_NAME"
	JobTypeEnv     = "JOB_TYPE"
	JobSpecEnv     = "JOB_SPEC"
	BuildIDEnv     = "BUILD_ID"
	BuildNumberEnv = "BUILD_NUMBER"
	ProwJobIDEnv   = "PROW_JOB_ID"

	RepoOwnerEnv   = "REPO_OWNER"
	RepoNameEnv    = "REPO_NAME"
	PullBaseRefEnv = "PULL_BASE_REF"
	PullBaseSHAEnv = "PULL_BASE_SHA"
	PullRefsEnv    = "PULL_REFS"
	SrcHostEnv     = "SRC_HOST"
	SrcBaseEnv     = "SRC_BASE"

	PullNumberEnv  = "PULL_NUMBER"
	PullPullSHAEnv = "PULL_PULL_SHA"
	PullHeadRefEnv = "PULL_HEAD_REF"
	PullTitleEnv   = "PULL_TITLE"

	// ArtifactsEnv is the directory a job puts its artifacts in; the
	// runner sets it.
	ArtifactsEnv = "ARTIFACTS"
)

// DefaultHost is the source host of refs without a path alias.
const DefaultHost = "github.com"

// JobSpec is JOB_SPEC: the part of a ProwJob a job's utilities read, in
// the JSON shape of Prow's downwardapi.JobSpec.
type JobSpec struct {
	Type             prowapi.ProwJobType       `json:"type,omitempty"`
	Job              string                    `json:"job,omitempty"`
	BuildID          string                    `json:"buildid,omitempty"`
	ProwJobID        string                    `json:"prowjobid,omitempty"`
	Refs             *prowapi.Refs             `json:"refs,omitempty"`
	ExtraRefs        []prowapi.Refs            `json:"extra_refs,omitempty"`
	DecorationConfig *prowapi.DecorationConfig `json:"decoration_config,omitempty"`
}

// SpecOf is the job spec of pj: its name is the ProwJob ID, its build ID
// the one the controller gave it.
func SpecOf(pj *prowapi.ProwJob) JobSpec {
	return JobSpec{
		Type:             pj.Spec.Type,
		Job:              pj.Spec.Job,
		BuildID:          pj.Status.BuildID,
		ProwJobID:        pj.Name,
		Refs:             pj.Spec.Refs,
		ExtraRefs:        pj.Spec.ExtraRefs,
		DecorationConfig: pj.Spec.DecorationConfig,
	}
}

// Env is the environment of pj's test container. It fails for a job
// that is not periodic but has no refs, and for a presubmit without a
// pull request, as Prow cannot run them either.
func Env(pj *prowapi.ProwJob) (map[string]string, error) {
	return EnvForSpec(SpecOf(pj))
}

// EnvForSpec is the environment of a job with this spec.
func EnvForSpec(spec JobSpec) (map[string]string, error) {
	raw, err := json.Marshal(spec)
	if err != nil {
		return nil, fmt.Errorf("encode the job spec of %s: %w", spec.Job, err)
	}
	env := map[string]string{
		CIEnv:          "true",
		JobNameEnv:     spec.Job,
		JobTypeEnv:     string(spec.Type),
		JobSpecEnv:     string(raw),
		BuildIDEnv:     spec.BuildID,
		BuildNumberEnv: spec.BuildID,
		ProwJobIDEnv:   spec.ProwJobID,
	}
	if spec.Type == prowapi.PeriodicJob {
		return env, nil
	}
	r := spec.Refs
	if r == nil {
		return nil, fmt.Errorf("%s job %s has no refs", spec.Type, spec.Job)
	}
	env[RepoOwnerEnv] = r.Org
	env[RepoNameEnv] = r.Repo
	env[PullBaseRefEnv] = r.BaseRef
	env[PullBaseSHAEnv] = r.BaseSHA
	env[PullRefsEnv] = r.String()
	env[SrcHostEnv], env[SrcBaseEnv] = SourcePath(*r, DefaultHost)
	if spec.Type != prowapi.PresubmitJob {
		return env, nil
	}
	if len(r.Pulls) == 0 {
		return nil, fmt.Errorf("presubmit %s of %s has no pull request", spec.Job, r.OrgRepoString())
	}
	p := r.Pulls[0]
	env[PullNumberEnv] = strconv.Itoa(p.Number)
	env[PullPullSHAEnv] = p.SHA
	env[PullHeadRefEnv] = p.HeadRef
	env[PullTitleEnv] = p.Title
	return env, nil
}

// SourcePath is where refs are checked out below $GOPATH/src, split into
// its first element (SRC_HOST) and the rest (SRC_BASE): the path alias,
// or host/org/repo.
func SourcePath(r prowapi.Refs, host string) (srcHost, srcBase string) {
	if r.PathAlias != "" {
		h, b, _ := strings.Cut(r.PathAlias, "/")
		return h, b
	}
	return host, r.Org + "/" + r.Repo
}
