package report

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/prowbot/prow/deck/lens"
	"github.com/prowbot/prow/jobs/controller"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
)

// GitHub check run statuses and conclusions.
const (
	checkQueued     = "queued"
	checkInProgress = "in_progress"
	checkCompleted  = "completed"

	conclusionSuccess   = "success"
	conclusionFailure   = "failure"
	conclusionCancelled = "cancelled" //nolint:misspell // GitHub's spelling
	conclusionTimedOut  = "timed_out"
)

// Limits of a check run's output.
const (
	// maxOutputText is GitHub's limit on output.summary and output.text,
	// in characters.
	maxOutputText = 65535
	// maxAnnotationText is GitHub's limit on an annotation's message and
	// raw_details (64 KB), kept well under in characters.
	maxAnnotationText = 16 << 10
	// maxTitle is GitHub's limit on an annotation's title.
	maxTitle = 255
	// maxListedFailures is how many failed tests output.text lists.
	maxListedFailures = 100
	// maxFailureLines is how much of a failure's output text shows.
	maxFailureLines = 20
)

// checkRunState maps a job to a check run's status and, once the job
// ended, its conclusion: queued until the job runs, in_progress while it
// does, then success, failure (Prow's error state too: GitHub has no
// other failing conclusion), conclusionCancelled for an aborted job, and
// timed_out for a job the controller ended for a pending or running
// timeout. false for an unknown state.
func checkRunState(pj *prowapi.ProwJob) (status, conclusion string, ok bool) {
	switch pj.Status.State {
	case prowapi.SchedulingState, prowapi.TriggeredState:
		return checkQueued, "", true
	case prowapi.PendingState:
		return checkInProgress, "", true
	case prowapi.SuccessState:
		return checkCompleted, conclusionSuccess, true
	case prowapi.FailureState:
		return checkCompleted, conclusionFailure, true
	case prowapi.AbortedState:
		if pj.Status.Description == controller.DescRunningTimeout {
			return checkCompleted, conclusionTimedOut, true
		}
		return checkCompleted, conclusionCancelled, true
	case prowapi.ErrorState:
		if pj.Status.Description == controller.DescPendingTimeout {
			return checkCompleted, conclusionTimedOut, true
		}
		return checkCompleted, conclusionFailure, true
	}
	return "", "", false
}

// checkRunTitle is the check run's output title: the job's description,
// or what its state says when it has none.
func checkRunTitle(pj *prowapi.ProwJob) string {
	if d := strings.TrimSpace(pj.Status.Description); d != "" {
		return truncate(d, maxTitle)
	}
	switch pj.Status.State {
	case prowapi.SchedulingState, prowapi.TriggeredState:
		return controller.DescTriggered
	case prowapi.PendingState:
		return "Job running."
	case prowapi.SuccessState:
		return controller.DescSucceeded
	case prowapi.FailureState:
		return controller.DescFailed
	case prowapi.AbortedState:
		return "Job aborted."
	}
	return "Job errored."
}

// checkRunTitleWithBase is checkRunTitle naming the base the job tested,
// as a status description does (BaseSHAFromDescription reads it), so
// that tide knows whether the result holds for the pool's current base.
func checkRunTitleWithBase(pj *prowapi.ProwJob) string {
	title := checkRunTitle(pj)
	if refs := pj.Spec.Refs; refs != nil && refs.BaseSHA != "" {
		title = truncate(title, maxTitle-len(BaseSHAMarker)-len(refs.BaseSHA)) + BaseSHAMarker + refs.BaseSHA
	}
	return title
}

// checkRunSummary is the output summary: the job's title and, when its
// JUnit reports were read, their counts.
func checkRunSummary(pj *prowapi.ProwJob, j *lens.JUnit) string {
	s := checkRunTitle(pj)
	if j != nil && j.Tests > 0 {
		_, t := j.Suites()
		s += fmt.Sprintf("\n\n%d tests: %d passed, %d failed", t.Tests, t.Passed, t.Failed)
		if t.Flaky > 0 {
			s += fmt.Sprintf(", %d flaky", t.Flaky)
		}
		if t.Skipped > 0 {
			s += fmt.Sprintf(", %d skipped", t.Skipped)
		}
		s += "."
	}
	return truncate(s, maxOutputText)
}

// failedCases are the tests of the reports that failed and never passed
// (a retried test that passed is flaky, not failed), as the junit lens
// sorts them.
func failedCases(j *lens.JUnit) []lens.Case {
	if j == nil {
		return nil
	}
	suites, _ := j.Suites()
	var out []lens.Case
	for _, s := range suites {
		out = append(out, s.Failed...)
	}
	return out
}

// caseName is how a failed test is named: its class and name.
func caseName(c lens.Case) string {
	if c.Class != "" && !strings.HasPrefix(c.Name, c.Class) {
		return c.Class + "." + c.Name
	}
	return c.Name
}

// checkRunText is the output text: the failed tests, each with where it
// is and the start of its failure, as many as fit in GitHub's limit.
func checkRunText(failed []lens.Case) string {
	if len(failed) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### %d failed test", len(failed))
	if len(failed) > 1 {
		b.WriteString("s")
	}
	b.WriteString("\n")
	// room keeps space for the line that says how many were left out.
	const room = 100
	size := utf8.RuneCountInString(b.String())
	for i, c := range failed {
		entry := failureEntry(c)
		n := utf8.RuneCountInString(entry)
		if i == maxListedFailures || size+n > maxOutputText-room {
			fmt.Fprintf(&b, "\n… and %d more: see the job's page.\n", len(failed)-i)
			break
		}
		b.WriteString(entry)
		size += n
	}
	return b.String()
}

// failureEntry is one failed test in the output text.
func failureEntry(c lens.Case) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n#### `%s`\n", strings.ReplaceAll(caseName(c), "`", "'"))
	if c.SourceFile != "" {
		where := c.SourceFile
		if c.SourceLine > 0 {
			where += fmt.Sprintf(":%d", c.SourceLine)
		}
		fmt.Fprintf(&b, "at `%s`", where)
		if c.Suite != "" {
			fmt.Fprintf(&b, " in suite %s", c.Suite)
		}
		b.WriteString("\n")
	} else if c.Suite != "" {
		fmt.Fprintf(&b, "in suite %s\n", c.Suite)
	}
	if detail := failureDetail(c); detail != "" {
		fmt.Fprintf(&b, "\n```\n%s\n```\n", strings.ReplaceAll(truncateTail(detail, maxAnnotationText), "```", "'''"))
	}
	return b.String()
}

// failureDetail is the message of a failure and the first lines of its
// output.
func failureDetail(c lens.Case) string {
	lines := strings.Split(strings.TrimSpace(c.Output), "\n")
	if len(lines) > maxFailureLines {
		lines = append(lines[:maxFailureLines], "…")
	}
	out := strings.TrimSpace(strings.Join(lines, "\n"))
	if m := strings.TrimSpace(c.Message); m != "" && !strings.Contains(out, m) {
		out = strings.TrimSpace(m + "\n" + out)
	}
	return out
}

// annotationsFor are the failure annotations of the failed tests whose
// report says where they are (a file of the repository and a line);
// tests without a place are only listed in the text. Equal annotations
// are sent once.
func annotationsFor(failed []lens.Case, refs *prowapi.Refs) []github.CheckRunAnnotation {
	var out []github.CheckRunAnnotation
	seen := map[github.CheckRunAnnotation]bool{}
	for _, c := range failed {
		p, ok := repoPath(c.SourceFile, refs)
		if !ok || c.SourceLine <= 0 {
			continue
		}
		msg := strings.TrimSpace(c.Message)
		if msg == "" {
			msg = firstLine(c.Output)
		}
		if msg == "" {
			msg = "Test failed."
		}
		a := github.CheckRunAnnotation{Path: p, StartLine: c.SourceLine, EndLine: c.SourceLine, Level: "failure",
			Title: truncate(caseName(c), maxTitle), Message: truncateTail(msg, maxAnnotationText),
			RawDetails: truncateTail(strings.TrimSpace(c.Output), maxAnnotationText)}
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// repoPath makes a test's file a path in the repository: relative paths
// are cleaned, absolute ones are cut after the checkout's
// .../<org>/<repo>/ (a decorated job clones there) and otherwise
// dropped, as are paths that leave the repository.
func repoPath(file string, refs *prowapi.Refs) (string, bool) {
	file = strings.TrimSpace(strings.ReplaceAll(file, "\\", "/"))
	if file == "" {
		return "", false
	}
	if strings.HasPrefix(file, "/") {
		if refs == nil {
			return "", false
		}
		marker := "/" + refs.Org + "/" + refs.Repo + "/"
		i := strings.LastIndex(file, marker)
		if i < 0 {
			return "", false
		}
		file = file[i+len(marker):]
	}
	file = path.Clean(file)
	if file == "." || file == ".." || strings.HasPrefix(file, "../") || strings.HasPrefix(file, "/") {
		return "", false
	}
	return file, true
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}

// truncateTail keeps the first n characters of s, marking the cut.
func truncateTail(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	const mark = "\n…"
	r := []rune(s)
	return string(r[:n-utf8.RuneCountInString(mark)]) + mark
}

// newAnnotations are the annotations of want the check run does not have
// yet (GitHub appends every annotation sent, so one sent again shows
// twice).
func newAnnotations(want, have []github.CheckRunAnnotation) []github.CheckRunAnnotation {
	had := map[github.CheckRunAnnotation]int{}
	for _, a := range have {
		had[annotationKey(a)]++
	}
	var out []github.CheckRunAnnotation
	for _, a := range want {
		k := annotationKey(a)
		if had[k] > 0 {
			had[k]--
			continue
		}
		out = append(out, a)
	}
	return out
}

// annotationKey is what tells two annotations apart, as GitHub gives
// them back.
func annotationKey(a github.CheckRunAnnotation) github.CheckRunAnnotation {
	return github.CheckRunAnnotation{Path: a.Path, StartLine: a.StartLine, EndLine: a.EndLine, Level: a.Level, Title: a.Title, Message: a.Message}
}

// batches cuts annotations into requests of at most
// github.MaxAnnotationsPerRequest; one empty batch when there are none.
func batches(anns []github.CheckRunAnnotation) [][]github.CheckRunAnnotation {
	out := [][]github.CheckRunAnnotation{nil}
	for len(anns) > 0 {
		n := min(len(anns), github.MaxAnnotationsPerRequest)
		if out[len(out)-1] == nil {
			out[len(out)-1] = anns[:n]
		} else {
			out = append(out, anns[:n])
		}
		anns = anns[n:]
	}
	return out
}
