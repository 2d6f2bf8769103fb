package report

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/deck/lens"
	"github.com/prowbot/prow/jobs/controller"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
)

func TestJobStatesMapToCheckRunStatusAndConclusion(t *testing.T) {
	cases := []struct {
		state                    prowapi.ProwJobState
		desc                     string
		wantStatus, wantConclude string
	}{
		{prowapi.SchedulingState, "", "queued", ""},
		{prowapi.TriggeredState, controller.DescTriggered, "queued", ""},
		{prowapi.PendingState, controller.DescTriggered, "in_progress", ""},
		{prowapi.SuccessState, controller.DescSucceeded, "completed", "success"},
		{prowapi.FailureState, controller.DescFailed, "completed", "failure"},
		{prowapi.AbortedState, controller.DescSuperseded, "completed", conclusionCancelled},
		{prowapi.AbortedState, "Aborted from deck.", "completed", conclusionCancelled},
		{prowapi.AbortedState, controller.DescRunningTimeout, "completed", "timed_out"},
		{prowapi.ErrorState, controller.DescPendingTimeout, "completed", "timed_out"},
		{prowapi.ErrorState, "clone of ref main failed", "completed", "failure"},
	}
	for _, c := range cases {
		t.Run(string(c.state)+" "+c.desc, func(t *testing.T) {
			pj := &prowapi.ProwJob{Status: prowapi.ProwJobStatus{State: c.state, Description: c.desc}}
			status, conclusion, ok := checkRunState(pj)
			if !ok || status != c.wantStatus || conclusion != c.wantConclude {
				t.Errorf("checkRunState = %q, %q, %v; want %q, %q", status, conclusion, ok, c.wantStatus, c.wantConclude)
			}
		})
	}
	t.Run("an unknown state is refused", func(t *testing.T) {
		if s, c, ok := checkRunState(&prowapi.ProwJob{Status: prowapi.ProwJobStatus{State: "bogus"}}); ok {
			t.Errorf("checkRunState(bogus) = %q, %q", s, c)
		}
	})
}

func TestCheckRunTitleIsTheJobsDescription(t *testing.T) {
	cases := []struct {
		state      prowapi.ProwJobState
		desc, want string
	}{
		{prowapi.FailureState, "Job failed.", "Job failed."},
		{prowapi.TriggeredState, "", controller.DescTriggered},
		{prowapi.PendingState, "", "Job running."},
		{prowapi.SuccessState, "  ", controller.DescSucceeded},
		{prowapi.ErrorState, strings.Repeat("x", 300), strings.Repeat("x", 125) + " ... " + strings.Repeat("x", 125)},
	}
	for _, c := range cases {
		pj := &prowapi.ProwJob{Status: prowapi.ProwJobStatus{State: c.state, Description: c.desc}}
		if got := checkRunTitle(pj); got != c.want {
			t.Errorf("checkRunTitle(%s, %q) = %q, want %q", c.state, c.desc, got, c.want)
		}
	}
}

func TestAnnotationsComeFromTheFailedTestsFileAndLine(t *testing.T) {
	refs := &prowapi.Refs{Org: "demo", Repo: "hello"}
	failed := func(name, file string, line int, msg, out string) lens.Case {
		return lens.Case{Suite: "s", Class: "pkg", Name: name, Failed: true, SourceFile: file, SourceLine: line, Message: msg, Output: out}
	}
	ann := func(path string, line int, title, msg, raw string) github.CheckRunAnnotation {
		return github.CheckRunAnnotation{Path: path, StartLine: line, EndLine: line, Level: "failure", Title: title, Message: msg, RawDetails: raw}
	}
	cases := []struct {
		name  string
		cases []lens.Case
		want  []github.CheckRunAnnotation
	}{
		{"a relative file and line", []lens.Case{failed("TestA", "pkg/a_test.go", 12, "want 1, got 2", "a_test.go:12: want 1, got 2")},
			[]github.CheckRunAnnotation{ann("pkg/a_test.go", 12, "pkg.TestA", "want 1, got 2", "a_test.go:12: want 1, got 2")}},
		{"./ is dropped", []lens.Case{failed("TestA", "./hello.sh", 3, "boom", "")},
			[]github.CheckRunAnnotation{ann("hello.sh", 3, "pkg.TestA", "boom", "")}},
		{"an absolute path is cut after the checkout", []lens.Case{failed("TestA", "/home/prow/go/src/github.com/demo/hello/cmd/main_test.go", 7, "boom", "")},
			[]github.CheckRunAnnotation{ann("cmd/main_test.go", 7, "pkg.TestA", "boom", "")}},
		{"without a message, the output's first line", []lens.Case{failed("TestA", "a.go", 1, "", "\n  first line\nsecond line")},
			[]github.CheckRunAnnotation{ann("a.go", 1, "pkg.TestA", "first line", "first line\nsecond line")}},
		{"without message or output, a default", []lens.Case{failed("TestA", "a.go", 1, "", "")},
			[]github.CheckRunAnnotation{ann("a.go", 1, "pkg.TestA", "Test failed.", "")}},
		{"a name that starts with its class keeps it", []lens.Case{{Class: "pkg", Name: "pkg.TestA", Failed: true, SourceFile: "a.go", SourceLine: 1, Message: "m"}},
			[]github.CheckRunAnnotation{ann("a.go", 1, "pkg.TestA", "m", "")}},
		{"no file, no line, or a file elsewhere: no annotation", []lens.Case{
			failed("TestNoFile", "", 3, "m", ""), failed("TestNoLine", "a.go", 0, "m", ""),
			failed("TestElsewhere", "/usr/lib/go/src/testing/testing.go", 10, "m", ""), failed("TestUp", "../other/a.go", 1, "m", "")}, nil},
		{"equal annotations once", []lens.Case{failed("TestA", "a.go", 1, "m", ""), failed("TestA", "a.go", 1, "m", "")},
			[]github.CheckRunAnnotation{ann("a.go", 1, "pkg.TestA", "m", "")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := annotationsFor(c.cases, refs); !reflect.DeepEqual(got, c.want) {
				t.Errorf("annotationsFor =\n %+v\nwant\n %+v", got, c.want)
			}
		})
	}
}

func TestAnnotationsGoFiftyPerRequestAndOnlyOnce(t *testing.T) {
	var anns []github.CheckRunAnnotation
	for k := range 120 {
		anns = append(anns, github.CheckRunAnnotation{Path: "a.go", StartLine: k + 1, EndLine: k + 1, Level: "failure", Message: fmt.Sprint(k)})
	}
	sizes := func(bs [][]github.CheckRunAnnotation) []int {
		var out []int
		for _, b := range bs {
			out = append(out, len(b))
		}
		return out
	}
	for _, c := range []struct {
		n    int
		want []int
	}{{0, []int{0}}, {1, []int{1}}, {50, []int{50}}, {51, []int{50, 1}}, {120, []int{50, 50, 20}}} {
		t.Run(fmt.Sprintf("%d annotations", c.n), func(t *testing.T) {
			if got := sizes(batches(anns[:c.n])); !reflect.DeepEqual(got, c.want) {
				t.Errorf("batches of %d = %v, want %v", c.n, got, c.want)
			}
		})
	}
	// What the run has (as GitHub gives it back: raw details aside) is
	// not sent again; a duplicate wanted twice and had once goes once.
	had := []github.CheckRunAnnotation{anns[0], anns[2]}
	had[1].RawDetails = "ignored"
	want := []github.CheckRunAnnotation{anns[0], anns[1], anns[2], anns[2], anns[3]}
	if got := newAnnotations(want, had); !reflect.DeepEqual(got, []github.CheckRunAnnotation{anns[1], anns[2], anns[3]}) {
		t.Errorf("newAnnotations = %+v", got)
	}
}

func TestCheckRunTextListsTheFailedTests(t *testing.T) {
	failed := []lens.Case{
		{Suite: "unit", Class: "pkg", Name: "TestA", Failed: true, SourceFile: "pkg/a_test.go", SourceLine: 12, Message: "not equal", Output: "a_test.go:12: want 1, got 2"},
		{Suite: "unit", Name: "TestB", Failed: true, Output: "```go\n" + strings.Repeat("line\n", 30)},
	}
	text := checkRunText(failed)
	for _, want := range []string{"### 2 failed tests", "#### `pkg.TestA`", "at `pkg/a_test.go:12` in suite unit", "not equal\na_test.go:12: want 1, got 2",
		"#### `TestB`", "in suite unit", "```\n'''go\nline\n", "line\n…\n```"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "```") != 4 {
		t.Errorf("a failure's own fence must not end the block:\n%s", text)
	}
	if checkRunText(nil) != "" {
		t.Error("no failures, no text")
	}
	var many, large []lens.Case
	for k := range 150 {
		many = append(many, lens.Case{Name: fmt.Sprint("T", k), Failed: true, Output: "boom"})
		large = append(large, lens.Case{Name: fmt.Sprint("T", k), Failed: true, Output: strings.Repeat("x", 2000)})
	}
	if text := checkRunText(many); !strings.HasSuffix(text, "\n… and 50 more: see the job's page.\n") {
		t.Errorf("150 short failures: tail %q", text[len(text)-100:])
	}
	if text := checkRunText(large); len([]rune(text)) > maxOutputText || !strings.Contains(text, " more: see the job's page.") {
		t.Errorf("150 long failures: %d characters, tail %q", len([]rune(text)), text[len(text)-100:])
	}
}

func TestCheckRunSummaryCountsTheTests(t *testing.T) {
	var j lens.JUnit
	report := `<testsuite name="unit">
<testcase name="a"/><testcase name="b"><failure message="m"/></testcase><testcase name="c"><skipped/></testcase>
<testcase name="d"><failure/></testcase><testcase name="d"/></testsuite>`
	if err := j.ParseJUnit("artifacts/junit.xml", []byte(report)); err != nil {
		t.Fatal(err)
	}
	pj := &prowapi.ProwJob{Status: prowapi.ProwJobStatus{State: prowapi.FailureState, Description: "Job failed."}}
	if got, want := checkRunSummary(pj, &j), "Job failed.\n\n4 tests: 1 passed, 1 failed, 1 flaky, 1 skipped."; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if got := checkRunSummary(pj, nil); got != "Job failed." {
		t.Errorf("summary without reports = %q", got)
	}
	if got := failedCases(&j); len(got) != 1 || got[0].Name != "b" {
		t.Errorf("failed cases (the flaky one left out): %+v", got)
	}
}
