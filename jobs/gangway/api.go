package gangway

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// ExecutionType is a JobExecutionType: the job's type in capitals.
type ExecutionType string

// The execution types.
const (
	TypeUnspecified ExecutionType = "JOB_EXECUTION_TYPE_UNSPECIFIED"
	TypePeriodic    ExecutionType = "PERIODIC"
	TypePostsubmit  ExecutionType = "POSTSUBMIT"
	TypePresubmit   ExecutionType = "PRESUBMIT"
	TypeBatch       ExecutionType = "BATCH"
)

// executionTypes are the types by their protobuf number.
var executionTypes = []ExecutionType{TypeUnspecified, TypePeriodic, TypePostsubmit, TypePresubmit, TypeBatch}

// UnmarshalJSON takes the type's name or number, as protobuf's JSON does.
func (t *ExecutionType) UnmarshalJSON(b []byte) error {
	v, err := enumValue(b, len(executionTypes), func(i int) string { return string(executionTypes[i]) })
	*t = ExecutionType(v)
	return err
}

// ExecutionStatus is a JobExecutionStatus: the job's state in capitals.
type ExecutionStatus string

// The execution statuses.
const (
	StatusUnspecified ExecutionStatus = "JOB_EXECUTION_STATUS_UNSPECIFIED"
	StatusTriggered   ExecutionStatus = "TRIGGERED"
	StatusPending     ExecutionStatus = "PENDING"
	StatusSuccess     ExecutionStatus = "SUCCESS"
	StatusFailure     ExecutionStatus = "FAILURE"
	StatusAborted     ExecutionStatus = "ABORTED"
	StatusError       ExecutionStatus = "ERROR"
	StatusScheduling  ExecutionStatus = "SCHEDULING"
)

var executionStatuses = []ExecutionStatus{StatusUnspecified, StatusTriggered, StatusPending, StatusSuccess, StatusFailure,
	StatusAborted, StatusError, StatusScheduling}

// ParseStatus reads a status by name or number ("" is unspecified).
func ParseStatus(s string) (ExecutionStatus, error) {
	if s == "" {
		return StatusUnspecified, nil
	}
	v, err := enumValue([]byte(strconv.Quote(s)), len(executionStatuses), func(i int) string { return string(executionStatuses[i]) })
	return ExecutionStatus(v), err
}

// enumValue reads an enum given as its name (a JSON string) or number (a
// JSON number or a string of digits).
func enumValue(b []byte, n int, name func(int) string) (string, error) {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var i int
		if err := json.Unmarshal(b, &i); err != nil {
			return "", fmt.Errorf("%s is not an enum name or number", b)
		}
		s = strconv.Itoa(i)
	}
	if i, err := strconv.Atoi(s); err == nil {
		if i < 0 || i >= n {
			return "", fmt.Errorf("%d is not one of the enum's numbers", i)
		}
		return name(i), nil
	}
	for i := range n {
		if name(i) == s {
			return s, nil
		}
	}
	return "", fmt.Errorf("%q is not one of the enum's names", s)
}

// TypeOf is the execution type of a ProwJob type.
func TypeOf(t prowapi.ProwJobType) ExecutionType {
	switch t {
	case prowapi.PeriodicJob, prowapi.PostsubmitJob, prowapi.PresubmitJob, prowapi.BatchJob:
		return ExecutionType(strings.ToUpper(string(t)))
	}
	return TypeUnspecified
}

// ProwJobType is the ProwJob type of an execution type ("" for none).
func (t ExecutionType) ProwJobType() prowapi.ProwJobType {
	if t == TypeUnspecified || t == "" {
		return ""
	}
	return prowapi.ProwJobType(strings.ToLower(string(t)))
}

// StatusOf is the execution status of a ProwJob state.
func StatusOf(s prowapi.ProwJobState) ExecutionStatus {
	switch s {
	case prowapi.SchedulingState, prowapi.TriggeredState, prowapi.PendingState, prowapi.SuccessState,
		prowapi.FailureState, prowapi.AbortedState, prowapi.ErrorState:
		return ExecutionStatus(strings.ToUpper(string(s)))
	}
	return StatusUnspecified
}

// State is the ProwJob state of a status ("" for unspecified).
func (s ExecutionStatus) State() prowapi.ProwJobState {
	if s == StatusUnspecified || s == "" {
		return ""
	}
	return prowapi.ProwJobState(strings.ToLower(string(s)))
}

// CreateJobExecutionRequest asks for a run of a configured job.
type CreateJobExecutionRequest struct {
	JobName          string          `json:"job_name,omitempty"`
	JobExecutionType ExecutionType   `json:"job_execution_type,omitempty"`
	Refs             *Refs           `json:"refs,omitempty"`
	PodSpecOptions   *PodSpecOptions `json:"pod_spec_options,omitempty"`
}

// PodSpecOptions change the run: env of its containers, labels and
// annotations of the ProwJob.
type PodSpecOptions struct {
	Envs        map[string]string `json:"envs,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// Refs are the ProwJob's refs, as gangway's protobuf has them.
type Refs struct {
	Org            string  `json:"org,omitempty"`
	Repo           string  `json:"repo,omitempty"`
	RepoLink       string  `json:"repo_link,omitempty"`
	BaseRef        string  `json:"base_ref,omitempty"`
	BaseSHA        string  `json:"base_sha,omitempty"`
	BaseLink       string  `json:"base_link,omitempty"`
	Pulls          []*Pull `json:"pulls,omitempty"`
	PathAlias      string  `json:"path_alias,omitempty"`
	WorkDir        bool    `json:"work_dir,omitempty"`
	CloneURI       string  `json:"clone_uri,omitempty"`
	SkipSubmodules bool    `json:"skip_submodules,omitempty"`
	CloneDepth     int32   `json:"clone_depth,omitempty"`
	SkipFetchHead  bool    `json:"skip_fetch_head,omitempty"`
}

// Pull is a pull request of the refs.
type Pull struct {
	Number     int32  `json:"number,omitempty"`
	Author     string `json:"author,omitempty"`
	SHA        string `json:"sha,omitempty"`
	Title      string `json:"title,omitempty"`
	Ref        string `json:"ref,omitempty"`
	Link       string `json:"link,omitempty"`
	CommitLink string `json:"commit_link,omitempty"`
	AuthorLink string `json:"author_link,omitempty"`
}

// JobExecution is a run of a job.
type JobExecution struct {
	ID             string          `json:"id,omitempty"`
	JobName        string          `json:"job_name,omitempty"`
	JobType        ExecutionType   `json:"job_type,omitempty"`
	JobStatus      ExecutionStatus `json:"job_status,omitempty"`
	Refs           *Refs           `json:"refs,omitempty"`
	PodSpecOptions *PodSpecOptions `json:"pod_spec_options,omitempty"`
	GCSPath        string          `json:"gcs_path,omitempty"`
	CreateTime     *time.Time      `json:"create_time,omitempty"`
	CompletionTime *time.Time      `json:"completion_time,omitempty"`
	JobURL         string          `json:"job_url,omitempty"`
}

// JobExecutions is a list of runs.
type JobExecutions struct {
	JobExecution []*JobExecution `json:"job_execution,omitempty"`
}

// ProwJobRefs are r as a ProwJob's refs.
func (r *Refs) ProwJobRefs() *prowapi.Refs {
	if r == nil {
		return nil
	}
	out := &prowapi.Refs{Org: r.Org, Repo: r.Repo, RepoLink: r.RepoLink, BaseRef: r.BaseRef, BaseSHA: r.BaseSHA, BaseLink: r.BaseLink,
		PathAlias: r.PathAlias, WorkDir: r.WorkDir, CloneURI: r.CloneURI, SkipSubmodules: r.SkipSubmodules,
		CloneDepth: int(r.CloneDepth), SkipFetchHead: r.SkipFetchHead}
	for _, p := range r.Pulls {
		if p == nil {
			continue
		}
		out.Pulls = append(out.Pulls, prowapi.Pull{Number: int(p.Number), Author: p.Author, SHA: p.SHA, Title: p.Title,
			Ref: p.Ref, Link: p.Link, CommitLink: p.CommitLink, AuthorLink: p.AuthorLink})
	}
	return out
}

// refsOf are a ProwJob's refs as gangway's.
func refsOf(r *prowapi.Refs) *Refs {
	if r == nil {
		return nil
	}
	out := &Refs{Org: r.Org, Repo: r.Repo, RepoLink: r.RepoLink, BaseRef: r.BaseRef, BaseSHA: r.BaseSHA, BaseLink: r.BaseLink,
		PathAlias: r.PathAlias, WorkDir: r.WorkDir, CloneURI: r.CloneURI, SkipSubmodules: r.SkipSubmodules,
		CloneDepth: int32(min(r.CloneDepth, 1<<31-1)), SkipFetchHead: r.SkipFetchHead}
	for _, p := range r.Pulls {
		out.Pulls = append(out.Pulls, &Pull{Number: int32(min(p.Number, 1<<31-1)), Author: p.Author, SHA: p.SHA, Title: p.Title,
			Ref: p.Ref, Link: p.Link, CommitLink: p.CommitLink, AuthorLink: p.AuthorLink})
	}
	return out
}
