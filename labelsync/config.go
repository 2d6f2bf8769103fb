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

// failKey reports a problem with the mapping key that ends path, at the
// line the key is written on.
func (v *validator) failKey(path []any, format string, args ...any) {
	if line := v.doc.KeyLine(path...); line > 0 {
		v.problems = append(v.problems, yamlconf.Errorf(v.file, line, format, args...))
		return
	}
	v.fail(path, format, args...)
}

// seen is what a scope and its parents define: label names and previous
// names, by labels.Key, with where they are written.
type seen struct {
	names, previous map[string]seenAt
}

type seenAt struct {
	name, of string // the name as written; for a previous name, its label
	line     int
}

func (s seen) copy() seen {
	out := seen{names: make(map[string]seenAt, len(s.names)), previous: make(map[string]seenAt, len(s.previous))}
	for k, v := range s.names {
		out.names[k] = v
	}
	for k, v := range s.previous {
		out.previous[k] = v
	}
	return out
}

// config validates the scopes: the default one alone, each org's with the
// default's names, and each repository's with its org's and the default's,
// since a repository gets all three.
func (v *validator) config(c *Configuration) {
	def := v.scope([]any{"default"}, c.Default.Labels, seen{}.copy())
	orgScopes := map[string]seen{}
	for _, org := range mapkeys.Sorted(c.Orgs) {
		path := []any{"orgs", org}
		if org == "" || strings.Contains(org, "/") {
			v.failKey(path, "orgs key %q is not an org name", org)
			continue
		}
		orgScopes[org] = v.scope(path, c.Orgs[org].Labels, def)
	}
	for _, key := range mapkeys.Sorted(c.Repos) {
		path := []any{"repos", key}
		org, repo, ok := strings.Cut(key, "/")
		if !ok || org == "" || repo == "" || strings.Contains(repo, "/") {
			v.failKey(path, "repos key %q is not of the form org/repo", key)
			continue
		}
		parent := def
		if s, ok := orgScopes[org]; ok {
			parent = s
		}
		v.scope(path, c.Repos[key].Labels, parent)
	}
}

// scope validates the labels at path. Their names must differ from each
// other and from parent's, and from the previous names of parent's labels;
// their previous names must differ from every label name of the scope and
// its parents (two labels may share a previous name: the first to be
// synced takes it over). It returns what the scope and parent define.
func (v *validator) scope(path []any, list []Label, parent seen) seen {
	s := parent.copy()
	at := func(i int, more ...any) []any {
		return append(append(append([]any(nil), path...), "labels", i), more...)
	}
	for i := range list {
		v.label(at(i), &list[i])
		name := list[i].Name
		if name == "" {
			continue
		}
		np := at(i, "name")
		line := v.doc.Line(np...)
		if other, ok := s.names[labels.Key(name)]; ok {
			v.fail(np, "duplicate label %q: %q is already defined at line %d (names compare without case)", name, other.name, other.line)
			continue
		}
		if other, ok := parent.previous[labels.Key(name)]; ok {
			v.fail(np, "label %q collides with %q, a previous name of label %q at line %d (names compare without case)", name, other.name, other.of, other.line)
		}
		s.names[labels.Key(name)] = seenAt{name: name, line: line}
	}
	for i := range list {
		for j, p := range list[i].Previously {
			pp := at(i, "previously", j, "name")
			if strings.TrimSpace(p.Name) == "" {
				v.fail(pp, "a previous name of label %q is empty", list[i].Name)
				continue
			}
			if other, ok := s.names[labels.Key(p.Name)]; ok {
				v.fail(pp, "previous name %q of label %q collides with another label: %q is defined at line %d (names compare without case)",
					p.Name, list[i].Name, other.name, other.line)
				continue
			}
			if _, ok := s.previous[labels.Key(p.Name)]; !ok {
				s.previous[labels.Key(p.Name)] = seenAt{name: p.Name, of: list[i].Name, line: v.doc.Line(pp...)}
			}
		}
	}
	return s
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
