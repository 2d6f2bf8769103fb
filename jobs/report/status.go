package report

import (
	"strings"
	"unicode/utf8"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// GitHub commit status states.
const (
	statusPending = "pending"
	statusSuccess = "success"
	statusFailure = "failure"
	statusError   = "error"
)

// Status description limits and markers, as Prow writes them (tide reads
// the base SHA back from the description).
const (
	// MaxDescription is GitHub's limit on a status description, in
	// characters.
	MaxDescription = 140
	// BaseSHAMarker precedes the base SHA at the end of a description.
	BaseSHAMarker = " BaseSHA:"
	// descriptionPad is U+2001 (EM QUAD): GitHub's UI collapses ordinary
	// spaces, so the base SHA would not stay at a stable position.
	descriptionPad = "\u2001"
	// elide replaces the middle of a description that is too long.
	elide = " ... "
)

// githubState maps a job state to a commit status state; false for an
// unknown state.
func githubState(s prowapi.ProwJobState) (string, bool) {
	switch s {
	case prowapi.SchedulingState, prowapi.TriggeredState, prowapi.PendingState:
		return statusPending, true
	case prowapi.SuccessState:
		return statusSuccess, true
	case prowapi.FailureState, prowapi.AbortedState:
		return statusFailure, true
	case prowapi.ErrorState:
		return statusError, true
	}
	return "", false
}

// StatusDescription is a commit status description: the job's
// description, then " BaseSHA:<sha>" left-padded with U+2001 spaces to
// MaxDescription characters. A description too long to fit is shortened
// in the middle; the base SHA part never is. Without a base SHA it is the
// description shortened to MaxDescription.
func StatusDescription(desc, baseSHA string) string {
	if baseSHA == "" {
		return truncate(desc, MaxDescription)
	}
	suffix := BaseSHAMarker + baseSHA
	room := MaxDescription - utf8.RuneCountInString(suffix)
	if room < 0 {
		return truncate(suffix, MaxDescription)
	}
	desc = truncate(desc, room)
	return desc + strings.Repeat(descriptionPad, room-utf8.RuneCountInString(desc)) + suffix
}

// BaseSHAFromDescription reads the base SHA StatusDescription put in a
// description; "" when there is none.
func BaseSHAFromDescription(desc string) string {
	parts := strings.Split(desc, BaseSHAMarker)
	if len(parts) != 2 || len(parts[1]) != 40 {
		return ""
	}
	return parts[1]
}

// truncate shortens s to at most n characters by replacing its middle
// with " ... ".
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	e := utf8.RuneCountInString(elide)
	if n <= e {
		return string(r[:n])
	}
	head := (n - e) / 2
	tail := n - e - head
	return string(r[:head]) + elide + string(r[len(r)-tail:])
}

// swallowedStatusError says whether an error setting a status is one
// that retrying cannot fix: the context has too many statuses, or the
// commit is gone (a force push).
func swallowedStatusError(err error) bool {
	msg := err.Error()
	for _, s := range []string{"maximum number of statuses", "Not Found", "No commit found for SHA"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
