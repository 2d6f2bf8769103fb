package invalidcommitmsg

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/github"
)

func TestProblems(t *testing.T) {
	off := pluginconfig.InvalidCommitMsg{Checks: []pluginconfig.InvalidCommitCheck{{Name: CheckClosingKeywords, Disabled: true}, {Name: "FixupPrefix", Disabled: true}}}
	on := pluginconfig.InvalidCommitMsg{Checks: []pluginconfig.InvalidCommitCheck{{Name: CheckFixupPrefix}}}
	for _, tc := range []struct {
		name    string
		message string
		commit  bool
		cfg     pluginconfig.InvalidCommitMsg
		want    []string
	}{
		{"a plain message is fine", "Add the frobnicator\n\nIt frobs.", true, on, nil},
		{"an @mention", "Add it\n\nThanks @alice for the idea", true, on, []string{ProblemMention}},
		{"an @mention at the start", "@alice: fix", true, on, []string{ProblemMention}},
		{"an e-mail address is no mention", "Add it\n\nSigned-off-by: Bob <bob@example.com>", true, on, nil},
		{"Fixes #12", "Fix it\n\nFixes #12", true, on, []string{ProblemClosing}},
		{"closes with a colon and another repository", "closes: demo/other#3", true, on, []string{ProblemClosing}},
		{"every keyword form counts", "Resolved #1", true, on, []string{ProblemClosing}},
		{"fixed #9 in the subject", "fixed #9", true, on, []string{ProblemClosing}},
		{"a keyword without an issue is fine", "Fix the close button", true, on, nil},
		{"a reference without a keyword is fine", "Follow-up to #12", true, on, nil},
		{"a keyword glued to a word is fine", "prefixes #12 with a hash", true, on, nil},
		{"a fixup commit", "fixup! Add it", true, on, []string{ProblemFixup}},
		{"squash! and amend! too", "squash! Add it", true, on, []string{ProblemFixup}},
		{"fixup! mid-subject is fine", "Explain fixup! commits", true, on, nil},
		{"a title is never a fixup", "fixup! Add it", false, on, nil},
		{"a title with a keyword", "Fix the flake, fixes #3", false, on, []string{ProblemClosing}},
		{"both problems, in order", "Fixes #3, thanks @bob", true, on, []string{ProblemMention, ProblemClosing}},
		{"checks turned off (names in any case)", "fixup! Fixes #3", true, off, nil},
		{"the mention check cannot be turned off", "cc @bob", true, off, []string{ProblemMention}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Problems(tc.message, tc.commit, tc.cfg); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Problems(%q) = %v, want %v", tc.message, got, tc.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	commits := []github.PullRequestCommit{
		{SHA: "a", Message: "Add it"},
		{SHA: "b", Message: "Fix it\n\nFixes #12"},
		{SHA: "c", Message: "fixup! Add it"},
	}
	got := Check(commits, "Add it, cc @alice", pluginconfig.InvalidCommitMsg{})
	want := Result{Title: []string{ProblemMention}, Commits: []Finding{
		{SHA: "b", Subject: "Fix it", Problems: []string{ProblemClosing}},
		{SHA: "c", Subject: "fixup! Add it", Problems: []string{ProblemFixup}},
	}}
	if !reflect.DeepEqual(got, want) || !got.Invalid() {
		t.Errorf("Check = %+v, want %+v", got, want)
	}
	if r := Check(commits[:1], "Add it", pluginconfig.InvalidCommitMsg{}); r.Invalid() {
		t.Errorf("a clean pull request is invalid: %+v", r)
	}
}

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name            string
		invalid, hasLab bool
		want            Action
	}{
		{"invalid without the label: block", true, false, Block},
		{"invalid with the label: block again (the comment is kept current)", true, true, Block},
		{"fixed with the label: unblock", false, true, Unblock},
		{"clean without the label: nothing", false, false, Keep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.invalid, tc.hasLab); got != tc.want {
				t.Errorf("Decide(%v, %v) = %v, want %v", tc.invalid, tc.hasLab, got, tc.want)
			}
		})
	}
}

func TestNotice(t *testing.T) {
	n := Notice("bob", Result{Title: []string{ProblemClosing}, Commits: []Finding{{SHA: "0123456789", Subject: "Fix it", Problems: []string{ProblemMention, ProblemFixup}}}})
	for _, want := range []string{Marker, "@bob:", "`" + Label + "`", "commit 0123456 (Fix it) has an @mention and a fixup commit subject", "the title", "an issue-closing keyword"} {
		if !strings.Contains(n, want) {
			t.Errorf("notice lacks %q:\n%s", want, n)
		}
	}
}
