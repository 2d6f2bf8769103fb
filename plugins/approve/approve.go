// Package approve is the approve plugin: OWNERS approvers approve a pull
// request with `/approve` (withdrawn by `/approve cancel` or
// `/remove-approve`, optionally `/lgtm` and GitHub reviews count too);
// once every changed file has an approver from its OWNERS files, the
// pull request gets the approved label. One notification comment, kept
// current, says who approved and who still needs to.
package approve

import (
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

func commandVote(inv plugins.Invocation, lgtmCounts bool) vote {
	name, args := inv.Name, strings.ToLower(inv.Args)
	if lgtmCounts {
		name = strings.Replace(name, "lgtm", "approve", 1)
	}
	switch {
	case name == "approve" && (args == "" || args == "no-issue"):
		return 1
	case name == "approve" && args == "cancel", name == "remove-approve":
		return -1
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
		if !ok {
			continue // nobody owns it: nothing to approve
		}
		u, seen := units[dir]
		if !seen {
			u = &Unit{Dir: dir}
			units[dir] = u
		}
		for _, a := range ro.Approvers(f) {
			if approvers[a] && !containsStr(u.ApprovedBy, a) {
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

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
