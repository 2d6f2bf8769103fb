package trigger

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/config"
)

func TestParseRequest(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       Request
	}{
		{"plain text asks nothing", "looks good to me", Request{Text: "looks good to me"}},
		{"ok-to-test", "/ok-to-test", Request{OkToTest: true, Text: "/ok-to-test"}},
		{"ok-to-test cancel", "/ok-to-test cancel", Request{OkToTestCancel: true, Text: "/ok-to-test cancel"}},
		{"test all", "/test all", Request{TestAll: true, Test: true, Text: "/test all"}},
		{"a named job", "/test pull-unit", Request{Test: true, Text: "/test pull-unit"}},
		{"retest", "/retest", Request{Retest: true, Text: "/retest"}},
		{"retest with targets asks for help", "/retest pull-unit", Request{Help: true, Note: NoteRetestNoTargets, Text: "/retest pull-unit"}},
		{"bare test asks for help", "/test", Request{Help: true, Note: NoteTestNeedsTarget, Text: "/test"}},
		{"test ? lists the jobs", "/test ?", Request{Help: true, Text: "/test ?"}},
		{"retest-required", "/retest-required", Request{RetestRequired: true, Text: "/retest-required"}},
		{"test-manual-required", "/test-manual-required", Request{TestManualRequired: true, Text: "/test-manual-required"}},
		{"quoted commands are not commands", "> /test all\n> /retest", Request{}},
		{"commands in code are not commands", "```\n/retest\n```\n    /test all", Request{Text: "    /test all"}},
		{"a command mid-line is not a command", "please /retest", Request{Text: "please /retest"}},
		{"several commands", "/ok-to-test\n/test pull-e2e", Request{OkToTest: true, Test: true, Text: "/ok-to-test\n/test pull-e2e"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ParseRequest(tc.body); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseRequest(%q) = %+v, want %+v", tc.body, got, tc.want)
			}
		})
	}
}

// loadPresubmits builds jobs through the real loader so triggers and
// filters are compiled as in production.
func loadPresubmits(t *testing.T, jobsYAML string) []config.Presubmit {
	t.Helper()
	return loadConfig(t, jobsYAML).PresubmitsFor("org", "repo")
}

const selectionJobs = `
presubmits:
  org/repo:
  - name: unit
    always_run: true
    spec: {containers: [{image: golang}]}
  - name: lint
    always_run: true
    optional: true
    spec: {containers: [{image: golang}]}
  - name: docs
    run_if_changed: '^docs/'
    spec: {containers: [{image: golang}]}
  - name: e2e
    spec: {containers: [{image: golang}]}
  - name: release-only
    always_run: true
    branches: [release]
    spec: {containers: [{image: golang}]}
`

func TestSelectForComment(t *testing.T) {
	pres := loadPresubmits(t, selectionJobs)
	names := func(s []Selected) string {
		var out []string
		for _, x := range s {
			n := x.Job.Name
			if x.Retest {
				n += "(retest)"
			}
			out = append(out, n)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		name, body string
		changed    []string
		statuses   map[string]string
		want       string
	}{
		{"test all runs what runs by itself", "/test all", []string{"main.go"}, nil, "unit,lint"},
		{"test all includes matching change filters", "/test all", []string{"docs/a.md"}, nil, "unit,lint,docs"},
		{"ok-to-test is test all", "/ok-to-test", []string{"docs/a.md"}, nil, "unit,lint,docs"},
		{"a named job is forced", "/test e2e", nil, nil, "e2e"},
		{"a named job ignores change filters", "/test docs", []string{"main.go"}, nil, "docs"},
		{"a job of another branch is not run", "/test release-only", nil, nil, ""},
		{"unknown target", "/test nope", nil, nil, ""},
		{"retest reruns failures and unstarted automatic jobs", "/retest", []string{"main.go"},
			map[string]string{"unit": "failure", "lint": "success", "e2e": "error"}, "unit(retest),e2e(retest)"},
		{"retest starts automatic jobs without status", "/retest", []string{"main.go"},
			map[string]string{"unit": "success"}, "lint(retest)"},
		{"retest-required skips optional jobs", "/retest-required", []string{"main.go"},
			map[string]string{"unit": "error", "lint": "failure"}, "unit(retest)"},
		{"test-manual-required runs required jobs that never run by themselves", "/test-manual-required", []string{"main.go"}, nil, "e2e"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			changed := tc.changed
			got, err := SelectForComment(ParseRequest(tc.body), Selection{
				Presubmits: pres, Branch: "main", Statuses: tc.statuses,
				Changes: func() ([]string, error) { return changed, nil },
			})
			if err != nil {
				t.Fatal(err)
			}
			if names(got) != tc.want {
				t.Errorf("%q selects %q, want %q", tc.body, names(got), tc.want)
			}
		})
	}
}

func TestJobHelpListsRequiredAndOptionalJobs(t *testing.T) {
	help := JobHelp(loadPresubmits(t, selectionJobs), "main", NoteTargetsNotFound)
	for _, want := range []string{
		NoteTargetsNotFound,
		"trigger required jobs:\n* `/test docs`\n* `/test e2e`\n* `/test unit`\n",
		"trigger optional jobs:\n* `/test lint`\n",
		"automatically triggered:\n* docs\n* lint\n* unit\n",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
	if strings.Contains(help, "release-only") {
		t.Errorf("help lists a job of another branch:\n%s", help)
	}
}
