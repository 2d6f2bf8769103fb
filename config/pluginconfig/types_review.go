package pluginconfig

// Owners configures how OWNERS files are read.
type Owners struct {
	MDYAMLRepos       []string                   `json:"mdyamlrepos,omitempty"`
	SkipCollaborators []string                   `json:"skip_collaborators,omitempty"`
	LabelsDenyList    []string                   `json:"labels_denylist,omitempty"`
	Filenames         map[string]OwnersFilenames `json:"filenames,omitempty"`
}

// OwnersFilenames overrides the OWNERS file names of a repo.
type OwnersFilenames struct {
	Owners        string `json:"owners,omitempty"`
	OwnersAliases string `json:"owners_aliases,omitempty"`
}

// Trigger configures who may trigger jobs in some repos.
type Trigger struct {
	Repos                  []string   `json:"repos,omitempty"`
	TrustedApps            []string   `json:"trusted_apps,omitempty"`
	TrustedOrg             string     `json:"trusted_org,omitempty"`
	JoinOrgURL             string     `json:"join_org_url,omitempty"`
	OnlyOrgMembers         bool       `json:"only_org_members,omitempty"`
	IgnoreOkToTest         bool       `json:"ignore_ok_to_test,omitempty"`
	TriggerGitHubWorkflows bool       `json:"trigger_github_workflows,omitempty"`
	OrgInvite              *OrgInvite `json:"org_invite,omitempty"`
}

// OrgInvite configures the prominent invitation to join the org.
type OrgInvite struct {
	Prominent *ProminentInvite `json:"prominent,omitempty"`
}

// ProminentInvite is shown to frequent contributors.
type ProminentInvite struct {
	Disabled          bool   `json:"disabled,omitempty"`
	MergedPRThreshold int    `json:"merged_pr_threshold,omitempty"`
	Message           string `json:"message,omitempty"`
}

// Approve configures the approve plugin for some repos.
type Approve struct {
	Repos               []string `json:"repos,omitempty"`
	IssueRequired       bool     `json:"issue_required,omitempty"`
	RequireSelfApproval *bool    `json:"require_self_approval,omitempty"`
	LgtmActsAsApprove   bool     `json:"lgtm_acts_as_approve,omitempty"`
	IgnoreReviewState   *bool    `json:"ignore_review_state,omitempty"`
	CommandHelpLink     string   `json:"commandHelpLink,omitempty"`
	PrProcessLink       string   `json:"pr_process_link,omitempty"`
}

// Lgtm configures the lgtm plugin for some repos.
type Lgtm struct {
	Repos            []string `json:"repos,omitempty"`
	ReviewActsAsLgtm bool     `json:"review_acts_as_lgtm,omitempty"`
	StoreTreeHash    bool     `json:"store_tree_hash,omitempty"`
	StickyLgtmTeam   string   `json:"trusted_team_for_sticky_lgtm,omitempty"`
}

// Blunderbuss configures reviewer requests.
type Blunderbuss struct {
	ReviewerCount         *int           `json:"request_count,omitempty"`
	MaxReviewerCount      int            `json:"max_request_count,omitempty"`
	ExcludeApprovers      bool           `json:"exclude_approvers,omitempty"`
	UseStatusAvailability bool           `json:"use_status_availability,omitempty"`
	IgnoreDrafts          bool           `json:"ignore_drafts,omitempty"`
	IgnoreAuthors         []string       `json:"ignore_authors,omitempty"`
	WaitForStatus         *WaitForStatus `json:"wait_for_status,omitempty"`
}

// WaitForStatus delays reviewer requests until a status is reported.
type WaitForStatus struct {
	Context     string `json:"context,omitempty"`
	Description string `json:"description,omitempty"`
	State       string `json:"state,omitempty"`
}

// Override configures who may /override.
type Override struct {
	AllowTopLevelOwners bool                `json:"allow_top_level_owners,omitempty"`
	AllowedGitHubTeams  map[string][]string `json:"allowed_github_teams,omitempty"`
}

// DCO configures the dco plugin for an org or repo.
type DCO struct {
	SkipDCOCheckForMembers       bool     `json:"skip_dco_check_for_members,omitempty"`
	TrustedApps                  []string `json:"trusted_apps,omitempty"`
	TrustedOrg                   string   `json:"trusted_org,omitempty"`
	SkipDCOCheckForCollaborators bool     `json:"skip_dco_check_for_collaborators,omitempty"`
	ContributingRepo             string   `json:"contributing_repo,omitempty"`
	ContributingBranch           string   `json:"contributing_branch,omitempty"`
	ContributingPath             string   `json:"contributing_path,omitempty"`
}
