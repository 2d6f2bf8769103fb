package owners

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/prowbot/prow/prow/mapkeys"
)

// Options say which files to read and which directories to skip.
type Options struct {
	// OwnersFile and AliasesFile default to OWNERS and OWNERS_ALIASES.
	OwnersFile  string
	AliasesFile string
	// DirDenylist holds regexes of directories whose OWNERS files are
	// ignored; nil means Prow's defaults.
	DirDenylist []string
}

// DefaultDirDenylist lists the directories Prow skips by default.
func DefaultDirDenylist() []string { return []string{`\.git$`, `_output$`, `vendor/.*/.*`} }

// Config is one set of owners.
type Config struct {
	Approvers         []string `json:"approvers,omitempty"`
	Reviewers         []string `json:"reviewers,omitempty"`
	RequiredReviewers []string `json:"required_reviewers,omitempty"`
	Labels            []string `json:"labels,omitempty"`
}

// DirOptions are an OWNERS file's options.
type DirOptions struct {
	NoParentOwners               bool `json:"no_parent_owners,omitempty"`
	AutoApproveUnownedSubfolders bool `json:"auto_approve_unowned_subfolders,omitempty"`
}

// file is an OWNERS file in either form: simple (Config at the top level)
// or full (filters of path regexes).
type file struct {
	Config  `json:",inline"`
	Options DirOptions        `json:"options,omitempty"`
	Filters map[string]Config `json:"filters,omitempty"`
}

// entry is one filter of an OWNERS file: the owners of the paths (relative
// to the file's directory) its regex matches; nil matches all.
type entry struct {
	re     *regexp.Regexp
	owners Config
}

type dirOwners struct {
	options DirOptions
	entries []entry
}

// RepoOwners holds every OWNERS file of a tree.
type RepoOwners struct {
	dirs    map[string]*dirOwners // directory ("" for the root) -> its OWNERS
	aliases map[string][]string
}

// Load reads every OWNERS file of fsys. A file that does not parse is an
// error naming it.
func Load(fsys fs.FS, o Options) (*RepoOwners, error) {
	if o.OwnersFile == "" {
		o.OwnersFile = "OWNERS"
	}
	if o.AliasesFile == "" {
		o.AliasesFile = "OWNERS_ALIASES"
	}
	deny := o.DirDenylist
	if deny == nil {
		deny = DefaultDirDenylist()
	}
	var denyRes []*regexp.Regexp
	for _, d := range deny {
		re, err := regexp.Compile(d)
		if err != nil {
			return nil, fmt.Errorf("owners directory denylist %q: %w", d, err)
		}
		denyRes = append(denyRes, re)
	}
	ro := &RepoOwners{dirs: map[string]*dirOwners{}}
	aliases, err := loadAliases(fsys, o.AliasesFile)
	if err != nil {
		return nil, err
	}
	ro.aliases = aliases
	var errs []error
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			for _, re := range denyRes {
				if p != "." && re.MatchString(p) {
					return fs.SkipDir
				}
			}
			return nil
		}
		if d.Name() != o.OwnersFile {
			return nil
		}
		dir, err := parseOwners(fsys, p)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		ro.dirs[dirOf(p)] = dir
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk repository for OWNERS files: %w", err)
	}
	return ro, errors.Join(errs...)
}

// dirOf is the directory of a path, "" for the root.
func dirOf(p string) string {
	d := path.Dir(p)
	if d == "." {
		return ""
	}
	return d
}

func parseOwners(fsys fs.FS, p string) (*dirOwners, error) {
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	var f file
	// Not strict: OWNERS files carry keys Prow ignores (emeritus_approvers).
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	d := &dirOwners{options: f.Options}
	if len(f.Filters) == 0 {
		d.entries = []entry{{owners: normalize(f.Config)}}
		return d, nil
	}
	keys := mapkeys.Sorted(f.Filters)
	for _, k := range keys {
		re, err := regexp.Compile(k)
		if err != nil {
			return nil, fmt.Errorf("%s: filter %q: %w", p, k, err)
		}
		d.entries = append(d.entries, entry{re: re, owners: normalize(f.Filters[k])})
	}
	return d, nil
}

func normalize(c Config) Config {
	lower := func(in []string) []string {
		out := make([]string, 0, len(in))
		for _, s := range in {
			if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return Config{Approvers: lower(c.Approvers), Reviewers: lower(c.Reviewers), RequiredReviewers: lower(c.RequiredReviewers), Labels: c.Labels}
}

func loadAliases(fsys fs.FS, name string) (map[string][]string, error) {
	data, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string][]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	var f struct {
		Aliases map[string][]string `json:"aliases"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out := map[string][]string{}
	for alias, members := range f.Aliases {
		out[strings.ToLower(alias)] = normalize(Config{Approvers: members}).Approvers
	}
	return out, nil
}
