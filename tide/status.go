package tide

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The texts of the tide status, as Prow writes them.
const (
	// InPoolDescription is the description of a pull request ready to
	// merge.
	InPoolDescription  = "In merge pool."
	notMergeablePrefix = "Not mergeable."
	// maxDescription is GitHub's limit on a status description.
	maxDescription = 140
)

// notMergeable joins reasons after "Not mergeable.", shortened to fit
// GitHub's limit.
func notMergeable(reasons []string) string {
	return fit(notMergeablePrefix + " " + strings.Join(reasons, " "))
}

// jobsNotSucceeded names required contexts that are not green.
func jobsNotSucceeded(names []string) string {
	if len(names) == 1 {
		return fmt.Sprintf("Job %s has not succeeded.", names[0])
	}
	return fmt.Sprintf("Jobs %s have not succeeded.", strings.Join(names, ", "))
}

// retesting names the presubmits running or to rerun against the current
// base, or counts them when the names do not fit.
func retesting(names []string) string {
	d := notMergeablePrefix + " Retesting: " + strings.Join(names, " ")
	if utf8.RuneCountInString(d) > maxDescription {
		d = fmt.Sprintf("%s Retesting %d jobs.", notMergeablePrefix, len(names))
	}
	return d
}

// fit shortens s to maxDescription characters, ending it with "...".
func fit(s string) string {
	if utf8.RuneCountInString(s) <= maxDescription {
		return s
	}
	r := []rune(s)
	return string(r[:maxDescription-3]) + "..."
}

// stackedDescription is the tide status of a pull request tested in a
// speculative batch on top of the running one.
func stackedDescription(names []string) string {
	d := notMergeablePrefix + " Testing on top of the running batch: " + strings.Join(names, " ")
	if utf8.RuneCountInString(d) > maxDescription {
		d = fmt.Sprintf("%s Testing %d jobs on top of the running batch.", notMergeablePrefix, len(names))
	}
	return d
}
