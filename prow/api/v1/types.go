package v1

import (
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ProwJobType is the kind of job: when it runs and against what.
type ProwJobType string

// The job types.
const (
	PresubmitJob  ProwJobType = "presubmit"
	PostsubmitJob ProwJobType = "postsubmit"
	PeriodicJob   ProwJobType = "periodic"
	BatchJob      ProwJobType = "batch"
)

// ProwJobState is where a job is in its life.
type ProwJobState string

// The seven job states.
const (
	SchedulingState ProwJobState = "scheduling"
	TriggeredState  ProwJobState = "triggered"
	PendingState    ProwJobState = "pending"
	SuccessState    ProwJobState = "success"
	FailureState    ProwJobState = "failure"
	AbortedState    ProwJobState = "aborted"
	ErrorState      ProwJobState = "error"
)

// IsFinal is true for the states a job never leaves.
func (s ProwJobState) IsFinal() bool {
	switch s {
	case SuccessState, FailureState, AbortedState, ErrorState:
		return true
	}
	return false
}

// ProwJobAgent is what runs a job.
type ProwJobAgent string

// The agents.
const (
	KubernetesAgent ProwJobAgent = "kubernetes"
	JenkinsAgent    ProwJobAgent = "jenkins"
	TektonAgent     ProwJobAgent = "tekton-pipeline"
)

// DefaultClusterAlias is the build cluster a job runs in unless it names one.
const DefaultClusterAlias = "default"

// ProwJob is one run of a job.
//
// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
// +kubebuilder:object:root=true
// +kubebuilder:resource:path=prowjobs,singular=prowjob,scope=Namespaced
// +kubebuilder:metadata:annotations="api-approved.kubernetes.io=https://github.com/kubernetes/test-infra/pull/8669"
// +kubebuilder:printcolumn:name="Job",type=string,JSONPath=`.spec.job`,description="The name of the job being run"
// +kubebuilder:printcolumn:name="BuildId",type=string,JSONPath=`.status.build_id`,description="The ID of the job being run."
// +kubebuilder:printcolumn:name="Type",type=string,JSONPath=`.spec.type`,description="The type of job being run."
// +kubebuilder:printcolumn:name="Org",type=string,JSONPath=`.spec.refs.org`,description="The org for which the job is running."
// +kubebuilder:printcolumn:name="Repo",type=string,JSONPath=`.spec.refs.repo`,description="The repo for which the job is running."
// +kubebuilder:printcolumn:name="Pulls",type=string,JSONPath=`.spec.refs.pulls[*].number`,description="The pulls for which the job is running."
// +kubebuilder:printcolumn:name="StartTime",type=date,JSONPath=`.status.startTime`,description="When the job started running."
// +kubebuilder:printcolumn:name="CompletionTime",type=date,JSONPath=`.status.completionTime`,description="When the job finished running."
// +kubebuilder:printcolumn:name="State",type=string,JSONPath=`.status.state`,description="The state of the job."
type ProwJob struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ProwJobSpec   `json:"spec,omitempty"`
	Status ProwJobStatus `json:"status,omitempty"`
}

// ProwJobList is a list of ProwJobs.
//
// +kubebuilder:object:root=true
type ProwJobList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []ProwJob `json:"items"`
}

// ProwJobSpec says what to run.
type ProwJobSpec struct {
	// +kubebuilder:validation:Enum=presubmit;postsubmit;periodic;batch
	Type ProwJobType `json:"type,omitempty"`
	// +kubebuilder:validation:Enum=kubernetes;jenkins;tekton-pipeline
	Agent     ProwJobAgent `json:"agent,omitempty"`
	Cluster   string       `json:"cluster,omitempty"`
	Namespace string       `json:"namespace,omitempty"`
	Job       string       `json:"job,omitempty"`
	Refs      *Refs        `json:"refs,omitempty"`
	ExtraRefs []Refs       `json:"extra_refs,omitempty"`

	Report         bool   `json:"report,omitempty"`
	Context        string `json:"context,omitempty"`
	RerunCommand   string `json:"rerun_command,omitempty"`
	MaxConcurrency int    `json:"max_concurrency,omitempty"`

	ErrorOnEviction bool `json:"error_on_eviction,omitempty"`

	// PodSpec is kept without a schema in the CRD so it stays small.
	// +kubebuilder:validation:Schemaless
	// +kubebuilder:pruning:PreserveUnknownFields
	// +kubebuilder:validation:Type=object
	PodSpec *corev1.PodSpec `json:"pod_spec,omitempty"`

	JenkinsSpec *JenkinsSpec `json:"jenkins_spec,omitempty"`

	// +kubebuilder:pruning:PreserveUnknownFields
	PipelineRunSpec *apiextensionsv1.JSON `json:"pipeline_run_spec,omitempty"`
	// +kubebuilder:pruning:PreserveUnknownFields
	TektonPipelineRunSpec *apiextensionsv1.JSON `json:"tekton_pipeline_run_spec,omitempty"`

	DecorationConfig *DecorationConfig `json:"decoration_config,omitempty"`
	ReporterConfig   *ReporterConfig   `json:"reporter_config,omitempty"`
	RerunAuthConfig  *RerunAuthConfig  `json:"rerun_auth_config,omitempty"`

	Hidden         bool            `json:"hidden,omitempty"`
	ProwJobDefault *ProwJobDefault `json:"prowjob_defaults,omitempty"`
	JobQueueName   string          `json:"job_queue_name,omitempty"`
}

// JenkinsSpec holds what only Jenkins jobs need.
type JenkinsSpec struct {
	GitHubBranchSourceJob bool `json:"github_branch_source_job,omitempty"`
}

// ReporterConfig configures reporters other than GitHub for one job.
type ReporterConfig struct {
	Slack *SlackReporterConfig `json:"slack,omitempty"`
}

// SlackReporterConfig says where and when to report a job on Slack.
type SlackReporterConfig struct {
	Host              string         `json:"host,omitempty"`
	Channel           string         `json:"channel,omitempty"`
	JobStatesToReport []ProwJobState `json:"job_states_to_report,omitempty"`
	ReportTemplate    string         `json:"report_template,omitempty"`
	Report            *bool          `json:"report,omitempty"`
}

// RerunAuthConfig says who may rerun or abort a job from the dashboard.
type RerunAuthConfig struct {
	AllowAnyone     bool             `json:"allow_anyone,omitempty"`
	GitHubTeamIDs   []int            `json:"github_team_ids,omitempty"`
	GitHubTeamSlugs []GitHubTeamSlug `json:"github_team_slugs,omitempty"`
	GitHubUsers     []string         `json:"github_users,omitempty"`
	GitHubOrgs      []string         `json:"github_orgs,omitempty"`
}

// GitHubTeamSlug names a team by org and slug.
type GitHubTeamSlug struct {
	Slug string `json:"slug"`
	Org  string `json:"org"`
}

// ProwJobDefault holds defaults applied to ProwJobs.
type ProwJobDefault struct {
	ResultStoreConfig *ResultStoreConfig `json:"resultstore_config,omitempty"`
	TenantID          string             `json:"tenant_id,omitempty"`
}

// ResultStoreConfig says where results are uploaded to ResultStore.
type ResultStoreConfig struct {
	ProjectID string `json:"project_id,omitempty"`
}

// ProwJobStatus says how the job is doing.
type ProwJobStatus struct {
	StartTime      metav1.Time  `json:"startTime,omitempty"`
	PendingTime    *metav1.Time `json:"pendingTime,omitempty"`
	CompletionTime *metav1.Time `json:"completionTime,omitempty"`
	// +kubebuilder:validation:Enum=scheduling;triggered;pending;success;failure;aborted;error
	State           ProwJobState `json:"state,omitempty"`
	Description     string       `json:"description,omitempty"`
	URL             string       `json:"url,omitempty"`
	PodRevivalCount int          `json:"pod_revival_count,omitempty"`
	PodName         string       `json:"pod_name,omitempty"`
	BuildID         string       `json:"build_id,omitempty"`
	JenkinsBuildID  string       `json:"jenkins_build_id,omitempty"`
	// PrevReportStates remembers, per reporter, the last state it reported.
	PrevReportStates map[string]ProwJobState `json:"prev_report_states,omitempty"`
}

// Complete is true once the job has finished.
func (j *ProwJob) Complete() bool { return j.Status.CompletionTime != nil }
