package config

import (
	"encoding/json"
	"fmt"
	"sort"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Tide configures merge automation.
type Tide struct {
	SyncPeriod                   *metav1.Duration                   `json:"sync_period,omitempty"`
	StatusUpdatePeriod           *metav1.Duration                   `json:"status_update_period,omitempty"`
	Queries                      []TideQuery                        `json:"queries,omitempty"`
	MergeType                    map[string]TideOrgMergeType        `json:"merge_method,omitempty"`
	MergeTemplate                map[string]TideMergeCommitTemplate `json:"merge_commit_template,omitempty"`
	TargetURL                    string                             `json:"target_url,omitempty"`
	TargetURLs                   map[string]string                  `json:"target_urls,omitempty"`
	PRStatusBaseURL              string                             `json:"pr_status_base_url,omitempty"`
	PRStatusBaseURLs             map[string]string                  `json:"pr_status_base_urls,omitempty"`
	BlockerLabel                 string                             `json:"blocker_label,omitempty"`
	SquashLabel                  string                             `json:"squash_label,omitempty"`
	RebaseLabel                  string                             `json:"rebase_label,omitempty"`
	MergeLabel                   string                             `json:"merge_label,omitempty"`
	MaxGoroutines                int                                `json:"max_goroutines,omitempty"`
	BatchSizeLimitMap            map[string]int                     `json:"batch_size_limit,omitempty"`
	PrioritizeExistingBatchesMap map[string]bool                    `json:"prioritize_existing_batches,omitempty"`
	Priority                     []TidePriority                     `json:"priority,omitempty"`
	ContextOptions               TideContextPolicyOptions           `json:"context_options,omitempty"`
	GitHubMergeBlocksPolicy      map[string]string                  `json:"github_merge_blocks_policy,omitempty"`
	DisplayAllQueriesInStatus    bool                               `json:"display_all_tide_queries_in_status,omitempty"`
	Gerrit                       json.RawMessage                    `json:"gerrit,omitempty"`
	// SpeculativeDepth (beyond Prow) is how many batches tide may test
	// on top of a running batch, each holding the pull requests of the
	// one under it plus the next ready ones; 0 tests none (as Prow).
	// Unset, it is 1 (see prow_defaults.go).
	SpeculativeDepth *int `json:"speculative_depth,omitempty"`
}

// TideQuery is one GitHub search defining part of the merge pool.
type TideQuery struct {
	Orgs                   []string `json:"orgs,omitempty"`
	Repos                  []string `json:"repos,omitempty"`
	ExcludedRepos          []string `json:"excludedRepos,omitempty"`
	Author                 string   `json:"author,omitempty"`
	Labels                 []string `json:"labels,omitempty"`
	MissingLabels          []string `json:"missingLabels,omitempty"`
	ExcludedBranches       []string `json:"excludedBranches,omitempty"`
	IncludedBranches       []string `json:"includedBranches,omitempty"`
	Milestone              string   `json:"milestone,omitempty"`
	ReviewApprovedRequired bool     `json:"reviewApprovedRequired,omitempty"`
}

// TidePriority orders PRs carrying labels first.
type TidePriority struct {
	Labels []string `json:"labels,omitempty"`
}

// TideMergeCommitTemplate templates merge commit messages.
type TideMergeCommitTemplate struct {
	TitleTemplate string `json:"title,omitempty"`
	BodyTemplate  string `json:"body,omitempty"`
}

// TideOrgMergeType is a merge method for an org or repo, written either as
// a method name or as a map of repos (and branch regexes) to methods.
type TideOrgMergeType struct {
	MergeType string
	Repos     map[string]TideRepoMergeType
}

// TideRepoMergeType is a repo's merge method: a name or a map of branch
// regexes to names.
type TideRepoMergeType struct {
	MergeType string
	Branches  map[string]string
}

// UnmarshalJSON reads either form.
func (t *TideOrgMergeType) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &t.MergeType); err == nil {
		return nil
	}
	if err := json.Unmarshal(b, &t.Repos); err != nil {
		return fmt.Errorf("merge_method: want a method name or a map of repos to methods: %w", err)
	}
	return nil
}

// MarshalJSON writes the form it was read in.
func (t TideOrgMergeType) MarshalJSON() ([]byte, error) {
	if t.MergeType != "" {
		return json.Marshal(t.MergeType)
	}
	return json.Marshal(t.Repos)
}

// UnmarshalJSON reads either form.
func (t *TideRepoMergeType) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &t.MergeType); err == nil {
		return nil
	}
	if err := json.Unmarshal(b, &t.Branches); err != nil {
		return fmt.Errorf("merge_method: want a method name or a map of branches to methods: %w", err)
	}
	return nil
}

// MarshalJSON writes the form it was read in.
func (t TideRepoMergeType) MarshalJSON() ([]byte, error) {
	if t.MergeType != "" {
		return json.Marshal(t.MergeType)
	}
	return json.Marshal(t.Branches)
}

// TideContextPolicy says which status contexts tide requires.
type TideContextPolicy struct {
	SkipUnknownContexts       *bool    `json:"skip-unknown-contexts,omitempty"`
	RequiredContexts          []string `json:"required-contexts,omitempty"`
	RequiredIfPresentContexts []string `json:"required-if-present-contexts,omitempty"`
	OptionalContexts          []string `json:"optional-contexts,omitempty"`
	OptionalRegexContexts     []string `json:"optional-regex-contexts,omitempty"`
	FromBranchProtection      *bool    `json:"from-branch-protection,omitempty"`
	OverwritePendingContexts  *bool    `json:"overwrite-pending-contexts,omitempty"`
}

// TideContextPolicyOptions are context policies per org, repo and branch.
type TideContextPolicyOptions struct {
	TideContextPolicy `json:",inline"`
	Orgs              map[string]TideOrgContextPolicy `json:"orgs,omitempty"`
}

// TideOrgContextPolicy is an org's context policy.
type TideOrgContextPolicy struct {
	TideContextPolicy `json:",inline"`
	Repos             map[string]TideRepoContextPolicy `json:"repos,omitempty"`
}

// TideRepoContextPolicy is a repo's context policy.
type TideRepoContextPolicy struct {
	TideContextPolicy `json:",inline"`
	Branches          map[string]TideContextPolicy `json:"branches,omitempty"`
}

// Speculation is speculative_depth, 1 when unset.
func (t *Tide) Speculation() int {
	if t.SpeculativeDepth == nil {
		return 1
	}
	return *t.SpeculativeDepth
}

// Unsupported names the tide settings the configuration sets that tide
// accepts but does not act on yet, so that checkconfig and the start-up
// log can say so. It lives here, not in tide, so that checkconfig links
// no merge machinery.
func (t *Tide) Unsupported() []string {
	var out []string
	add := func(set bool, key string) {
		if set {
			out = append(out, key)
		}
	}
	add(len(t.PrioritizeExistingBatchesMap) > 0, "tide.prioritize_existing_batches")
	add(len(t.Gerrit) > 0, "tide.gerrit")
	sort.Strings(out)
	return out
}
