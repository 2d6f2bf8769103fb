package lgtm

import (
	"fmt"
	"regexp"
	"strings"
)

// Replies and notices, in Prow's words: people and tools search for them.
const (
	ReplyOwnPR         = "you cannot LGTM your own PR."
	ReplyCollaborators = "changing LGTM is restricted to collaborators"
	ReplyOwners        = "adding LGTM is restricted to approvers and reviewers in OWNERS files."
	// RemovedNotice is posted when a push removes the label; it is
	// deleted when the label comes back.
	RemovedNotice = "New changes are detected. LGTM label has been removed."
)

// addedNoticeFormat records the tree the label was given for
// (store_tree_hash); Prow's own notices parse the same way.
const addedNoticeFormat = "LGTM label has been added.  <details>Git tree hash: %s</details>"

var addedNoticeRe = regexp.MustCompile(`LGTM label has been added\.  <details>Git tree hash: (.*)</details>`)

// AddedNotice is the notice that records tree.
func AddedNotice(tree string) string { return fmt.Sprintf(addedNoticeFormat, tree) }

// TreeOfNotice returns the tree an added-notice records, or "".
func TreeOfNotice(body string) string {
	if m := addedNoticeRe.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// Request is one ask to change the label: a /lgtm or its cancel, or an
// approving or changes-requesting review.
type Request struct {
	// Want is true for /lgtm and approvals, false for cancels and
	// requested changes.
	Want              bool
	Commenter, Author string
	// Assigned is true when the commenter is an assignee already.
	Assigned bool
	// Collaborator is whether the commenter collaborates on the repo;
	// not asked when SkipCollaborators.
	Collaborator bool
	// SkipCollaborators is the repo's owners.skip_collaborators; then
	// OwnersReviewer says whether the commenter is a reviewer or approver
	// in the OWNERS files of a changed file.
	SkipCollaborators bool
	OwnersReviewer    bool
	HasLabel          bool
}

// Outcome is what a request leads to.
type Outcome struct {
	Add, Remove bool
	// Assign assigns the commenter, who reviewed.
	Assign bool
	// Reply is a refusal to explain; nothing else happens then.
	Reply string
}

// Decide applies Prow's rules: the author cannot LGTM their own pull
// request but may cancel; others must be collaborators, or with
// skip_collaborators reviewers or approvers in OWNERS; a collaborator who
// is not assigned yet is assigned, whether adding or canceling.
func Decide(r Request) Outcome {
	isAuthor := strings.EqualFold(r.Commenter, r.Author)
	switch {
	case isAuthor && r.Want:
		return Outcome{Reply: ReplyOwnPR}
	case !isAuthor && !r.SkipCollaborators && !r.Collaborator:
		return Outcome{Reply: ReplyCollaborators}
	case !isAuthor && r.SkipCollaborators && !r.OwnersReviewer:
		return Outcome{Reply: ReplyOwners}
	}
	return Outcome{
		Assign: !isAuthor && !r.Assigned && !r.SkipCollaborators,
		Add:    r.Want && !r.HasLabel,
		Remove: !r.Want && r.HasLabel,
	}
}

// ReviewWants maps a submitted review to a request: approvals add,
// requested changes remove, other reviews (and reviews whose body holds
// an lgtm command, handled as a comment) ask nothing.
func ReviewWants(state string, bodyHasCommand bool) (want, ok bool) {
	if bodyHasCommand {
		return false, false
	}
	switch strings.ToLower(state) {
	case "approved":
		return true, true
	case "changes_requested":
		return false, true
	}
	return false, false
}

// KeepOnPush says whether a push keeps the label: the author is in the
// trusted_team_for_sticky_lgtm team, or with store_tree_hash the new head
// has the tree the label was given for.
func KeepOnPush(sticky bool, storedTree, headTree string) bool {
	return sticky || (storedTree != "" && storedTree == headTree)
}
