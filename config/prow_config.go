package config

import (
	"encoding/json"
	"text/template"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// ProwConfig is config.yaml without the job configuration.
type ProwConfig struct {
	Tide                  Tide                   `json:"tide,omitempty"`
	Plank                 Plank                  `json:"plank,omitempty"`
	Sinker                Sinker                 `json:"sinker,omitempty"`
	Deck                  Deck                   `json:"deck,omitempty"`
	BranchProtection      BranchProtection       `json:"branch-protection,omitempty"`
	GitHubReporter        GitHubReporter         `json:"github_reporter,omitempty"`
	Horologium            Horologium             `json:"horologium,omitempty"`
	SlackReporterConfigs  SlackReporterConfigs   `json:"slack_reporter_configs,omitempty"`
	InRepoConfig          InRepoConfig           `json:"in_repo_config,omitempty"`
	GitHubOptions         GitHubOptions          `json:"github,omitempty"`
	ProwJobDefaultEntries []*ProwJobDefaultEntry `json:"prowjob_default_entries,omitempty"`
	PushGateway           PushGateway            `json:"push_gateway,omitempty"`
	Scheduler             Scheduler              `json:"scheduler,omitempty"`
	ManagedWebhooks       ManagedWebhooks        `json:"managed_webhooks,omitempty"`
	OwnersDirDenylist     *OwnersDirDenylist     `json:"owners_dir_denylist,omitempty"`
	Gangway               Gangway                `json:"gangway,omitempty"`

	ProwJobNamespace  string           `json:"prowjob_namespace,omitempty"`
	PodNamespace      string           `json:"pod_namespace,omitempty"`
	LogLevel          string           `json:"log_level,omitempty"`
	DefaultJobTimeout *metav1.Duration `json:"default_job_timeout,omitempty"`
	DisabledClusters  []string         `json:"disabled_clusters,omitempty"`
	StatusErrorLink   string           `json:"status_error_link,omitempty"`
	ConfigVersionSHA  string           `json:"config_version_sha,omitempty"`

	// Sections for components this bot does not run; kept as written so
	// a Prow config loads unchanged.
	Gerrit              json.RawMessage `json:"gerrit,omitempty"`
	Moonraker           json.RawMessage `json:"moonraker,omitempty"`
	JenkinsOperators    json.RawMessage `json:"jenkins_operators,omitempty"`
	PubSubSubscriptions json.RawMessage `json:"pubsub_subscriptions,omitempty"`
	PubSubTriggers      json.RawMessage `json:"pubsub_triggers,omitempty"`
	Pipeline            json.RawMessage `json:"pipeline,omitempty"`
}

// Plank configures the controller that runs jobs.
type Plank struct {
	JobURLTemplateString                     string                               `json:"job_url_template,omitempty"`
	ReportTemplateString                     string                               `json:"report_template,omitempty"`
	ReportTemplateStrings                    map[string]string                    `json:"report_templates,omitempty"`
	MaxConcurrency                           int                                  `json:"max_concurrency,omitempty"`
	MaxGoroutines                            int                                  `json:"max_goroutines,omitempty"`
	PodPendingTimeout                        *metav1.Duration                     `json:"pod_pending_timeout,omitempty"`
	PodRunningTimeout                        *metav1.Duration                     `json:"pod_running_timeout,omitempty"`
	PodUnscheduledTimeout                    *metav1.Duration                     `json:"pod_unscheduled_timeout,omitempty"`
	MaxRevivals                              *int                                 `json:"max_revivals,omitempty"`
	DefaultDecorationConfigsMap              map[string]*prowapi.DecorationConfig `json:"default_decoration_configs,omitempty"`
	DefaultDecorationConfigs                 []*DefaultDecorationConfigEntry      `json:"default_decoration_config_entries,omitempty"`
	JobURLPrefixConfig                       map[string]string                    `json:"job_url_prefix_config,omitempty"`
	JobURLPrefixDisableAppendStorageProvider bool                                 `json:"jobURLPrefixDisableAppendStorageProvider,omitempty"`
	BuildClusterStatusFile                   string                               `json:"build_cluster_status_file,omitempty"`
	JobQueueCapacities                       map[string]int                       `json:"job_queue_capacities,omitempty"`

	jobURLTemplate  *template.Template
	reportTemplates map[string]*template.Template
}

// DefaultDecorationConfigEntry is a decoration default for the jobs of a
// repo ("org", "org/repo", or "*"/"" for all) and cluster ("*"/"" for all).
type DefaultDecorationConfigEntry struct {
	OrgRepo string                    `json:"repo,omitempty"`
	Cluster string                    `json:"cluster,omitempty"`
	Config  *prowapi.DecorationConfig `json:"config,omitempty"`
}

// ProwJobDefaultEntry is a ProwJob default for a repo and cluster.
type ProwJobDefaultEntry struct {
	OrgRepo string                  `json:"repo,omitempty"`
	Cluster string                  `json:"cluster,omitempty"`
	Config  *prowapi.ProwJobDefault `json:"config,omitempty"`
}

// Sinker configures garbage collection of finished jobs and pods.
type Sinker struct {
	ResyncPeriod     *metav1.Duration `json:"resync_period,omitempty"`
	MaxProwJobAge    *metav1.Duration `json:"max_prowjob_age,omitempty"`
	MaxPodAge        *metav1.Duration `json:"max_pod_age,omitempty"`
	TerminatedPodTTL *metav1.Duration `json:"terminated_pod_ttl,omitempty"`
	ExcludeClusters  []string         `json:"exclude_clusters,omitempty"`
}

// GitHubReporter says which jobs report to GitHub and how.
type GitHubReporter struct {
	JobTypesToReport    []prowapi.ProwJobType `json:"job_types_to_report,omitempty"`
	NoCommentRepos      []string              `json:"no_comment_repos,omitempty"`
	SummaryCommentRepos []string              `json:"summary_comment_repos,omitempty"`
	// ReportAs is how a job's result shows on its commit: ReportAsStatuses
	// or ReportAsCheckRuns. Unset, it is check runs for a bot that
	// authenticates as a GitHub App and statuses otherwise
	// (ReportAsFor).
	ReportAs string `json:"report_as,omitempty"`
}

// The values of github_reporter.report_as.
const (
	// ReportAsStatuses reports each job as a commit status.
	ReportAsStatuses = "statuses"
	// ReportAsCheckRuns reports each job as a check run.
	ReportAsCheckRuns = "check-runs"
)

// ReportAsFor is github_reporter.report_as in force for a bot that is (or
// is not) a GitHub App: the setting, else check runs for an app and
// statuses for a token.
func (g GitHubReporter) ReportAsFor(app bool) string {
	switch {
	case g.ReportAs != "":
		return g.ReportAs
	case app:
		return ReportAsCheckRuns
	}
	return ReportAsStatuses
}

// Horologium configures the periodic job trigger.
type Horologium struct {
	TickInterval *metav1.Duration `json:"tick_interval,omitempty"`
}

// SlackReporterConfigs maps "*", "org" or "org/repo" to Slack reporting.
type SlackReporterConfigs map[string]SlackReporter

// SlackReporter reports job states to a Slack channel.
type SlackReporter struct {
	JobTypesToReport            []prowapi.ProwJobType `json:"job_types_to_report,omitempty"`
	prowapi.SlackReporterConfig `json:",inline"`
}

// InRepoConfig enables job configuration inside repositories.
type InRepoConfig struct {
	Enabled         map[string]*bool    `json:"enabled,omitempty"`
	AllowedClusters map[string][]string `json:"allowed_clusters,omitempty"`
}

// GitHubOptions holds GitHub settings.
type GitHubOptions struct {
	LinkURLFromConfig string `json:"link_url,omitempty"`
}

// PushGateway configures pushing metrics to a Prometheus push gateway.
type PushGateway struct {
	Endpoint     string           `json:"endpoint,omitempty"`
	Interval     *metav1.Duration `json:"interval,omitempty"`
	ServeMetrics bool             `json:"serve_metrics,omitempty"`
}

// Scheduler configures the optional job scheduler.
type Scheduler struct {
	Enabled  bool            `json:"enabled,omitempty"`
	Failover json.RawMessage `json:"failover,omitempty"`
	External json.RawMessage `json:"external,omitempty"`
}

// ManagedWebhooks configures webhooks the hmac tool manages.
type ManagedWebhooks struct {
	RespectLegacyGlobalToken bool                          `json:"respect_legacy_global_token,omitempty"`
	AutoAcceptInvitation     bool                          `json:"auto_accept_invitation,omitempty"`
	OrgRepoConfig            map[string]ManagedWebhookInfo `json:"org_repo_config,omitempty"`
}

// ManagedWebhookInfo is one managed webhook.
type ManagedWebhookInfo struct {
	TokenCreatedAfter metav1.Time `json:"token_created_after"`
}

// OwnersDirDenylist lists directories whose OWNERS files are ignored.
type OwnersDirDenylist struct {
	Repos                       map[string][]string `json:"repos,omitempty"`
	Default                     []string            `json:"default,omitempty"`
	IgnorePreconfiguredDefaults bool                `json:"ignore_preconfigured_defaults,omitempty"`
}
