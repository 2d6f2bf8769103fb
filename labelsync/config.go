package labelsync

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/prowbot/prow/prow/labels"
	"github.com/prowbot/prow/prow/mapkeys"
	"github.com/prowbot/prow/prow/yamlconf"
)

// Configuration is a labels.yaml file.
type Configuration struct {
	// Default labels go to every synced repository.
	Default RepoConfig `json:"default"`
	// Orgs labels go to every synced repository of the org (the key).
	Orgs map[string]RepoConfig `json:"orgs,omitempty"`
	// Repos labels go to one repository (the key, org/repo) on top.
	Repos map[string]RepoConfig `json:"repos,omitempty"`
}

// RepoConfig is the labels of one scope.
type RepoConfig struct {
	Labels []Label `json:"labels"`
}

// Target says what a label is for.
type Target string

// The targets a label may have; empty means both.
const (
	TargetPRs    Target = "prs"
	TargetIssues Target = "issues"
	TargetBoth   Target = "both"
)

// Label is one wanted label.
type Label struct {
	Name        string `json:"name"`
	Color       string `json:"color,omitempty"`
	Description string `json:"description,omitempty"`
	Target      Target `json:"target,omitempty"`
	// ProwPlugin, AddedBy and IsExternalPlugin document who applies the
	// label; syncing does not use them.
	ProwPlugin       string `json:"prowPlugin,omitempty"`
	AddedBy          string `json:"addedBy,omitempty"`
	IsExternalPlugin bool   `json:"isExternalPlugin,omitempty"`
	// Previously are names the label had: a repository holding one gets
	// it renamed (or its issues moved over).
	Previously []Label `json:"previously,omitempty"`
	// DeleteAfter (RFC 3339) retires the label: once past, it is deleted.
	DeleteAfter string `json:"deleteAfter,omitempty"`

	deleteAfter time.Time
}

// Dead says whether the label is past its deleteAfter at now.
func (l Label) Dead(now time.Time) bool {
	return !l.deleteAfter.IsZero() && now.After(l.deleteAfter)
}

// maxDescription is the longest description GitHub stores.
const maxDescription = 100

var colorPattern = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)

// Load reads and validates the labels file at path. It returns the fields
// the format does not have as warnings (Prow ignores them) and, when the
// file is invalid, an error naming every problem with its line.
func Load(path string) (*Configuration, []yamlconf.Problem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read labels config: %w", err)
	}
	return Parse(path, data)
}

// Parse is Load of data, the contents of file.
func Parse(file string, data []byte) (*Configuration, []yamlconf.Problem, error) {
	var c Configuration
	var dec yamlconf.Decoder
	doc, unknown, err := dec.Decode(file, data, &c)
	if err != nil {
		return nil, unknown, err
	}
	v := validator{file: file, doc: doc}
	v.config(&c)
	if len(v.problems) > 0 {
		sort.SliceStable(v.problems, func(a, b int) bool { return v.problems[a].Line < v.problems[b].Line })
		errs := make([]error, len(v.problems))
		for i, p := range v.problems {
			errs[i] = p
		}
		return nil, unknown, errors.Join(errs...)
	}
	return &c, unknown, nil
}

// LabelsFor returns the labels wanted in org/repo: the default ones, the
// org's and the repository's.
func (c *Configuration) LabelsFor(org, repo string) []Label {
	out := append([]Label(nil), c.Default.Labels...)
	out = append(out, c.Orgs[org].Labels...)
	return append(out, c.Repos[org+"/"+repo].Labels...)
}

// validator checks a decoded file and locates its problems.
type validator struct {
	file     string
	doc      *yamlconf.Document
	problems []yamlconf.Problem
}

func (v *validator) fail(path []any, format string, args ...any) {
	line := 0
	for n := len(path); n > 0 && line == 0; n-- {
		line = v.doc.Line(path[:n]...)
	}
	v.problems = append(v.problems, yamlconf.Errorf(v.file, line, format, args...))
}

// seen maps each label name (by labels.Key) of a scope to where it is
// defined.
type seen map[string]seenAt

type seenAt struct {
	name string
	line int
}

func (s seen) copy() seen {
	out := make(seen, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}

// config validates the scopes: the default one alone, each org's with the
// default's names, and each repository's with its org's and the default's,
// since a repository gets all three.
func (v *validator) config(c *Configuration) {
	def := v.scope([]any{"default"}, c.Default.Labels, seen{})
	orgScopes := map[string]seen{}
	for _, org := range mapkeys.Sorted(c.Orgs) {
		path := []any{"orgs", org}
		if org == "" || strings.Contains(org, "/") {
			v.fail(path, "orgs key %q is not an org name", org)
			continue
		}
		orgScopes[org] = v.scope(path, c.Orgs[org].Labels, def)
	}
	for _, key := range mapkeys.Sorted(c.Repos) {
		path := []any{"repos", key}
		org, repo, ok := strings.Cut(key, "/")
		if !ok || org == "" || repo == "" || strings.Contains(repo, "/") {
			if line := v.doc.KeyLine(path...); line > 0 {
				v.problems = append(v.problems, yamlconf.Errorf(v.file, line, "repos key %q is not of the form org/repo", key))
			} else {
				v.fail(path, "repos key %q is not of the form org/repo", key)
			}
			continue
		}
		parent := def
		if s, ok := orgScopes[org]; ok {
			parent = s
		}
		v.scope(path, c.Repos[key].Labels, parent)
	}
}

// scope validates the labels at path, whose names must not clash with
// each other nor with parent's; it returns the names of both.
func (v *validator) scope(path []any, list []Label, parent seen) seen {
	names := parent.copy()
	for i := range list {
		lp := append(append([]any(nil), path...), "labels", i)
		v.label(lp, &list[i])
		v.claim(names, lp, list[i].Name, "")
		for j, p := range list[i].Previously {
			pp := append(append([]any(nil), lp...), "previously", j)
			if p.Name == "" {
				v.fail(pp, "a previous name of label %q is empty", list[i].Name)
				continue
			}
			v.claim(names, pp, p.Name, list[i].Name)
		}
	}
	return names
}

// claim records name as defined at path, reporting a clash; of names a
// previous name of the label of.
func (v *validator) claim(names seen, path []any, name, of string) {
	if name == "" {
		return
	}
	np := append(append([]any(nil), path...), "name")
	line := v.doc.Line(np...)
	if other, ok := names[labels.Key(name)]; ok {
		what := fmt.Sprintf("duplicate label %q", name)
		if of != "" {
			what = fmt.Sprintf("previous name %q of label %q collides with another label", name, of)
		}
		v.fail(np, "%s: %q is already defined at line %d (names compare without case)", what, other.name, other.line)
		return
	}
	names[labels.Key(name)] = seenAt{name: name, line: line}
}

// label checks one label's own fields.
func (v *validator) label(path []any, l *Label) {
	at := func(field string) []any { return append(append([]any(nil), path...), field) }
	if strings.TrimSpace(l.Name) == "" {
		v.fail(at("name"), "a label has no name")
	}
	if !colorPattern.MatchString(l.Color) {
		v.fail(at("color"), "label %q: color %q is not 6 hex digits (such as e11d21)", l.Name, l.Color)
	}
	switch l.Target {
	case "", TargetPRs, TargetIssues, TargetBoth:
	default:
		v.fail(at("target"), "label %q: unknown target %q (want prs, issues or both)", l.Name, l.Target)
	}
	if len(l.Description) > maxDescription {
		v.fail(at("description"), "label %q: description is %d characters long, GitHub keeps at most %d", l.Name, len(l.Description), maxDescription)
	}
	if l.DeleteAfter != "" {
		t, err := time.Parse(time.RFC3339, l.DeleteAfter)
		if err != nil {
			v.fail(at("deleteAfter"), "label %q: deleteAfter %q is not an RFC 3339 time (such as 2006-01-02T15:04:05Z)", l.Name, l.DeleteAfter)
		}
		l.deleteAfter = t
	}
}
