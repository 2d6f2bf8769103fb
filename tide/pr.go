package tide

import (
	"strconv"
	"strings"

	"github.com/prowbot/prow/prow/labels"
	"github.com/prowbot/prow/tide/tidejson"
)

// PR is what tide knows of an open pull request.
type PR struct {
	Org, Repo string
	Number    int
	Title     string
	Body      string
	Author    string
	BaseRef   string
	HeadRef   string
	HeadSHA   string
	HTMLURL   string
	Labels    []string
	Milestone string
	Draft     bool
	// Mergeable is GitHub's answer; nil while GitHub is computing it.
	Mergeable *bool
	// MergeState is GitHub's mergeable state (REST's mergeable_state or
	// GraphQL's mergeStateStatus, either case): blocked is what
	// github_merge_blocks_policy acts on.
	MergeState string
	// ReviewApproved is true when the latest review of some reviewer
	// approves and none requests changes.
	ReviewApproved bool
	// Contexts are the latest commit statuses on the head.
	Contexts []Context
}

// Context is one commit status.
type Context = tidejson.Context

// Key names the pull request: org/repo#number.
func (p PR) Key() string { return p.Org + "/" + p.Repo + "#" + strconv.Itoa(p.Number) }

// PoolKey names the pool the pull request belongs to: org/repo:branch.
func (p PR) PoolKey() string { return p.Org + "/" + p.Repo + ":" + p.BaseRef }

// HasLabel says whether the pull request carries label (case-insensitive,
// as GitHub compares labels).
func (p PR) HasLabel(label string) bool { return labels.Has(p.Labels, label) }

// hasAnyLabel is a query's label entry: "a,b" is a or b.
func (p PR) hasAnyLabel(entry string) bool {
	for _, l := range strings.Split(entry, ",") {
		if p.HasLabel(strings.TrimSpace(l)) {
			return true
		}
	}
	return false
}
