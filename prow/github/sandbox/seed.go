package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/prowbot/prow/prow/mapkeys"
)

// Seed is the world a Server starts with. docs/sandbox.md describes the
// YAML form LoadSeed reads.
type Seed struct {
	Users  []SeedUser  `json:"users"`
	Orgs   []SeedOrg   `json:"orgs,omitempty"`
	Repos  []SeedRepo  `json:"repos,omitempty"`
	Pulls  []SeedPull  `json:"pulls,omitempty"`
	Issues []SeedIssue `json:"issues,omitempty"`
}

// SeedUser is a user; requests carrying Token act as them.
type SeedUser struct {
	Login string `json:"login"`
	Token string `json:"token,omitempty"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	// Type is User (the default) or Bot; Bot: true is a shorthand for
	// type: Bot.
	Type      string `json:"type,omitempty"`
	Bot       bool   `json:"bot,omitempty"`
	SiteAdmin bool   `json:"site_admin,omitempty"`
}

// SeedOrg is an organization: Members have the role member, Admins the
// role admin (admin on every repository of the org).
type SeedOrg struct {
	Login   string     `json:"login"`
	Members []string   `json:"members,omitempty"`
	Admins  []string   `json:"admins,omitempty"`
	Teams   []SeedTeam `json:"teams,omitempty"`
}

// SeedTeam is a team of an org. Repos grants the team a permission
// (admin, maintain, write, triage or read) on repositories of the org,
// named without the org.
type SeedTeam struct {
	Slug        string            `json:"slug"`
	Name        string            `json:"name,omitempty"`
	Description string            `json:"description,omitempty"`
	Members     []string          `json:"members,omitempty"`
	Maintainers []string          `json:"maintainers,omitempty"`
	Repos       map[string]string `json:"repos,omitempty"`
}

// SeedRepo is a repository named "owner/name", where owner is an org or a
// user of the seed.
type SeedRepo struct {
	Name          string `json:"name"`
	DefaultBranch string `json:"default_branch,omitempty"` // main when empty
	Private       bool   `json:"private,omitempty"`
	// Collaborators maps a login to admin, maintain, write, triage or read.
	Collaborators map[string]string `json:"collaborators,omitempty"`
	Labels        []SeedLabel       `json:"labels,omitempty"`
	Milestones    []SeedMilestone   `json:"milestones,omitempty"`
	// Files are the default branch's files. In YAML, files may also map
	// a branch to its files (see RepoFiles); those land in BranchFiles.
	Files FileChanges `json:"files,omitempty"`
	// BranchFiles are branches other than the default one, each the
	// default branch with these changes.
	BranchFiles map[string]FileChanges `json:"branch_files,omitempty"`
	// Branches are more branches, pointing at the default branch.
	Branches []string `json:"branches,omitempty"`
	// Protection maps a branch to its protection rule.
	Protection map[string]SeedProtection `json:"protection,omitempty"`
	// Workflows are GitHub Actions workflows that run on pull requests
	// (see SeedWorkflow).
	Workflows []SeedWorkflow `json:"workflows,omitempty"`
}

// seedRepoJSON is SeedRepo as YAML writes it, files in either form.
type seedRepoJSON struct {
	Name          string                    `json:"name"`
	DefaultBranch string                    `json:"default_branch,omitempty"`
	Private       bool                      `json:"private,omitempty"`
	Collaborators map[string]string         `json:"collaborators,omitempty"`
	Labels        []SeedLabel               `json:"labels,omitempty"`
	Milestones    []SeedMilestone           `json:"milestones,omitempty"`
	Files         RepoFiles                 `json:"files,omitempty"`
	BranchFiles   map[string]FileChanges    `json:"branch_files,omitempty"`
	Branches      []string                  `json:"branches,omitempty"`
	Protection    map[string]SeedProtection `json:"protection,omitempty"`
	Workflows     []SeedWorkflow            `json:"workflows,omitempty"`
}

// UnmarshalJSON reads files in both forms (see RepoFiles), refusing
// unknown fields.
func (r *SeedRepo) UnmarshalJSON(data []byte) error {
	var in seedRepoJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return fmt.Errorf("repo %s: %w", in.Name, err)
	}
	*r = SeedRepo{Name: in.Name, DefaultBranch: in.DefaultBranch, Private: in.Private, Collaborators: in.Collaborators,
		Labels: in.Labels, Milestones: in.Milestones, BranchFiles: in.BranchFiles, Branches: in.Branches, Protection: in.Protection,
		Workflows: in.Workflows}
	def := firstNonEmpty(in.DefaultBranch, "main")
	for _, branch := range mapkeys.Sorted(in.Files) {
		if branch != "" && branch != def {
			if r.BranchFiles == nil {
				r.BranchFiles = map[string]FileChanges{}
			}
			r.BranchFiles[branch] = in.Files[branch]
			continue
		}
		if r.Files == nil {
			r.Files = FileChanges{}
		}
		for path, content := range in.Files[branch] {
			r.Files[path] = content
		}
	}
	return nil
}

// SeedLabel is a repository label; Color is six hex digits (ededed when
// empty).
type SeedLabel struct {
	Name        string `json:"name"`
	Color       string `json:"color,omitempty"`
	Description string `json:"description,omitempty"`
}

// SeedMilestone is a repository milestone, numbered from 1 in seed order.
type SeedMilestone struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	State       string `json:"state,omitempty"` // open (default) or closed
}

// SeedPull is a pull request. Its head commit is built on the base branch
// with Files applied and stored on the head branch and at
// refs/pull/<number>/head.
type SeedPull struct {
	Repo   string `json:"repo"`
	Number int    `json:"number,omitempty"` // the next free number when 0
	Title  string `json:"title"`
	Body   string `json:"body,omitempty"`
	Author string `json:"author"`
	Base   string `json:"base,omitempty"` // the default branch when empty
	Head   string `json:"head,omitempty"` // <author>-patch-<number> when empty
	Draft  bool   `json:"draft,omitempty"`
	// State is open (the default), closed, or merged (really merged into
	// the base branch).
	State              string      `json:"state,omitempty"`
	Files              FileChanges `json:"files,omitempty"`
	Labels             []string    `json:"labels,omitempty"`
	Assignees          []string    `json:"assignees,omitempty"`
	RequestedReviewers []string    `json:"requested_reviewers,omitempty"`
	Milestone          string      `json:"milestone,omitempty"` // a milestone title
}

// SeedIssue is an issue.
type SeedIssue struct {
	Repo      string   `json:"repo"`
	Number    int      `json:"number,omitempty"` // the next free number when 0
	Title     string   `json:"title"`
	Body      string   `json:"body,omitempty"`
	Author    string   `json:"author"`
	State     string   `json:"state,omitempty"` // open (default) or closed
	Labels    []string `json:"labels,omitempty"`
	Assignees []string `json:"assignees,omitempty"`
	Milestone string   `json:"milestone,omitempty"` // a milestone title
}

// Deleted as the content of a path in FileChanges deletes the file. In
// YAML and JSON it is written null.
const Deleted = "\x00sandbox:deleted\x00"

// FileChanges maps a path to its new content, or to Deleted.
type FileChanges map[string]string

// UnmarshalJSON reads null as Deleted.
func (f *FileChanges) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("files: want a map of path to content or null: %w", err)
	}
	*f = make(FileChanges, len(raw))
	for _, path := range mapkeys.Sorted(raw) {
		var content *string
		if err := json.Unmarshal(raw[path], &content); err != nil {
			// YAML reads yes, 1.0 or on as other types: say how to write text.
			return fmt.Errorf("file %s: its content %s is not text; quote it", path, raw[path])
		}
		(*f)[path] = Deleted
		if content != nil {
			(*f)[path] = *content
		}
	}
	return nil
}

// MarshalJSON writes Deleted as null.
func (f FileChanges) MarshalJSON() ([]byte, error) {
	raw := make(map[string]*string, len(f))
	for path, content := range f {
		if content == Deleted {
			raw[path] = nil
			continue
		}
		c := content
		raw[path] = &c
	}
	return json.Marshal(raw)
}

// RepoFiles is how a seed file writes a repository's files: a map of
// branch to files, any branch but the default one starting from the
// default branch. A key whose value is text rather than a map is a file of
// the default branch (kept under ""):
//
//	files:
//	  README.md: "# hello\n"          # default branch
//	  release-1.0: {VERSION: "1.0\n"} # a branch
type RepoFiles map[string]FileChanges

// UnmarshalJSON reads both the branch form and the default-branch
// shorthand.
func (f *RepoFiles) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("files: want a map of branch to files: %w", err)
	}
	*f = RepoFiles{}
	for key, value := range raw {
		trimmed := bytes.TrimSpace(value)
		if len(trimmed) > 0 && trimmed[0] == '{' {
			var files FileChanges
			if err := json.Unmarshal(trimmed, &files); err != nil {
				return fmt.Errorf("files of branch %s: %w", key, err)
			}
			if (*f)[key] == nil {
				(*f)[key] = FileChanges{}
			}
			for p, c := range files {
				(*f)[key][p] = c
			}
			continue
		}
		var content *string
		if err := json.Unmarshal(trimmed, &content); err != nil {
			return fmt.Errorf("file %s: want text (a file of the default branch) or a map (a branch's files)", key)
		}
		if (*f)[""] == nil {
			(*f)[""] = FileChanges{}
		}
		(*f)[""][key] = Deleted
		if content != nil {
			(*f)[""][key] = *content
		}
	}
	return nil
}

// LoadSeed reads and validates a seed file; errors name the file and what
// is wrong in it.
func LoadSeed(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read sandbox seed %s: %w", path, err)
	}
	seed, err := ParseSeed(data)
	if err != nil {
		return nil, fmt.Errorf("sandbox seed %s: %w", path, err)
	}
	return seed, nil
}

// ParseSeed reads and validates a seed in YAML.
func ParseSeed(data []byte) (*Seed, error) {
	var s Seed
	if err := yaml.UnmarshalStrict(data, &s); err != nil {
		return nil, cleanYAMLError(err)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// yamlError is a syntax or field error with the conversion layers of
// sigs.k8s.io/yaml left out of its message.
type yamlError struct {
	msg string
	err error
}

func (e *yamlError) Error() string { return e.msg }
func (e *yamlError) Unwrap() error { return e.err }

func cleanYAMLError(err error) error {
	msg := err.Error()
	for _, noise := range []string{"error converting YAML to JSON: ", "error unmarshaling JSON: ", "while decoding JSON: ", "json: "} {
		msg = strings.ReplaceAll(msg, noise, "")
	}
	return &yamlError{msg: msg, err: err}
}
