package pluginconfig

// Size are the line-count thresholds of the size/* labels.
type Size struct {
	S   int `json:"s,omitempty"`
	M   int `json:"m,omitempty"`
	L   int `json:"l,omitempty"`
	Xl  int `json:"xl,omitempty"`
	Xxl int `json:"xxl,omitempty"`
}

// Label configures the label plugin.
type Label struct {
	AdditionalLabels []string                     `json:"additional_labels,omitempty"`
	RestrictedLabels map[string][]RestrictedLabel `json:"restricted_labels,omitempty"`
}

// RestrictedLabel may only be added by some teams or users.
type RestrictedLabel struct {
	Label        string          `json:"label"`
	AllowedTeams []string        `json:"allowed_teams,omitempty"`
	AllowedUsers []string        `json:"allowed_users,omitempty"`
	AssignOn     []AssignOnLabel `json:"assign_on,omitempty"`
}

// AssignOnLabel assigns the allowed users when another label is added.
type AssignOnLabel struct {
	Label string `json:"label"`
}

// RequireMatchingLabel adds a label when none matching a regex is present.
type RequireMatchingLabel struct {
	Org            string `json:"org,omitempty"`
	Repo           string `json:"repo,omitempty"`
	Branch         string `json:"branch,omitempty"`
	PRs            bool   `json:"prs,omitempty"`
	Issues         bool   `json:"issues,omitempty"`
	Regexp         string `json:"regexp,omitempty"`
	MissingLabel   string `json:"missing_label,omitempty"`
	MissingComment string `json:"missing_comment,omitempty"`
	GracePeriod    string `json:"grace_period,omitempty"`
}

// Welcome configures the welcome message for some repos.
type Welcome struct {
	Repos           []string `json:"repos,omitempty"`
	MessageTemplate string   `json:"message_template,omitempty"`
	AlwaysPost      bool     `json:"always_post,omitempty"`
}

// Help configures the help plugin.
type Help struct {
	HelpGuidelinesURL     string `json:"help_guidelines_url,omitempty"`
	HelpGuidelinesSummary string `json:"help_guidelines_summary,omitempty"`
}

// Retitle configures the retitle plugin.
type Retitle struct {
	AllowClosedIssues bool `json:"allow_closed_issues,omitempty"`
}

// Blockade blocks PRs that touch some paths.
type Blockade struct {
	Repos            []string `json:"repos,omitempty"`
	BranchRegexp     *string  `json:"branchregexp,omitempty"`
	BlockRegexps     []string `json:"blockregexps,omitempty"`
	ExceptionRegexps []string `json:"exceptionregexps,omitempty"`
	Explanation      string   `json:"explanation,omitempty"`
}

// Milestone names the team that maintains a repo's milestones.
type Milestone struct {
	MaintainersID           int    `json:"maintainers_id,omitempty"`
	MaintainersTeam         string `json:"maintainers_team,omitempty"`
	MaintainersFriendlyName string `json:"maintainers_friendly_name,omitempty"`
}

// CherryPickUnapproved labels cherry-picks to release branches.
type CherryPickUnapproved struct {
	BranchRegexp string `json:"branchregexp,omitempty"`
	Comment      string `json:"comment,omitempty"`
}

// CherryPickApproved names who approves cherry-picks of a repo.
type CherryPickApproved struct {
	Org                       string   `json:"org,omitempty"`
	Repo                      string   `json:"repo,omitempty"`
	BranchRegexp              string   `json:"branchregexp,omitempty"`
	Approvers                 []string `json:"approvers,omitempty"`
	AllowMissingApprovedLabel bool     `json:"allow_missing_approved_label,omitempty"`
	AllowMissingLGTMLabel     bool     `json:"allow_missing_lgtm_label,omitempty"`
}

// InvalidCommitMsg configures commit message checks for some repos.
type InvalidCommitMsg struct {
	Repos  []string             `json:"repos,omitempty"`
	Checks []InvalidCommitCheck `json:"checks,omitempty"`
}

// InvalidCommitCheck turns one check on or off.
type InvalidCommitCheck struct {
	Name     string `json:"name"`
	Disabled bool   `json:"disabled,omitempty"`
}

// SigMention configures the sigmention plugin.
type SigMention struct {
	Regexp string `json:"regexp,omitempty"`
}

// Slack configures the Slack plugins.
type Slack struct {
	MentionChannels []string       `json:"mentionchannels,omitempty"`
	MergeWarnings   []MergeWarning `json:"mergewarnings,omitempty"`
}

// MergeWarning warns Slack channels of manual merges.
type MergeWarning struct {
	Repos          []string            `json:"repos,omitempty"`
	Channels       []string            `json:"channels,omitempty"`
	ExemptUsers    []string            `json:"exempt_users,omitempty"`
	ExemptBranches map[string][]string `json:"exempt_branches,omitempty"`
}

// ConfigUpdater copies files into ConfigMaps on merge.
type ConfigUpdater struct {
	Maps          map[string]ConfigMapSpec `json:"maps,omitempty"`
	ClusterGroups map[string]ClusterGroup  `json:"cluster_groups,omitempty"`
	GZIP          bool                     `json:"gzip,omitempty"`
}

// ConfigMapSpec is one file pattern and the ConfigMap it goes to.
type ConfigMapSpec struct {
	Name             string              `json:"name"`
	Key              string              `json:"key,omitempty"`
	GZIP             *bool               `json:"gzip,omitempty"`
	Clusters         map[string][]string `json:"clusters,omitempty"`
	ClusterGroups    []string            `json:"cluster_groups,omitempty"`
	UseFullPathAsKey bool                `json:"use_full_path_as_key,omitempty"`
	PartitionedNames []string            `json:"partitioned_names,omitempty"`
	AllowedRepos     []string            `json:"allowed_repos,omitempty"`
	DeniedRepos      []string            `json:"denied_repos,omitempty"`
}

// ClusterGroup names clusters and namespaces together.
type ClusterGroup struct {
	Clusters   []string `json:"clusters,omitempty"`
	Namespaces []string `json:"namespaces,omitempty"`
}
