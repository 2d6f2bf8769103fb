package v1

import (
	"strconv"
	"strings"
)

// Refs are the git references a job checks out: a base, and the pull
// requests merged onto it.
type Refs struct {
	Org      string `json:"org"`
	Repo     string `json:"repo"`
	RepoLink string `json:"repo_link,omitempty"`

	BaseRef  string `json:"base_ref,omitempty"`
	BaseSHA  string `json:"base_sha,omitempty"`
	BaseLink string `json:"base_link,omitempty"`

	Pulls []Pull `json:"pulls,omitempty"`

	PathAlias           string   `json:"path_alias,omitempty"`
	WorkDir             bool     `json:"workdir,omitempty"`
	Auxiliary           bool     `json:"auxiliary,omitempty"`
	CloneURI            string   `json:"clone_uri,omitempty"`
	SkipSubmodules      bool     `json:"skip_submodules,omitempty"`
	CloneDepth          int      `json:"clone_depth,omitempty"`
	SkipFetchHead       bool     `json:"skip_fetch_head,omitempty"`
	BloblessFetch       *bool    `json:"blobless_fetch,omitempty"`
	SparseCheckoutFiles []string `json:"sparse_checkout_files,omitempty"`
}

// Pull is one pull request merged onto the base.
type Pull struct {
	Number     int    `json:"number"`
	Author     string `json:"author"`
	SHA        string `json:"sha"`
	Title      string `json:"title,omitempty"`
	Ref        string `json:"ref,omitempty"`
	HeadRef    string `json:"head_ref,omitempty"`
	Link       string `json:"link,omitempty"`
	CommitLink string `json:"commit_link,omitempty"`
	AuthorLink string `json:"author_link,omitempty"`
}

// String is the PULL_REFS form: "base_ref:base_sha,number:sha,...", the
// SHA parts left out when unknown and a pull's ref appended when set.
func (r Refs) String() string {
	var b strings.Builder
	b.WriteString(r.BaseRef)
	if r.BaseSHA != "" {
		b.WriteString(":")
		b.WriteString(r.BaseSHA)
	}
	for _, p := range r.Pulls {
		b.WriteString(",")
		b.WriteString(strconv.Itoa(p.Number))
		if p.SHA != "" {
			b.WriteString(":")
			b.WriteString(p.SHA)
		}
		if p.Ref != "" {
			b.WriteString(":")
			b.WriteString(p.Ref)
		}
	}
	return b.String()
}

// OrgRepoString is "org/repo".
func (r Refs) OrgRepoString() string { return r.Org + "/" + r.Repo }
