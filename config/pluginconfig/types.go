package pluginconfig

import (
	"encoding/json"
	"fmt"
)

// Configuration is plugins.yaml.
type Configuration struct {
	// Plugins enables plugins per "org" or "org/repo".
	Plugins Plugins `json:"plugins,omitempty"`
	// ExternalPlugins are services deliveries are forwarded to, per "org"
	// or "org/repo".
	ExternalPlugins map[string][]ExternalPlugin `json:"external_plugins,omitempty"`

	Owners               Owners                       `json:"owners,omitempty"`
	Triggers             []Trigger                    `json:"triggers,omitempty"`
	Approve              []Approve                    `json:"approve,omitempty"`
	Lgtm                 []Lgtm                       `json:"lgtm,omitempty"`
	Blunderbuss          Blunderbuss                  `json:"blunderbuss,omitempty"`
	Override             Override                     `json:"override,omitempty"`
	Size                 Size                         `json:"size,omitempty"`
	Label                Label                        `json:"label,omitempty"`
	RequireMatchingLabel []RequireMatchingLabel       `json:"require_matching_label,omitempty"`
	Welcome              []Welcome                    `json:"welcome,omitempty"`
	Help                 Help                         `json:"help,omitempty"`
	Retitle              Retitle                      `json:"retitle,omitempty"`
	Blockades            []Blockade                   `json:"blockades,omitempty"`
	RepoMilestone        map[string]Milestone         `json:"repo_milestone,omitempty"`
	MilestoneApplier     map[string]map[string]string `json:"milestone_applier,omitempty"`
	ConfigUpdater        ConfigUpdater                `json:"config_updater,omitempty"`
	DCO                  map[string]*DCO              `json:"dco,omitempty"`
	CherryPickUnapproved CherryPickUnapproved         `json:"cherry_pick_unapproved,omitempty"`
	CherryPickApproved   []CherryPickApproved         `json:"cherry_pick_approved,omitempty"`
	InvalidCommitMsg     []InvalidCommitMsg           `json:"invalid_commit_msg,omitempty"`
	SigMention           SigMention                   `json:"sigmention,omitempty"`
	Slack                Slack                        `json:"slack,omitempty"`
	Cat                  KeyPath                      `json:"cat,omitempty"`
	Goose                KeyPath                      `json:"goose,omitempty"`
	Heart                Heart                        `json:"heart,omitempty"`
	Golint               Golint                       `json:"golint,omitempty"`
	BranchCleaner        BranchCleaner                `json:"branch_cleaner,omitempty"`
	ReleaseNote          ReleaseNote                  `json:"release_note,omitempty"`
	// Cherrypicker configures the built-in cherrypicker (Prow's external
	// plugin takes these as flags); not a Prow key.
	Cherrypicker   Cherrypicker    `json:"cherrypicker,omitempty"`
	ProjectConfig  ProjectConfig   `json:"project_config,omitempty"`
	ProjectManager json.RawMessage `json:"project_manager,omitempty"`
	Jira           *Jira           `json:"jira,omitempty"`
	Bugzilla       json.RawMessage `json:"bugzilla,omitempty"`
}

// Plugins maps "org" or "org/repo" to the plugins enabled there.
type Plugins map[string]OrgPlugins

// OrgPlugins lists the plugins of an org or repo. An org entry applies to
// every repo of the org except ExcludedRepos.
type OrgPlugins struct {
	ExcludedRepos []string `json:"excluded_repos,omitempty"`
	Plugins       []string `json:"plugins,omitempty"`
}

// UnmarshalJSON also accepts the legacy form, a plain list of names.
func (o *OrgPlugins) UnmarshalJSON(data []byte) error {
	var names []string
	if err := json.Unmarshal(data, &names); err == nil {
		*o = OrgPlugins{Plugins: names}
		return nil
	}
	type plain OrgPlugins
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return fmt.Errorf("a plugins entry is either a list of plugin names or {plugins, excluded_repos}: %w", err)
	}
	*o = OrgPlugins(p)
	return nil
}

// ExternalPlugin is a service that receives deliveries as hook got them.
type ExternalPlugin struct {
	Name string `json:"name"`
	// Endpoint defaults to http://<name>.
	Endpoint string `json:"endpoint,omitempty"`
	// Events limits the event types forwarded; empty means all.
	Events []string `json:"events,omitempty"`
}

// KeyPath points at a file holding an API key (cat, goose).
type KeyPath struct {
	KeyPath string `json:"key_path,omitempty"`
}

// Heart configures the heart plugin.
type Heart struct {
	Adorees       []string `json:"adorees,omitempty"`
	CommentRegexp string   `json:"commentregexp,omitempty"`
}

// Golint configures the golint plugin.
type Golint struct {
	MinimumConfidence *float64 `json:"minimum_confidence,omitempty"`
}

// BranchCleaner lists branches never deleted after merges, per org/repo.
type BranchCleaner struct {
	PreservedBranches map[string][]string `json:"preserved_branches,omitempty"`
}

// ReleaseNote configures the release-note plugin.
type ReleaseNote struct {
	GuidelinesURL string `json:"guidelines_url,omitempty"`
}

// Cherrypicker configures the cherrypicker plugin, with the settings of
// the flags of Prow's external plugin.
type Cherrypicker struct {
	// AllowAll lets anyone request a cherry-pick, not only org members
	// (--allow-all).
	AllowAll bool `json:"allow_all,omitempty"`
	// Labels are added to every cherry-pick pull request (--labels).
	Labels []string `json:"labels,omitempty"`
	// LabelPrefix starts the labels that request a cherry-pick of a
	// pull request to the branch the rest names (--label-prefix);
	// default cherrypick/.
	LabelPrefix string `json:"label_prefix,omitempty"`
}

// ProjectConfig maps orgs and repos to GitHub project columns.
type ProjectConfig struct {
	Orgs map[string]ProjectOrgConfig `json:"project_org_configs,omitempty"`
}

// ProjectOrgConfig is one org's project settings.
type ProjectOrgConfig struct {
	MaintainerTeamID  int                          `json:"org_maintainers_team_id,omitempty"`
	OrgColumnMap      map[string]string            `json:"org_default_column_map,omitempty"`
	ProjectRepoConfig map[string]ProjectRepoConfig `json:"project_repo_configs,omitempty"`
}

// ProjectRepoConfig is one repo's project settings.
type ProjectRepoConfig struct {
	MaintainerTeamID int               `json:"repo_maintainers_team_id,omitempty"`
	RepoColumnMap    map[string]string `json:"repo_default_column_map,omitempty"`
}

// Jira configures the jira plugin.
type Jira struct {
	DisabledJiraProjects []string `json:"disabled_jira_projects,omitempty"`
}
