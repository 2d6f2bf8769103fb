// Package approve is the approve plugin: OWNERS approvers approve a pull
// request with `/approve` (withdrawn by `/approve cancel` or
// `/remove-approve`, optionally `/lgtm` and GitHub reviews count too);
// once every changed file has an approver from its OWNERS files, the
// pull request gets the approved label. As in Prow, `cancel` anywhere in
// the arguments withdraws and any other arguments approve; commands count
// in issue comments, review bodies and review comments; the bot's own
// comments and reviews never count; files in unowned folders below an
// OWNERS file with `auto_approve_unowned_subfolders` need no approval.
// One notification comment, kept current, says who approved and who
// still needs to.
package approve

import (
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/owners"
)

// Name is the plugin's name in plugins.yaml.
const Name = "approve"

// Label marks an approved pull request.
const Label = "approved"

// Vote is one approval-relevant act, from a comment or a review.
type Vote struct {
	User    string
	Body    string
	Review  string // APPROVED, CHANGES_REQUESTED, ... for reviews
	At      time.Time
	FromBot bool
}

// Settings are the approve options of a repository.
type Settings struct {
	RequireSelfApproval bool
	LgtmActsAsApprove   bool
	IgnoreReviewState   bool
}

// Approvers replays the votes in time order and returns who approves.
func Approvers(votes []Vote, author string, s Settings) map[string]bool {
	sort.SliceStable(votes, func(i, j int) bool { return votes[i].At.Before(votes[j].At) })
	out := map[string]bool{}
	if !s.RequireSelfApproval {
		out[strings.ToLower(author)] = true
	}
	for _, v := range votes {
		if v.FromBot {
			continue
		}
		who := strings.ToLower(v.User)
		if !s.IgnoreReviewState {
			apply(out, who, reviewVote(v.Review))
		}
		for _, inv := range plugins.ParseCommands(v.Body) {
			apply(out, who, commandVote(inv, s.LgtmActsAsApprove))
		}
	}
	return out
}

// vote is +1 (approve), -1 (withdraw) or 0 (no effect).
type vote int

func apply(set map[string]bool, who string, v vote) {
	switch v {
	case 1:
		set[who] = true
	case -1:
		delete(set, who)
	}
}

func reviewVote(state string) vote {
	switch state {
	case "APPROVED":
		return 1
	case "CHANGES_REQUESTED":
		return -1
	}
	return 0
}

// commandVote reads a command as Prow does: /approve with `cancel`
// anywhere in its arguments withdraws, with any other arguments (or none)
// approves; /remove-approve withdraws; /lgtm and /remove-lgtm count the
// same way when lgtm acts as approve.
func commandVote(inv plugins.Invocation, lgtmCounts bool) vote {
	name, args := inv.Name, strings.ToLower(inv.Args)
	if lgtmCounts {
		name = strings.Replace(name, "lgtm", "approve", 1)
	}
	switch {
	case name == "remove-approve", name == "approve" && strings.Contains(args, "cancel"):
		return -1
	case name == "approve":
		return 1
	}
	return 0
}

// Unit is one approving OWNERS file of the change and its state.
type Unit struct {
	Dir        string   // "" for the root OWNERS
	ApprovedBy []string // approvers of it who approved
}

// Status is the approval state of a change.
type Status struct {
	Approved  bool
	Units     []Unit
	Approvers []string // everyone who approved, sorted
	Suggested []string // approvers to ask for what is missing
	// Requirements beyond OWNERS, once applied.
	Requirements Requirements
}

// Evaluate decides whether the files are approved by approvers.
func Evaluate(ro *owners.RepoOwners, files []string, approvers map[string]bool, assignees []string) Status {
	var st Status
	for a := range approvers {
		st.Approvers = append(st.Approvers, a)
	}
	sort.Strings(st.Approvers)
	units := map[string]*Unit{}
	var unapproved []string
	for _, f := range files {
		dir, ok := ro.ApproverOwnersFile(f)
		if !ok || autoApproved(ro, dir, f) {
			continue // nobody owns it, or its OWNERS approves unowned subfolders
		}
		u, seen := units[dir]
		if !seen {
			u = &Unit{Dir: dir}
			units[dir] = u
		}
		for _, a := range ro.Approvers(f) {
			if approvers[a] && !slices.Contains(u.ApprovedBy, a) {
				u.ApprovedBy = append(u.ApprovedBy, a)
			}
		}
		if len(u.ApprovedBy) == 0 {
			unapproved = append(unapproved, f)
		}
	}
	dirs := make([]string, 0, len(units))
	for d := range units {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	allApproved := len(files) > 0
	for _, d := range dirs {
		u := units[d]
		sort.Strings(u.ApprovedBy)
		st.Units = append(st.Units, *u)
		allApproved = allApproved && len(u.ApprovedBy) > 0
	}
	st.Approved = allApproved
	if !allApproved {
		st.Suggested = ro.SuggestApprovers(unapproved, assignees)
	}
	return st
}

// autoApproved says whether file needs no approval: it lies in a folder
// below dir, the closest OWNERS with approvers, and that OWNERS sets
// auto_approve_unowned_subfolders. Files in dir itself still need one.
func autoApproved(ro *owners.RepoOwners, dir, file string) bool {
	fileDir := path.Dir(file)
	if fileDir == "." {
		fileDir = ""
	}
	return fileDir != dir && ro.AutoApprovesUnownedSubfolders(dir)
}
