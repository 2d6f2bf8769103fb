package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// junitScript is a presubmit that fails on its first run, writing a JUnit
// report whose failure says where (hello.sh, line 1), and passes on the
// next ones.
const junitScript = `echo "$PROW_JOB_ID" >> "$RUNS_LOG"
mkdir -p "$ARTIFACTS"
if [ "$(wc -l < "$RUNS_LOG")" -eq 1 ]; then
  cat > "$ARTIFACTS/junit_hello.xml" <<'EOF'
<testsuite name="hello"><testcase classname="hello" name="TestGreets" file="hello.sh" line="1"><failure message="greets with hi, want hello">hello.sh:1: got hi</failure></testcase><testcase classname="hello" name="TestRuns"/></testsuite>
EOF
  echo "failing on purpose"; exit 1
fi
echo '<testsuite name="hello"><testcase classname="hello" name="TestGreets"/><testcase classname="hello" name="TestRuns"/></testsuite>' > "$ARTIFACTS/junit_hello.xml"`

// ghCheckRun is a check run as the REST API shows it.
type ghCheckRun struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Status     string `json:"status"`
	Conclusion string `json:"conclusion"`
	DetailsURL string `json:"details_url"`
	ExternalID string `json:"external_id"`
	Output     struct {
		Title            string `json:"title"`
		Summary          string `json:"summary"`
		Text             string `json:"text"`
		AnnotationsCount int    `json:"annotations_count"`
	} `json:"output"`
}

// checkRuns lists every check run of sha in demo/hello (filter=all: a
// duplicate shows).
func (w *serveWorld) checkRuns(sha string) []ghCheckRun {
	var out struct {
		CheckRuns []ghCheckRun `json:"check_runs"`
	}
	w.do("member-token", http.MethodGet, "/repos/demo/hello/commits/"+sha+"/check-runs?filter=all", nil, &out)
	return out.CheckRuns
}

// TestServeReportsCheckRunsAndReRunsFromThem: with report_as:
// check-runs, `prow serve` reports a failing job as a check run carrying
// its JUnit failure as text and as an annotation at the file and line
// the report names; after a restart, "Re-run" on the check run (the
// rerequest API, a check_run rerequested webhook) runs the job again,
// and the new run updates the same check run.
func TestServeReportsCheckRunsAndReRunsFromThem(t *testing.T) {
	bin := buildProw(t)
	w := newServeWorld(t, "github_reporter:\n  report_as: check-runs\n", map[string]string{"pull-hello": junitScript})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	p := startProw(t, ctx, bin, "Serving", w.args...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()

	n, sha := w.openPull()
	var run ghCheckRun
	eventually(t, time.Minute, "the failed check run", func() bool {
		runs := w.checkRuns(sha)
		if len(runs) != 1 {
			return false
		}
		run = runs[0]
		return run.Status == "completed"
	})
	if run.Name != "pull-hello" || run.Conclusion != "failure" || !strings.HasPrefix(run.Output.Title, "Job failed. BaseSHA:") ||
		!strings.Contains(run.Output.Summary, "2 tests: 1 passed, 1 failed.") ||
		!strings.Contains(run.Output.Text, "#### `hello.TestGreets`\nat `hello.sh:1` in suite hello") ||
		!strings.Contains(run.Output.Text, "greets with hi, want hello") || run.Output.AnnotationsCount != 1 {
		t.Fatalf("the check run: %+v", run)
	}
	// The details link is the job's page, served by deck in the same
	// process.
	if !strings.Contains(run.DetailsURL, "/view/local/pr-logs/pull/demo_hello/") {
		t.Errorf("details_url %q", run.DetailsURL)
	}
	if page := httpGet(t, run.DetailsURL); !strings.Contains(page, "pull-hello") {
		t.Errorf("the job page %s does not name the job:\n%.2000s", run.DetailsURL, page)
	}
	var anns []struct {
		Path      string `json:"path"`
		StartLine int    `json:"start_line"`
		Level     string `json:"annotation_level"`
		Title     string `json:"title"`
		Message   string `json:"message"`
	}
	w.do("member-token", http.MethodGet, fmt.Sprintf("/repos/demo/hello/check-runs/%d/annotations", run.ID), nil, &anns)
	if len(anns) != 1 || anns[0].Path != "hello.sh" || anns[0].StartLine != 1 || anns[0].Level != "failure" ||
		anns[0].Title != "hello.TestGreets" || anns[0].Message != "greets with hi, want hello" {
		t.Errorf("annotations: %+v", anns)
	}
	if st := w.statuses(sha); len(st) != 0 {
		t.Errorf("statuses besides the check run: %+v", st)
	}
	eventually(t, 30*time.Second, "the failure comment", func() bool {
		for _, c := range w.comments(n) {
			if strings.Contains(c, "pull-hello") && strings.Contains(c, "<!-- test report -->") {
				return true
			}
		}
		return false
	})

	// A restart forgets the check run's ID: it is found again by name and
	// head SHA.
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	p = startProw(t, ctx, bin, "Serving", w.args...)

	if got := w.runs(); len(got) != 1 {
		t.Fatalf("runs before the re-run: %v", got)
	}
	w.do("member-token", http.MethodPost, fmt.Sprintf("/repos/demo/hello/check-runs/%d/rerequest", run.ID), nil, nil)
	eventually(t, time.Minute, "the re-run", func() bool { return len(w.runs()) == 2 })
	eventually(t, time.Minute, "the check run passing", func() bool {
		runs := w.checkRuns(sha)
		return len(runs) == 1 && runs[0].Conclusion == "success"
	})
	again := w.checkRuns(sha)
	if len(again) != 1 || again[0].ID != run.ID || again[0].ExternalID == run.ExternalID || again[0].Output.Text != "" ||
		!strings.Contains(again[0].Output.Summary, "2 tests: 2 passed, 0 failed.") {
		t.Errorf("after the re-run: %+v (first run %+v)", again, run)
	}
}
