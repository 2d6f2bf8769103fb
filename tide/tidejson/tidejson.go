// Package tidejson holds the shapes of the JSON tide serves (its pools
// and history) that deck reads back, so that both sides share one
// definition. It imports nothing of tide's, so deck can use it without
// tide's dependencies.
package tidejson

import "time"

// PR is a pull request as the pools JSON shows it: Prow's fields, plus
// the tide status saying what it lacks.
type PR struct {
	Number      int
	Org         string
	Repo        string
	Title       string
	AuthorLogin string
	HeadRefName string
	HeadRefOID  string
	BaseRefName string
	Mergeable   string // MERGEABLE, CONFLICTING or UNKNOWN
	Labels      []string
	// State and Description are its tide status.
	State, Description string
	// Contexts are the commit statuses on its head besides tide's own
	// (deck's /pr shows them).
	Contexts []Context `json:",omitempty"`
}

// Context is one commit status.
type Context struct {
	Name        string
	State       string // pending, success, failure, error
	Description string
	TargetURL   string
}

// PRMeta names a pull request in a history record, as Prow's history does.
type PRMeta struct {
	Number int    `json:"num"`
	Author string `json:"author"`
	Title  string `json:"title"`
	SHA    string `json:"SHA"`
}

// Record is one action tide took in a pool.
type Record struct {
	Time    time.Time `json:"time"`
	Action  string    `json:"action"`
	BaseSHA string    `json:"baseSHA,omitempty"`
	Target  []PRMeta  `json:"target,omitempty"`
	Err     string    `json:"err,omitempty"`
}
