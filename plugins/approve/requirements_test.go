package approve

import (
	"reflect"
	"testing"
	"time"
)

func TestAssociatedIssue(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want int
	}{
		{"a keyword and a number", "Fixes #12", 12},
		{"a number in parentheses", "see (#7) for context", 7},
		{"a link to an issue of this repo", "https://github.com/demo/hello/issues/99", 99},
		{"a link to another repo's issue", "https://github.com/other/repo/issues/99", 0},
		{"no reference", "no reference here", 0},
		{"a number glued to a word", "abc#5 is not a reference", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := AssociatedIssue("demo", "hello", tc.body); got != tc.want {
				t.Errorf("AssociatedIssue(%q) = %d, want %d", tc.body, got, tc.want)
			}
		})
	}
}

func TestNoIssueApproversFollowTheirLastWord(t *testing.T) {
	at := time.Now()
	votes := []Vote{
		{User: "Root", Body: "/approve no-issue", At: at},
		{User: "alice", Body: "/approve no-issue", At: at},
		{User: "alice", Body: "/approve", At: at.Add(time.Second)},
		{User: "carol", Body: "/approve no-issue", At: at},
		{User: "the-bot", Body: "/approve no-issue", FromBot: true},
	}
	got := NoIssueApprovers(votes, map[string]bool{"root": true, "alice": true})
	if !reflect.DeepEqual(got, []string{"root"}) {
		t.Errorf("got %v, want [root] (alice's last word was /approve, carol does not approve)", got)
	}
}

func TestRequirementsApply(t *testing.T) {
	for _, tc := range []struct {
		name   string
		owners bool
		r      Requirements
		want   bool
	}{
		{"no requirements keep OWNERS' answer", true, Requirements{}, true},
		{"a required issue missing blocks", true, Requirements{IssueRequired: true}, false},
		{"an issue satisfies it", true, Requirements{IssueRequired: true, Issue: 3}, true},
		{"no-issue satisfies it", true, Requirements{IssueRequired: true, NoIssueBy: []string{"root"}}, true},
		{"a hand-added label approves", false, Requirements{ManualBy: "maintainer"}, true},
		{"unapproved stays so", false, Requirements{IssueRequired: true, Issue: 3}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Apply(Status{Approved: tc.owners}).Approved; got != tc.want {
				t.Errorf("approved = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMetaRoundTrip(t *testing.T) {
	st := Status{Requirements: Requirements{ManualBy: "maintainer"}, Suggested: []string{"root"}}
	m := readMeta(Notification("demo", "hello", st, "https://example/help"))
	if m.ManualBy != "maintainer" || !reflect.DeepEqual(m.Approvers, []string{"root"}) {
		t.Errorf("meta %+v", m)
	}
}
