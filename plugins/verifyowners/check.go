package verifyowners

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing/fstest"

	"sigs.k8s.io/yaml"

	"github.com/prowbot/prow/prow/owners"
)

// Filenames are the names of a repo's OWNERS and OWNERS_ALIASES files.
type Filenames struct {
	Owners  string
	Aliases string
}

// Parsed is what a modified OWNERS or OWNERS_ALIASES file says.
type Parsed struct {
	Path string
	// Err is why the file does not parse; the rest is then empty.
	Err error
	// Logins are the approvers, reviewers and required reviewers an
	// OWNERS file names (aliases not yet resolved), or the members of
	// every alias of OWNERS_ALIASES; lower-cased, sorted, once each.
	Logins []string
	// Labels, Approvers and NoParentOwners are an OWNERS file's.
	Labels         []string
	Approvers      int
	NoParentOwners bool
}

// ownersFile mirrors prow/owners' file forms: simple (the fields at the
// top level) or full (filters of path regexes).
type ownersFile struct {
	owners.Config
	Options owners.DirOptions        `json:"options,omitempty"`
	Filters map[string]owners.Config `json:"filters,omitempty"`
}

// deniedDirs are the directories whose OWNERS files Prow skips.
var deniedDirs = func() []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, d := range owners.DefaultDirDenylist() {
		out = append(out, regexp.MustCompile(d))
	}
	return out
}()

// Denied says whether an OWNERS file lies in a directory Prow skips.
func Denied(p string) bool {
	dir := path.Dir(p)
	if dir == "." {
		return false
	}
	for _, re := range deniedDirs {
		if re.MatchString(dir) {
			return true
		}
	}
	return false
}

// ParseOwners reads an OWNERS file at path p. Whether it parses is
// prow/owners' answer, so it is judged as the other plugins read it.
func ParseOwners(p string, data []byte, names Filenames) Parsed {
	out := Parsed{Path: p}
	fsys := fstest.MapFS{p: {Data: data}}
	if _, err := owners.Load(fsys, owners.Options{OwnersFile: names.Owners, AliasesFile: names.Aliases, DirDenylist: []string{}}); err != nil {
		out.Err = err
		return out
	}
	var f ownersFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		out.Err = err
		return out
	}
	configs := []owners.Config{f.Config}
	for _, c := range f.Filters {
		configs = append(configs, c)
	}
	var logins []string
	for _, c := range configs {
		out.Approvers += len(nonEmpty(c.Approvers))
		logins = append(logins, c.Approvers...)
		logins = append(logins, c.Reviewers...)
		logins = append(logins, c.RequiredReviewers...)
		out.Labels = append(out.Labels, c.Labels...)
	}
	out.Logins = normalize(logins)
	out.Labels = unique(out.Labels)
	out.NoParentOwners = f.Options.NoParentOwners
	return out
}

// ParseAliases reads OWNERS_ALIASES: its aliases (lower-cased, members
// lower-cased) and, as a Parsed, every member.
func ParseAliases(p string, data []byte) (map[string][]string, Parsed) {
	out := Parsed{Path: p}
	var f struct {
		Aliases map[string][]string `json:"aliases"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		out.Err = err
		return nil, out
	}
	aliases := map[string][]string{}
	var all []string
	for name, members := range f.Aliases {
		aliases[strings.ToLower(strings.TrimSpace(name))] = normalize(members)
		all = append(all, members...)
	}
	out.Logins = normalize(all)
	return aliases, out
}

// Expand resolves aliases in logins.
func Expand(logins []string, aliases map[string][]string) []string {
	var out []string
	for _, l := range logins {
		if members, ok := aliases[l]; ok {
			out = append(out, members...)
			continue
		}
		out = append(out, l)
	}
	return normalize(out)
}

// Rules are the settings a check applies.
type Rules struct {
	// Denylist is owners.labels_denylist.
	Denylist []string
	// SkipCollaborators turns the collaborator check off.
	SkipCollaborators bool
	// Collaborators says which logins are collaborators; it is asked only
	// about the logins of the files.
	Collaborators map[string]bool
}

// Invalid is a file that failed, with why.
type Invalid struct {
	Path    string
	Reasons []string
}

// Check judges parsed files (OWNERS logins already expanded), in path
// order.
func Check(files []Parsed, names Filenames, r Rules) []Invalid {
	deny := map[string]bool{}
	for _, l := range r.Denylist {
		deny[strings.ToLower(l)] = true
	}
	var out []Invalid
	for _, f := range files {
		var reasons []string
		if f.Err != nil {
			reasons = append(reasons, fmt.Sprintf("Cannot parse file: %v.", f.Err))
		}
		reasons = append(reasons, bannedLabels(f, deny)...)
		reasons = append(reasons, missingApprovers(f, names)...)
		if !r.SkipCollaborators {
			reasons = append(reasons, strangers(f, r.Collaborators)...)
		}
		if len(reasons) > 0 {
			out = append(out, Invalid{Path: f.Path, Reasons: reasons})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func bannedLabels(f Parsed, deny map[string]bool) []string {
	var banned []string
	for _, l := range f.Labels {
		if deny[strings.ToLower(l)] {
			banned = append(banned, l)
		}
	}
	if len(banned) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("File contains banned labels: %s.", strings.Join(banned, ", "))}
}

// missingApprovers objects to an OWNERS file naming no approvers where
// nobody above it can approve: at the root or under no_parent_owners.
func missingApprovers(f Parsed, names Filenames) []string {
	switch {
	case f.Err != nil || path.Base(f.Path) != names.Owners || f.Approvers > 0:
		return nil
	case path.Dir(f.Path) == ".":
		return []string{fmt.Sprintf("No approvers defined in this root directory %s file.", names.Owners)}
	case f.NoParentOwners:
		return []string{fmt.Sprintf("No approvers defined in this %s file, which sets no_parent_owners.", names.Owners)}
	}
	return nil
}

func strangers(f Parsed, collaborators map[string]bool) []string {
	var out []string
	for _, l := range f.Logins {
		if !collaborators[l] {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("Not collaborators of the repository: %s.", strings.Join(out, ", "))}
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// normalize lower-cases, trims, drops empties, sorts and dedupes logins.
func normalize(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range nonEmpty(in) {
		out = append(out, strings.ToLower(strings.TrimSpace(s)))
	}
	return unique(out)
}

func unique(in []string) []string {
	set := map[string]bool{}
	out := []string{}
	for _, s := range in {
		if !set[s] {
			set[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
