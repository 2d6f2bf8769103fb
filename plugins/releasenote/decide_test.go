package releasenote

import (
	"reflect"
	"testing"
)

const fence = "```"

func block(note string) string {
	return "Some change.\n\n" + fence + "release-note\n" + note + "\n" + fence + "\n"
}

func TestDetermine(t *testing.T) {
	cases := []struct {
		name   string
		body   string
		labels []string
		want   string
	}{
		{"no body needs a label", "", nil, LabelNeeded},
		{"a body without a block needs a label", "Fixes a bug.", nil, LabelNeeded},
		{"an empty block needs a label", block(""), nil, LabelNeeded},
		{"a block with a note gets release-note", block("Fixed the frobnicator."), nil, LabelNote},
		{"NONE gets release-note-none", block("NONE"), nil, LabelNone},
		{"none in any case and punctuation gets release-note-none", block(" none. "), nil, LabelNone},
		{"a note saying action required gets action-required", block("Action required: rename your flags."), nil, LabelActionRequired},
		{"ACTION REQUIRED is case-insensitive", block("ACTION REQUIRED: foo"), nil, LabelActionRequired},
		{"an empty block keeps a release-note-none label", block(""), []string{LabelNone}, LabelNone},
		{"a note overrides release-note-none", block("Adds --bar."), []string{LabelNone}, LabelNote},
		{"deprecation with no note needs a label", "", []string{LabelDeprecation}, LabelNeeded},
		{"deprecation with NONE needs a label", block("NONE"), []string{LabelDeprecation}, LabelNeeded},
		{"deprecation with release-note-none still needs a label", block(""), []string{LabelDeprecation, LabelNone}, LabelNeeded},
		{"deprecation with a note gets release-note", block("Deprecates --foo."), []string{LabelDeprecation}, LabelNote},
		{"the template's Release note heading with a plain fence counts", "**Release note**:\n" + fence + "\nAdds a flag.\n" + fence, nil, LabelNote},
		{"the heading with a comment before the fence counts", "**Release note**:\n<!-- write it -->\n" + fence + "release-note\nNONE\n" + fence, nil, LabelNone},
		{"a plain fence without the heading does not count", fence + "\nAdds a flag.\n" + fence, nil, LabelNeeded},
		{"an unterminated block does not count", fence + "release-note\nAdds a flag.", nil, LabelNeeded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Determine(tc.body, tc.labels); got != tc.want {
				t.Errorf("Determine(%q, %v) = %s, want %s", tc.body, tc.labels, got, tc.want)
			}
		})
	}
}

func TestReconcile(t *testing.T) {
	cases := []struct {
		name   string
		labels []string
		want   string
		change Change
	}{
		{"adds the label to a bare pull request", []string{"lgtm"}, LabelNote, Change{Add: LabelNote}},
		{"does nothing when only the label is there", []string{LabelNone, "lgtm"}, LabelNone, Change{}},
		{"swaps needed for a note", []string{LabelNeeded}, LabelNote, Change{Add: LabelNote, Remove: []string{LabelNeeded}}},
		{"removes every other release-note label", []string{LabelNote, LabelNone, LabelNeeded}, LabelNone, Change{Remove: []string{LabelNote, LabelNeeded}}},
		{"leaves kind/deprecation alone", []string{LabelDeprecation, LabelNone}, LabelNeeded, Change{Add: LabelNeeded, Remove: []string{LabelNone}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Reconcile(tc.labels, tc.want); !reflect.DeepEqual(got, tc.change) {
				t.Errorf("Reconcile(%v, %s) = %+v, want %+v", tc.labels, tc.want, got, tc.change)
			}
		})
	}
}

func TestNoneCommand(t *testing.T) {
	cases := []struct {
		name   string
		ok     bool
		body   string
		labels []string
		want   NoneVerdict
	}{
		{"the author or a member with no block may set none", true, "", nil, NoneApply},
		{"an empty block may be marked none", true, block(""), []string{LabelNeeded}, NoneApply},
		{"a block saying NONE may be marked none", true, block("NONE"), nil, NoneApply},
		{"someone else may not", false, "", nil, NoneNotAllowed},
		{"not over a real note", true, block("Adds --bar."), nil, NoneHasNote},
		{"not over an action-required note", true, block("action required: x"), nil, NoneHasNote},
		{"not on a deprecation", true, "", []string{LabelDeprecation}, NoneNeedsNoteDepr},
		{"permission is checked first", false, block("Adds --bar."), []string{LabelDeprecation}, NoneNotAllowed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := NoneCommand(tc.ok, tc.body, tc.labels); got != tc.want {
				t.Errorf("NoneCommand = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestEditNote(t *testing.T) {
	cases := []struct {
		name    string
		comment string
		note    string
		ok      bool
	}{
		{"takes the block's note", "/release-note-edit\n" + fence + "release-note\nNew note.\n" + fence, "New note.", true},
		{"a bare command has no note", "/release-note-edit", "", false},
		{"two blocks are ambiguous", "/release-note-edit\n" + fence + "release-note\na\n" + fence + "\n" + fence + "release-note\nb\n" + fence, "", false},
		{"an empty block gives an empty note", "/release-note-edit\n" + fence + "release-note\n" + fence, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			note, ok := EditNote(tc.comment)
			if note != tc.note || ok != tc.ok {
				t.Errorf("EditNote = %q, %v; want %q, %v", note, ok, tc.note, tc.ok)
			}
		})
	}
}

func TestReplaceNote(t *testing.T) {
	cases := []struct {
		name, body, note, want string
	}{
		{"replaces the block in place", "Intro\n" + fence + "release-note\nold\n" + fence + "\nOutro", "new",
			"Intro\n" + fence + "release-note\nnew\n" + fence + "\nOutro"},
		{"appends a block when there is none", "Intro\n", "new", "Intro\n\n" + fence + "release-note\nnew\n" + fence},
		{"an empty body becomes the block", "", "new", fence + "release-note\nnew\n" + fence},
		{"keeps the template heading", "**Release note**:\n" + fence + "\nold\n" + fence, "new",
			"**Release note**:\n" + fence + "release-note\nnew\n" + fence},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ReplaceNote(tc.body, tc.note)
			if got != tc.want {
				t.Errorf("ReplaceNote = %q, want %q", got, tc.want)
			}
			if Note(got) != tc.note {
				t.Errorf("Note(ReplaceNote) = %q, want %q", Note(got), tc.note)
			}
		})
	}
}
