package tide_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	gh "github.com/google/go-github/v60/github"
)

const blockerConfig = baseConfig + "  blocker_label: merge-blocker\n"

func TestABlockerOpenedBeforeTheLastLabelHoldsThePullRequest(t *testing.T) {
	w := newWorld(t, blockerConfig, pull{repo: "demo/hello", file: "a", content: "a\n", labels: []string{"lgtm"}})
	w.setStatus("demo/hello", 1, "ci", "success", "")
	// While tide syncs, someone opens a blocker issue, then approves #1:
	// tide must not see the approval without the blocker.
	var once sync.Once
	w.intercept(func(r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/graphql") { // the search reading #1
			return
		}
		once.Do(func() {
			ctx := context.Background()
			_, _, err := w.api.Issues.Create(ctx, "demo", "hello", &gh.IssueRequest{Title: gh.String("main is broken"), Labels: &[]string{"merge-blocker"}})
			must(t, err)
			_, _, err = w.api.Issues.AddLabelsToIssue(ctx, "demo", "hello", 1, []string{"approved"})
			must(t, err)
		})
	})
	w.sync()
	w.intercept(nil)
	if w.merged("demo/hello", 1) {
		t.Fatal("#1 merged though a blocker issue was open before it was approved")
	}
	w.sync()
	if got := w.tideStatus("demo/hello", 1); got != "error: Not mergeable. Merging is blocked by issue(s) #2." {
		t.Errorf("#1: %q", got)
	}
}

func TestABlockerSearchThatFailsMergesNothing(t *testing.T) {
	w := newWorld(t, blockerConfig, pull{repo: "demo/hello", file: "a", content: "a\n", labels: ready})
	w.setStatus("demo/hello", 1, "ci", "success", "")
	w.intercept(func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/search/issues") && strings.Contains(r.URL.Query().Get("q"), "is:issue") {
			r.URL.Path = strings.Replace(r.URL.Path, "/search/issues", "/search/gone", 1)
		}
	})
	if err := w.ctrl.Sync(context.Background()); err == nil {
		t.Error("the failed blocker search was not reported")
	}
	if w.merged("demo/hello", 1) {
		t.Fatal("#1 merged while the blocker issues were unknown")
	}
	w.intercept(nil)
	w.sync()
	if !w.merged("demo/hello", 1) {
		t.Fatal("#1 did not merge once the blocker search answered")
	}
}
