package lgtm

import "testing"

// TestDecide follows the cases of Prow's lgtm tests: who may add and
// remove the label, who gets assigned, and skip_collaborators.
func TestDecide(t *testing.T) {
	collab := func(r Request) Request { r.Collaborator = true; return r }
	owners := func(r Request) Request { r.SkipCollaborators = true; return r }
	lgtm := Request{Want: true, Commenter: "rev", Author: "author"}
	cancel := Request{Want: false, Commenter: "rev", Author: "author", HasLabel: true}
	with := func(r Request, f func(*Request)) Request { f(&r); return r }
	for _, tc := range []struct {
		name string
		req  Request
		want Outcome
	}{
		{"lgtm comment by a collaborator who is not assigned adds and assigns", collab(lgtm), Outcome{Add: true, Assign: true}},
		{"lgtm comment by an assignee adds without assigning", with(collab(lgtm), func(r *Request) { r.Assigned = true }), Outcome{Add: true}},
		{"lgtm comment when the label is there only assigns", with(collab(lgtm), func(r *Request) { r.HasLabel = true }), Outcome{Assign: true}},
		{"lgtm comment by the author is refused", with(collab(lgtm), func(r *Request) { r.Commenter = "author" }), Outcome{Reply: ReplyOwnPR}},
		{"lgtm comment by a non-collaborator is refused", lgtm, Outcome{Reply: ReplyCollaborators}},
		{"lgtm cancel by the author removes, collaborator or not", with(cancel, func(r *Request) { r.Commenter = "AUTHOR" }), Outcome{Remove: true}},
		{"lgtm cancel by a non-assigned collaborator removes and assigns", collab(cancel), Outcome{Remove: true, Assign: true}},
		{"lgtm cancel by an assignee removes", with(collab(cancel), func(r *Request) { r.Assigned = true }), Outcome{Remove: true}},
		{"lgtm cancel by a non-collaborator is refused", cancel, Outcome{Reply: ReplyCollaborators}},
		{"lgtm cancel without the label only assigns", with(collab(cancel), func(r *Request) { r.HasLabel = false }), Outcome{Assign: true}},
		{"skip collaborators: an OWNERS reviewer adds without being assigned", with(owners(lgtm), func(r *Request) { r.OwnersReviewer = true }), Outcome{Add: true}},
		{"skip collaborators: a collaborator outside OWNERS is refused", owners(collab(lgtm)), Outcome{Reply: ReplyOwners}},
		{"skip collaborators: cancel by someone outside OWNERS is refused", owners(cancel), Outcome{Reply: ReplyOwners}},
		{"skip collaborators: the author may cancel", with(owners(cancel), func(r *Request) { r.Commenter = "author" }), Outcome{Remove: true}},
		{"skip collaborators: the author still cannot lgtm", with(owners(lgtm), func(r *Request) { r.Commenter = "author"; r.OwnersReviewer = true }), Outcome{Reply: ReplyOwnPR}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.req); got != tc.want {
				t.Errorf("Decide(%+v) = %+v, want %+v", tc.req, got, tc.want)
			}
		})
	}
}

// TestReviewWants follows Prow's review cases (with review_acts_as_lgtm).
func TestReviewWants(t *testing.T) {
	for _, tc := range []struct {
		name       string
		state      string
		hasCommand bool
		want, ok   bool
	}{
		{"an approving review adds", "approved", false, true, true},
		{"a review requesting changes removes", "changes_requested", false, false, true},
		{"the API's upper case states count too", "APPROVED", false, true, true},
		{"a comment review does nothing", "commented", false, false, false},
		{"a dismissed review does nothing", "dismissed", false, false, false},
		{"an approving review whose body says /lgtm cancel is left to the comment", "approved", true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, ok := ReviewWants(tc.state, tc.hasCommand)
			if want != tc.want || ok != tc.ok {
				t.Errorf("ReviewWants(%q, %v) = %v, %v; want %v, %v", tc.state, tc.hasCommand, want, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestKeepOnPush follows Prow's push cases with store_tree_hash and
// trusted_team_for_sticky_lgtm.
func TestKeepOnPush(t *testing.T) {
	for _, tc := range []struct {
		name         string
		sticky       bool
		stored, head string
		want         bool
	}{
		{"a push removes the label", false, "", "t1", false},
		{"a push with the approved tree keeps it", false, "t1", "t1", true},
		{"a push with another tree removes it", false, "t1", "t2", false},
		{"a trusted team member's push keeps it", true, "", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := KeepOnPush(tc.sticky, tc.stored, tc.head); got != tc.want {
				t.Errorf("KeepOnPush = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNoticesRoundTrip(t *testing.T) {
	if got := TreeOfNotice(AddedNotice("abc123")); got != "abc123" {
		t.Errorf("tree %q", got)
	}
	prows := "LGTM label has been added.  <details>Git tree hash: 5e2a5f</details>"
	if got := TreeOfNotice(prows); got != "5e2a5f" {
		t.Errorf("Prow's notice gives tree %q", got)
	}
	if TreeOfNotice(RemovedNotice) != "" {
		t.Error("the removed notice records no tree")
	}
}
