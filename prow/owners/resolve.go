package owners

import (
	"path"
	"sort"
	"strings"

	"github.com/prowbot/prow/prow/mapkeys"
)

// level is one directory's owners that apply to a file.
type level struct {
	dir    string
	owners Config
	stop   bool // no_parent_owners: levels above do not apply
}

// levels lists, from the file's directory up to the root, the owners that
// apply to file, stopping after a level with no_parent_owners.
func (ro *RepoOwners) levels(file string) []level {
	var out []level
	dir := dirOf(path.Clean(file))
	for {
		if d, ok := ro.dirs[dir]; ok {
			rel := strings.TrimPrefix(strings.TrimPrefix(file, dir), "/")
			var c Config
			for _, e := range d.entries {
				if e.re == nil || e.re.MatchString(rel) {
					c.Approvers = append(c.Approvers, ro.expand(e.owners.Approvers)...)
					c.Reviewers = append(c.Reviewers, ro.expand(e.owners.Reviewers)...)
					c.RequiredReviewers = append(c.RequiredReviewers, ro.expand(e.owners.RequiredReviewers)...)
					c.Labels = append(c.Labels, e.owners.Labels...)
				}
			}
			out = append(out, level{dir: dir, owners: c, stop: d.options.NoParentOwners})
			if d.options.NoParentOwners {
				return out
			}
		}
		if dir == "" {
			return out
		}
		dir = dirOf(dir)
	}
}

// expand replaces aliases by their members.
func (ro *RepoOwners) expand(logins []string) []string {
	var out []string
	for _, l := range logins {
		if members, ok := ro.aliases[l]; ok {
			out = append(out, members...)
			continue
		}
		out = append(out, l)
	}
	return out
}

func uniqueSorted(in []string) []string {
	set := make(map[string]bool, len(in))
	for _, s := range in {
		set[s] = true
	}
	return mapkeys.Sorted(set)
}

// Approvers are everyone who may approve file (lower-cased, sorted).
func (ro *RepoOwners) Approvers(file string) []string {
	var all []string
	for _, l := range ro.levels(file) {
		all = append(all, l.owners.Approvers...)
	}
	return uniqueSorted(all)
}

// Reviewers are everyone who may review file.
func (ro *RepoOwners) Reviewers(file string) []string {
	var all []string
	for _, l := range ro.levels(file) {
		all = append(all, l.owners.Reviewers...)
	}
	return uniqueSorted(all)
}

// RequiredReviewers must review file.
func (ro *RepoOwners) RequiredReviewers(file string) []string {
	var all []string
	for _, l := range ro.levels(file) {
		all = append(all, l.owners.RequiredReviewers...)
	}
	return uniqueSorted(all)
}

// LeafApprovers are the approvers of the closest level that names any.
func (ro *RepoOwners) LeafApprovers(file string) []string {
	for _, l := range ro.levels(file) {
		if len(l.owners.Approvers) > 0 {
			return uniqueSorted(l.owners.Approvers)
		}
	}
	return nil
}

// ApproverOwnersFile is the directory of the OWNERS file that approves
// file: the closest one naming approvers for it ("" is the root); ok is
// false when no OWNERS file names approvers for it.
func (ro *RepoOwners) ApproverOwnersFile(file string) (dir string, ok bool) {
	for _, l := range ro.levels(file) {
		if len(l.owners.Approvers) > 0 {
			return l.dir, true
		}
	}
	return "", false
}

// AutoApprovesUnownedSubfolders says whether the OWNERS file of dir ("" for
// the root) sets options.auto_approve_unowned_subfolders.
func (ro *RepoOwners) AutoApprovesUnownedSubfolders(dir string) bool {
	d, ok := ro.dirs[dir]
	return ok && d.options.AutoApproveUnownedSubfolders
}

// Labels are the labels OWNERS files attach to changes of file.
func (ro *RepoOwners) Labels(file string) []string {
	var all []string
	for _, l := range ro.levels(file) {
		all = append(all, l.owners.Labels...)
	}
	return uniqueSorted(all)
}

// IsApprover says whether login may approve file.
func (ro *RepoOwners) IsApprover(login, file string) bool {
	login = strings.ToLower(login)
	for _, a := range ro.Approvers(file) {
		if a == login {
			return true
		}
	}
	return false
}

// SuggestApprovers picks a small set of approvers that together cover
// every file: each file's approving OWNERS file needs one of its closest
// approvers. People in prefer (for example current assignees) who can
// approve something are taken first; then, greedily, whoever covers the
// most of what is left, ties broken by name so the answer is stable.
func (ro *RepoOwners) SuggestApprovers(files, prefer []string) []string {
	units := ro.approvalUnits(files)
	var chosen []string
	take := func(who string) bool {
		took := false
		for dir, approvers := range units {
			for _, a := range approvers {
				if a == who {
					delete(units, dir)
					took = true
					break
				}
			}
		}
		return took
	}
	sortedPrefer := uniqueSorted(lowerAll(prefer))
	for _, p := range sortedPrefer {
		if take(p) {
			chosen = append(chosen, p)
		}
	}
	for len(units) > 0 {
		counts := map[string]int{}
		for _, approvers := range units {
			for _, a := range approvers {
				counts[a]++
			}
		}
		best, bestCount := "", -1
		for a, n := range counts {
			if n > bestCount || (n == bestCount && a < best) {
				best, bestCount = a, n
			}
		}
		if best == "" {
			break // a unit with no approvers at all cannot be covered
		}
		chosen = append(chosen, best)
		take(best)
	}
	sort.Strings(chosen)
	return chosen
}

// approvalUnits maps each approving OWNERS directory of files to its
// closest approvers.
func (ro *RepoOwners) approvalUnits(files []string) map[string][]string {
	units := map[string][]string{}
	for _, f := range files {
		dir, ok := ro.ApproverOwnersFile(f)
		if !ok {
			continue
		}
		if _, seen := units[dir]; !seen {
			units[dir] = ro.LeafApprovers(f)
		}
	}
	return units
}

func lowerAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToLower(s)
	}
	return out
}
