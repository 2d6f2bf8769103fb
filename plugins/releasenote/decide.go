package releasenote

import (
	"regexp"
	"strings"

	"github.com/prowbot/prow/prow/labels"
)

// Name is the plugin's name in plugins.yaml.
const Name = "release-note"

// The labels the plugin manages, and the one it reads.
const (
	LabelNote           = "release-note"
	LabelActionRequired = "release-note-action-required"
	LabelNone           = "release-note-none"
	LabelNeeded         = "do-not-merge/release-note-label-needed"
	LabelDeprecation    = "kind/deprecation"
)

// Labels are the release-note labels, of which a pull request keeps one.
var Labels = []string{LabelNote, LabelActionRequired, LabelNone, LabelNeeded}

// noteRe finds the note: a ```release-note block, or a plain ``` block
// right after a "**Release note**:" heading (the pull request template's
// older form). Group 1 is the note.
var noteRe = regexp.MustCompile("(?is)(?:release note\\*\\*:\\s*(?:<!--.*?-->\\s*)?```(?:release-note)?|```release-note)(.*?)```")

// noneRe matches a note that only says none.
var noneRe = regexp.MustCompile(`(?i)^\W*none\W*$`)

// Note returns the trimmed release note of a pull request body, "" when
// there is no block or it is empty.
func Note(body string) string {
	m := noteRe.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}

// Determine says which release-note label a pull request with body and
// labels should carry, from the body alone and the labels a person set
// (release-note-none, kind/deprecation).
func Determine(body string, have []string) string {
	note := strings.ToLower(Note(body))
	deprecation := labels.Has(have, LabelDeprecation)
	none := noneRe.MatchString(note)
	switch {
	case deprecation && (note == "" || none):
		return LabelNeeded
	case note == "" && labels.Has(have, LabelNone):
		return LabelNone
	case note == "":
		return LabelNeeded
	case none:
		return LabelNone
	case strings.Contains(note, "action required"):
		return LabelActionRequired
	}
	return LabelNote
}

// Change is what to do to a pull request's labels.
type Change struct {
	Add    string   // "" when the label is there already
	Remove []string // the other release-note labels it carries
}

// Reconcile says how to get from labels to carrying want and none of the
// other release-note labels.
func Reconcile(have []string, want string) Change {
	var c Change
	if !labels.Has(have, want) {
		c.Add = want
	}
	for _, l := range Labels {
		if l != want && labels.Has(have, l) {
			c.Remove = append(c.Remove, l)
		}
	}
	return c
}

// NoneVerdict is what a /release-note-none comment does.
type NoneVerdict int

// The verdicts of /release-note-none.
const (
	NoneApply         NoneVerdict = iota // set release-note-none
	NoneNotAllowed                       // the commenter is neither author nor member
	NoneHasNote                          // the body holds a real note
	NoneNeedsNoteDepr                    // kind/deprecation needs a real note
)

// NoneCommand decides a /release-note-none comment by someone who is (or
// is not) the author or an org member, on a pull request with body and
// labels.
func NoneCommand(authorOrMember bool, body string, have []string) NoneVerdict {
	if !authorOrMember {
		return NoneNotAllowed
	}
	if labels.Has(have, LabelDeprecation) {
		return NoneNeedsNoteDepr
	}
	switch Determine(body, nil) {
	case LabelNote, LabelActionRequired:
		return NoneHasNote
	}
	return NoneApply
}

// editBlockRe finds the ```release-note block of a /release-note-edit
// comment; group 1 is the new note.
var editBlockRe = regexp.MustCompile("(?s)```release-note\\s*?\\n(.*?)```")

// EditNote returns the note a /release-note-edit comment gives, and false
// when the comment has no (or more than one) ```release-note block.
func EditNote(comment string) (string, bool) {
	ms := editBlockRe.FindAllStringSubmatch(comment, -1)
	if len(ms) != 1 {
		return "", false
	}
	return strings.TrimSpace(ms[0][1]), true
}

// ReplaceNote returns body with its release note replaced by note: the
// first release-note block is rewritten in place, or a new block is
// appended when there is none.
func ReplaceNote(body, note string) string {
	block := "```release-note\n" + note + "\n```"
	loc := noteRe.FindStringSubmatchIndex(body)
	if loc == nil {
		if strings.TrimSpace(body) == "" {
			return block
		}
		return strings.TrimRight(body, "\n") + "\n\n" + block
	}
	// Keep what precedes the fence (a "**Release note**:" heading), and
	// replace from the fence that opens the note to the one closing it.
	start := strings.LastIndex(body[:loc[2]], "```")
	return body[:start] + block + body[loc[1]:]
}
