package config

import (
	"encoding/json"
	"regexp"
	"time"

	corev1 "k8s.io/api/core/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// JobConfig is the job part of the configuration: it may be split over any
// number of files, and config.yaml may hold some of it too.
type JobConfig struct {
	// Presets add env, volumes and mounts to jobs whose labels match.
	Presets []Preset `json:"presets,omitempty"`
	// Presubmits run on pull requests, keyed by "org/repo".
	Presubmits map[string][]Presubmit `json:"presubmits,omitempty"`
	// Postsubmits run on pushes, keyed by "org/repo".
	Postsubmits map[string][]Postsubmit `json:"postsubmits,omitempty"`
	// Periodics run on a schedule.
	Periodics []Periodic `json:"periodics,omitempty"`
	// DecorateAllJobs decorates every job that does not say otherwise.
	DecorateAllJobs bool `json:"decorate_all_jobs,omitempty"`
	// ProwIgnored holds anything a file wants to keep next to its jobs
	// (YAML anchors, generator input); it is never read.
	ProwIgnored json.RawMessage `json:"prow_ignored,omitempty"`
}

// Preset is merged into every job whose labels include all of Labels.
type Preset struct {
	Labels       map[string]string    `json:"labels"`
	Env          []corev1.EnvVar      `json:"env,omitempty"`
	Volumes      []corev1.Volume      `json:"volumes,omitempty"`
	VolumeMounts []corev1.VolumeMount `json:"volumeMounts,omitempty"`
}

// JobBase holds what every kind of job has.
type JobBase struct {
	Name            string                   `json:"name"`
	Labels          map[string]string        `json:"labels,omitempty"`
	Annotations     map[string]string        `json:"annotations,omitempty"`
	MaxConcurrency  int                      `json:"max_concurrency,omitempty"`
	Agent           string                   `json:"agent,omitempty"`
	Cluster         string                   `json:"cluster,omitempty"`
	Namespace       *string                  `json:"namespace,omitempty"`
	ErrorOnEviction bool                     `json:"error_on_eviction,omitempty"`
	Spec            *corev1.PodSpec          `json:"spec,omitempty"`
	PipelineRunSpec json.RawMessage          `json:"pipeline_run_spec,omitempty"`
	TektonPipeline  json.RawMessage          `json:"tekton_pipeline_run_spec,omitempty"`
	ReporterConfig  *prowapi.ReporterConfig  `json:"reporter_config,omitempty"`
	RerunAuthConfig *prowapi.RerunAuthConfig `json:"rerun_auth_config,omitempty"`
	Hidden          bool                     `json:"hidden,omitempty"`
	ProwJobDefault  *prowapi.ProwJobDefault  `json:"prowjob_defaults,omitempty"`
	JobQueueName    string                   `json:"job_queue_name,omitempty"`

	UtilityConfig `json:",inline"`

	// SourcePath is the file the job was read from; SourceLine its line.
	SourcePath string `json:"-"`
	SourceLine int    `json:"-"`
}

// UtilityConfig says how the pod utilities decorate a job.
type UtilityConfig struct {
	Decorate         *bool                     `json:"decorate,omitempty"`
	PathAlias        string                    `json:"path_alias,omitempty"`
	CloneURI         string                    `json:"clone_uri,omitempty"`
	SkipSubmodules   bool                      `json:"skip_submodules,omitempty"`
	CloneDepth       int                       `json:"clone_depth,omitempty"`
	SkipFetchHead    bool                      `json:"skip_fetch_head,omitempty"`
	ExtraRefs        []prowapi.Refs            `json:"extra_refs,omitempty"`
	DecorationConfig *prowapi.DecorationConfig `json:"decoration_config,omitempty"`
}

// Brancher restricts a job to some branches. Entries are Go regexes joined
// with |, unanchored; skip_branches wins over branches.
type Brancher struct {
	SkipBranches []string `json:"skip_branches,omitempty"`
	Branches     []string `json:"branches,omitempty"`

	re     *regexp.Regexp
	skipRe *regexp.Regexp
}

// RegexpChangeMatcher runs a job only for some changed files.
type RegexpChangeMatcher struct {
	// RunIfChanged runs the job when any changed path matches.
	RunIfChanged string `json:"run_if_changed,omitempty"`
	// SkipIfOnlyChanged runs the job unless every changed path matches.
	SkipIfOnlyChanged string `json:"skip_if_only_changed,omitempty"`

	reChanges *regexp.Regexp
}

// Reporter says how a job reports to GitHub.
type Reporter struct {
	Context    string `json:"context,omitempty"`
	SkipReport bool   `json:"skip_report,omitempty"`
}

// JenkinsSpec holds what only Jenkins jobs need.
type JenkinsSpec struct {
	GitHubBranchSourceJob bool `json:"github_branch_source_job,omitempty"`
}

// Presubmit runs on pull requests.
type Presubmit struct {
	JobBase `json:",inline"`

	AlwaysRun      bool   `json:"always_run"`
	Optional       bool   `json:"optional,omitempty"`
	Trigger        string `json:"trigger,omitempty"`
	RerunCommand   string `json:"rerun_command,omitempty"`
	RunBeforeMerge bool   `json:"run_before_merge,omitempty"`

	Brancher            `json:",inline"`
	RegexpChangeMatcher `json:",inline"`
	Reporter            `json:",inline"`

	JenkinsSpec *JenkinsSpec `json:"jenkins_spec,omitempty"`

	re             *regexp.Regexp
	defaultTrigger bool // Trigger is DefaultTriggerFor(Name): match without a regex
}

// Postsubmit runs on pushes to a branch.
type Postsubmit struct {
	JobBase `json:",inline"`

	RegexpChangeMatcher `json:",inline"`
	Brancher            `json:",inline"`

	// AlwaysRun, when set, decides alone whether the job runs: unset means
	// it runs unless its change filters say otherwise.
	AlwaysRun *bool `json:"always_run,omitempty"`

	Reporter `json:",inline"`

	JenkinsSpec *JenkinsSpec `json:"jenkins_spec,omitempty"`
}

// Periodic runs on a schedule: an interval, a minimum interval between runs,
// or a cron expression.
type Periodic struct {
	JobBase `json:",inline"`

	Cron            string   `json:"cron,omitempty"`
	Interval        string   `json:"interval,omitempty"`
	MinimumInterval string   `json:"minimum_interval,omitempty"`
	Tags            []string `json:"tags,omitempty"`
	Retry           *Retry   `json:"retry,omitempty"`

	interval        time.Duration
	minimumInterval time.Duration
}

// Retry reruns a failed periodic.
type Retry struct {
	Attempts int    `json:"attempts,omitempty"`
	Interval string `json:"interval,omitempty"`
	RunAll   bool   `json:"run_all,omitempty"`
}
