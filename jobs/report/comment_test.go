package report

import (
	"reflect"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func failedPresubmit(context, sha, url, rerun string, labels map[string]string) *prowapi.ProwJob {
	return &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec: prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Context: context, RerunCommand: rerun,
			Refs: &prowapi.Refs{Org: "o", Repo: "r", Pulls: []prowapi.Pull{{Number: 1, SHA: sha, Author: "alice"}}}},
		Status: prowapi.ProwJobStatus{State: prowapi.FailureState, URL: url},
	}
}

func TestRowsShowContextCommitLinkRequiredAndRerunCommand(t *testing.T) {
	cases := []struct {
		name   string
		labels map[string]string
		want   string
	}{
		{"a required job", nil, "unit | abc123 | [link](https://prow/1) | true | `/test unit`"},
		{"an optional job", map[string]string{prowapi.IsOptionalLabel: "true"}, "unit | abc123 | [link](https://prow/1) | false | `/test unit`"},
		{"a job with a bad label", map[string]string{prowapi.IsOptionalLabel: "maybe"}, "unit | abc123 | [link](https://prow/1) | unknown | `/test unit`"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := rowFor(failedPresubmit("unit", "abc123", "https://prow/1", "/test unit", c.labels))
			if got.Line != c.want || got.Context != "unit" {
				t.Errorf("rowFor = %+v, want line %q", got, c.want)
			}
		})
	}
}

const oneRowComment = "@alice: The following test **failed**, say `/retest` to rerun all failed tests or `/retest-required` to rerun all mandatory failed tests:\n" +
	"\n" +
	"Test name | Commit | Details | Required | Rerun command\n" +
	"--- | --- | --- | --- | ---\n" +
	"unit | abc | [link](u1) | true | `/test unit`\n" +
	"\n" +
	"[Full PR test history](https://prow/pr-history?org=o&repo=r&pr=1)\n" +
	"\n" +
	"<details>\n" +
	"\n" +
	AboutThisBot + "\n" +
	"</details>\n" +
	"<!-- test report -->"

func TestRenderingFollowsProwsCommentFormat(t *testing.T) {
	unit := Row{Context: "unit", Line: "unit | abc | [link](u1) | true | `/test unit`"}
	e2e := Row{Context: "e2e", Line: "e2e | abc | [link](u2) | false | `/test e2e`"}
	t.Run("one failed test, with the report template", func(t *testing.T) {
		got := renderFailures("alice", []Row{unit}, "[Full PR test history](https://prow/pr-history?org=o&repo=r&pr=1)")
		if got != oneRowComment {
			t.Errorf("got\n%s\nwant\n%s", got, oneRowComment)
		}
	})
	t.Run("several failed tests say tests", func(t *testing.T) {
		got := renderFailures("alice", []Row{unit, e2e}, "")
		if !strings.HasPrefix(got, "@alice: The following tests **failed**") {
			t.Errorf("got %q", got)
		}
		if !strings.Contains(got, "---\n"+unit.Line+"\n"+e2e.Line+"\n\n<details>") {
			t.Errorf("rows not in order before the details:\n%s", got)
		}
	})
	t.Run("the summary comment", func(t *testing.T) {
		want := "@alice: all tests **passed!**\n\n\n<details>\n\n" + AboutThisBot + "\n</details>\n" + CommentTag
		if got := renderPassed("alice", ""); got != want {
			t.Errorf("got %q\nwant %q", got, want)
		}
	})
	t.Run("a rendered comment parses back to its rows", func(t *testing.T) {
		rows := []Row{unit, e2e}
		if got := parseRows(renderFailures("alice", rows, "some\n\n--- template | text")); !reflect.DeepEqual(got, rows) {
			t.Errorf("parseRows = %+v, want %+v", got, rows)
		}
	})
}

func TestParseRowsReadsTheTableOnly(t *testing.T) {
	cases := []struct {
		name, body string
		want       []Row
	}{
		{"the summary comment has no rows", renderPassed("alice", ""), nil},
		{"a comment from older Prow", oneRowComment, []Row{{Context: "unit", Line: "unit | abc | [link](u1) | true | `/test unit`"}}},
		{"indented lines are trimmed", "x\n--- | ---\n  a | b  \n\nc | d", []Row{{Context: "a", Line: "a | b"}}},
		{"a row without separators is its own context", "---\nodd\n", []Row{{Context: "odd", Line: "odd"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := parseRows(c.body); !reflect.DeepEqual(got, c.want) {
				t.Errorf("parseRows = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestPlanCommentDecidesCreateEditOrDelete(t *testing.T) {
	row := func(ctx, url string) Row {
		return Row{Context: ctx, Line: ctx + " | abc | [link](" + url + ") | true | `/test " + ctx + "`"}
	}
	body := func(rows ...Row) string { return renderFailures("alice", rows, "") }
	unit1, unit2, e2e, lint := row("unit", "u1"), row("unit", "u2"), row("e2e", "e1"), row("lint", "l1")
	cases := []struct {
		name     string
		existing []taggedComment
		update   commentUpdate
		want     commentPlan
	}{
		{"a first failure creates the comment", nil,
			commentUpdate{Context: "unit", Failed: &unit1},
			commentPlan{Rows: []Row{unit1}, Create: true}},
		{"a pass with no comment does nothing", nil,
			commentUpdate{Context: "unit"},
			commentPlan{}},
		{"another failure replaces the comment with one listing both",
			[]taggedComment{{ID: 7, Body: body(unit1)}},
			commentUpdate{Context: "e2e", Failed: &e2e},
			commentPlan{Rows: []Row{unit1, e2e}, Create: true, Delete: []int64{7}}},
		{"a rerun that fails again replaces its own row",
			[]taggedComment{{ID: 7, Body: body(unit1, e2e)}},
			commentUpdate{Context: "unit", Failed: &unit2},
			commentPlan{Rows: []Row{e2e, unit2}, Create: true, Delete: []int64{7}}},
		{"a pass drops its row in place",
			[]taggedComment{{ID: 7, Body: body(unit1, e2e)}},
			commentUpdate{Context: "unit"},
			commentPlan{Rows: []Row{e2e}, Edit: 7}},
		{"the last pass deletes the comment",
			[]taggedComment{{ID: 7, Body: body(e2e)}},
			commentUpdate{Context: "e2e"},
			commentPlan{Delete: []int64{7}}},
		{"the last pass in a summary repo keeps a passed comment",
			[]taggedComment{{ID: 7, Body: body(e2e)}},
			commentUpdate{Context: "e2e", AllPassed: true},
			commentPlan{Passed: true, Edit: 7}},
		{"a pass in a summary repo with no comment creates the passed comment", nil,
			commentUpdate{Context: "e2e", AllPassed: true},
			commentPlan{Passed: true, Create: true}},
		{"rows of older comments are carried over and the older comments deleted",
			[]taggedComment{{ID: 5, Body: body(lint)}, {ID: 6, Body: body(unit1)}, {ID: 7, Body: body(e2e)}},
			commentUpdate{Context: "e2e"},
			commentPlan{Rows: []Row{lint, unit1}, Edit: 7, Delete: []int64{5, 6}}},
		{"a context in several comments keeps its latest row",
			[]taggedComment{{ID: 5, Body: body(unit1, lint)}, {ID: 6, Body: body(unit2)}},
			commentUpdate{Context: "e2e"},
			commentPlan{Rows: []Row{lint, unit2}, Edit: 6, Delete: []int64{5}}},
		{"the same failure reported again edits instead of recreating",
			[]taggedComment{{ID: 7, Body: body(unit1, e2e)}},
			commentUpdate{Context: "e2e", Failed: &e2e},
			commentPlan{Rows: []Row{unit1, e2e}, Edit: 7}},
		{"a summary repo still lists failures",
			[]taggedComment{{ID: 7, Body: body(unit1)}},
			commentUpdate{Context: "e2e", AllPassed: true},
			commentPlan{Rows: []Row{unit1}, Edit: 7}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := planComment(c.existing, c.update); !reflect.DeepEqual(got, c.want) {
				t.Errorf("planComment =\n %+v\nwant\n %+v", got, c.want)
			}
		})
	}
}

func TestOnlyTheBotsTaggedCommentsCount(t *testing.T) {
	cases := []struct {
		login, bot string
		want       bool
	}{
		{"the-bot", "the-bot", true},
		{"The-Bot", "the-bot", true},
		{"my-app[bot]", "my-app", true},
		{"my-app", "my-app[bot]", true},
		{"alice", "the-bot", false},
		{"alice", "", false},
	}
	for _, c := range cases {
		t.Run(c.login+" as "+c.bot, func(t *testing.T) {
			if got := isBot(c.login, c.bot); got != c.want {
				t.Errorf("isBot = %v, want %v", got, c.want)
			}
		})
	}
}
