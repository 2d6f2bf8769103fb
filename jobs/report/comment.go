package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// CommentTag marks the bot's test report comment on a pull request.
const CommentTag = "<!-- test report -->"

// AboutThisBot is the folded note at the end of the report comment.
const AboutThisBot = "Instructions for interacting with me using PR comments are available [here](https://git.k8s.io/community/contributors/guide/pull-requests.md).  " +
	"If you have questions or suggestions related to my behavior, please file an issue against the " +
	"[kubernetes-sigs/prow](https://github.com/kubernetes-sigs/prow/issues/new?title=Prow%20issue:) repository."

// rowSeparator separates the cells of a table row.
const rowSeparator = " | "

// Row is one failed test in the report table. Rows carried over from
// earlier comments keep their text as it was.
type Row struct {
	// Context is the first cell, the key rows are deduplicated by.
	Context string
	// Line is the row as the comment shows it.
	Line string
}

// rowFor is the table row of a failed job: context, pull SHA, link,
// whether the job is required and the rerun command.
func rowFor(pj *prowapi.ProwJob) Row {
	sha := ""
	if r := pj.Spec.Refs; r != nil && len(r.Pulls) > 0 {
		sha = r.Pulls[0].SHA
	}
	line := strings.Join([]string{
		pj.Spec.Context,
		sha,
		fmt.Sprintf("[link](%s)", pj.Status.URL),
		required(pj),
		fmt.Sprintf("`%s`", pj.Spec.RerunCommand),
	}, rowSeparator)
	return Row{Context: pj.Spec.Context, Line: line}
}

// required is "true" or "false" for a presubmit (optional ones carry the
// is-optional label), "unknown" otherwise.
func required(pj *prowapi.ProwJob) string {
	if pj.Spec.Type != prowapi.PresubmitJob {
		return "unknown"
	}
	label, ok := pj.Labels[prowapi.IsOptionalLabel]
	if !ok {
		return "true"
	}
	optional, err := strconv.ParseBool(label)
	if err != nil {
		return "unknown"
	}
	return strconv.FormatBool(!optional)
}

// parseRows reads the table rows of a report comment: the non-empty
// lines after the "---" header separator, up to the first empty line.
func parseRows(body string) []Row {
	var rows []Row
	tracking := false
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "---"):
			tracking = true
		case line == "":
			tracking = false
		case tracking:
			ctx, _, _ := strings.Cut(line, rowSeparator)
			rows = append(rows, Row{Context: ctx, Line: line})
		}
	}
	return rows
}

// renderFailures is the report comment listing failed tests; extra is
// the report template's output (left out when empty).
func renderFailures(author string, rows []Row, extra string) string {
	plural := ""
	if len(rows) > 1 {
		plural = "s"
	}
	lines := []string{
		fmt.Sprintf("@%s: The following test%s **failed**, say `/retest` to rerun all failed tests or `/retest-required` to rerun all mandatory failed tests:", author, plural),
		"",
		"Test name | Commit | Details | Required | Rerun command",
		"--- | --- | --- | --- | ---",
	}
	for _, r := range rows {
		lines = append(lines, r.Line)
	}
	return finishComment(lines, extra)
}

// renderPassed is the summary comment of a pull request whose tests all
// passed.
func renderPassed(author, extra string) string {
	return finishComment([]string{fmt.Sprintf("@%s: all tests **passed!**", author), ""}, extra)
}

func finishComment(lines []string, extra string) string {
	if extra != "" {
		lines = append(lines, "", extra)
	}
	lines = append(lines, "", "<details>", "", AboutThisBot, "</details>", CommentTag)
	return strings.Join(lines, "\n")
}

// taggedComment is one of the bot's report comments, oldest first.
type taggedComment struct {
	ID   int64
	Body string
}

// commentUpdate is what a finished job changes in the report.
type commentUpdate struct {
	// Context of the job: its old row is dropped.
	Context string
	// Failed is the job's row when it failed.
	Failed *Row
	// AllPassed asks for the summary comment when no row is left
	// (summary_comment_repos, once every test passed).
	AllPassed bool
}

// commentPlan is what to do with the report comments.
type commentPlan struct {
	// Rows to show; none with Passed means the summary comment.
	Rows   []Row
	Passed bool
	// Create a comment, or else Edit this one (0: write nothing).
	Create bool
	Edit   int64
	// Delete these comments (after the write).
	Delete []int64
}

// planComment decides how the report comments change: rows are carried
// over from all the tagged comments (the latest row of each context),
// the job's context is dropped and its row added if it failed. A new
// failure gets a fresh comment and the old ones go; when only rows were
// dropped the latest comment is edited in place; when no row is left the
// comments go, unless the summary comment is wanted.
func planComment(existing []taggedComment, u commentUpdate) commentPlan {
	p := commentPlan{Rows: carriedRows(existing, u.Context)}
	var latest *taggedComment
	if n := len(existing); n > 0 {
		latest = &existing[n-1]
		for _, c := range existing[:n-1] {
			p.Delete = append(p.Delete, c.ID)
		}
	}
	newFailure := false
	if u.Failed != nil {
		p.Rows = append(p.Rows, *u.Failed)
		// A row the latest comment shows already is the same run
		// reported again, not a new failure.
		newFailure = latest == nil || !slices.Contains(parseRows(latest.Body), *u.Failed)
	}
	switch {
	case latest == nil && (len(p.Rows) > 0 || u.AllPassed):
		p.Create = true
		p.Passed = len(p.Rows) == 0
	case latest == nil:
	case len(p.Rows) > 0 && newFailure:
		p.Create = true
		p.Delete = append(p.Delete, latest.ID)
	case len(p.Rows) > 0:
		p.Edit = latest.ID
	case u.AllPassed:
		p.Passed = true
		p.Edit = latest.ID
	default:
		p.Delete = append(p.Delete, latest.ID)
	}
	return p
}

// carriedRows are the rows of the tagged comments that stay: the latest
// row of each context but the job's own.
func carriedRows(existing []taggedComment, context string) []Row {
	var all, out []Row
	for _, c := range existing {
		all = append(all, parseRows(c.Body)...)
	}
	for i, r := range all {
		later := slices.ContainsFunc(all[i+1:], func(o Row) bool { return o.Context == r.Context })
		if !later && r.Context != context {
			out = append(out, r)
		}
	}
	return out
}
