package tide_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/report"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github/sandbox"
)

// baseConfig: lgtm and approved, no hold, and the external context ci.
const baseConfig = `tide:
  queries:
  - repos: [demo/hello, demo/other]
    labels: [lgtm, approved]
    missingLabels: [do-not-merge/hold]
  context_options:
    required-contexts: [ci]
  squash_label: tide/squash
  rebase_label: tide/rebase
`

var ready = []string{"lgtm", "approved"}

func TestSerialMerge(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		w := newWorldOn(t, open, baseConfig,
			pull{repo: "demo/hello", file: "a", content: "a\n", labels: ready},
			pull{repo: "demo/hello", file: "b", content: "b\n", labels: []string{"lgtm"}},
			pull{repo: "demo/hello", file: "c", content: "c\n", labels: ready})
		for n := 1; n <= 3; n++ {
			w.setStatus("demo/hello", n, "ci", "success", "")
		}
		w.sync()
		if !w.merged("demo/hello", 1) || w.merged("demo/hello", 3) {
			t.Fatalf("after one sync: #1 merged %v, #3 merged %v; want only the oldest merged", w.merged("demo/hello", 1), w.merged("demo/hello", 3))
		}
		if got := w.tideStatus("demo/hello", 2); got != "pending: Not mergeable. Needs approved label." {
			t.Errorf("#2: %q", got)
		}
		if got := w.tideStatus("demo/hello", 3); got != "success: In merge pool." {
			t.Errorf("#3: %q", got)
		}
		w.sync()
		if !w.merged("demo/hello", 3) || w.merged("demo/hello", 2) {
			t.Fatalf("after two syncs: #3 merged %v, #2 merged %v", w.merged("demo/hello", 3), w.merged("demo/hello", 2))
		}
		w.sync()
		if got := w.tideStatuses("demo/hello", 2); len(got) != 1 {
			t.Errorf("the unchanged status of #2 was written %d times: %q", len(got), got)
		}
		if got := w.gitLog("demo/hello", "main"); !reflect.DeepEqual(got[:2], []string{"** Merge pull request #3 from demo/dev-patch-3", "** Merge pull request #1 from demo/dev-patch-1"}) {
			t.Errorf("main: %q", got)
		}
	})
}

func TestHeldPRNeverMerges(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		w := newWorldOn(t, open, baseConfig, pull{repo: "demo/hello", file: "a", content: "a\n", labels: append([]string{"do-not-merge/hold"}, ready...)})
		w.setStatus("demo/hello", 1, "ci", "success", "")
		for i := 0; i < 3; i++ {
			w.sync()
		}
		if w.merged("demo/hello", 1) {
			t.Fatal("a held PR merged")
		}
		if got := w.tideStatus("demo/hello", 1); got != "pending: Not mergeable. Should not have do-not-merge/hold label." {
			t.Errorf("status: %q", got)
		}
		w.removeLabel("demo/hello", 1, "do-not-merge/hold")
		w.sync()
		if !w.merged("demo/hello", 1) {
			t.Fatal("the PR did not merge once the hold was lifted")
		}
	})
}

func TestMissingContextsAreNamed(t *testing.T) {
	w := newWorld(t, baseConfig, pull{repo: "demo/hello", file: "a", content: "a\n"})
	w.sync()
	if got := w.tideStatus("demo/hello", 1); got != "pending: Not mergeable. Needs lgtm, approved labels. Job ci has not succeeded." {
		t.Errorf("status: %q", got)
	}
}

func TestSquashAndRebase(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		cfg := baseConfig + "  merge_method:\n    demo/hello: squash\n"
		w := newWorldOn(t, open, cfg,
			pull{repo: "demo/hello", file: "a", content: "a\n", labels: ready},
			pull{repo: "demo/hello", file: "b", content: "b\n", labels: append([]string{"tide/rebase"}, ready...)})
		for n := 1; n <= 2; n++ {
			w.setStatus("demo/hello", n, "ci", "success", "")
		}
		w.sync()
		w.sync()
		if !w.merged("demo/hello", 1) || !w.merged("demo/hello", 2) {
			t.Fatal("not both merged")
		}
		log := w.gitLog("demo/hello", "main")
		if log[1] != "* Change a (#1)" {
			t.Errorf("#1 was not squashed: %q", log)
		}
		if !strings.HasPrefix(log[0], "* ") || strings.Contains(log[0], "Merge pull request") || strings.Contains(log[0], "(#2)") {
			t.Errorf("#2 was not rebased: %q", log)
		}
	})
}

func TestConflictingPRIsReported(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		w := newWorldOn(t, open, baseConfig,
			pull{repo: "demo/hello", file: "README.md", content: "one\n", labels: ready},
			pull{repo: "demo/hello", file: "README.md", content: "two\n", labels: ready})
		for n := 1; n <= 2; n++ {
			w.setStatus("demo/hello", n, "ci", "success", "")
		}
		w.sync()
		w.sync()
		if !w.merged("demo/hello", 1) || w.merged("demo/hello", 2) {
			t.Fatal("want #1 merged and #2 not")
		}
		if got := w.tideStatus("demo/hello", 2); got != "error: Not mergeable. PR has a merge conflict." {
			t.Errorf("#2: %q", got)
		}
	})
}

func TestMergeRefusedByGitHubStaysInPoolAndIsLoggedOnce(t *testing.T) {
	w := newWorld(t, baseConfig, pull{repo: "demo/hello", file: "README.md", content: "mine\n", labels: ready},
		pull{repo: "demo/other", file: "x", content: "x\n", labels: ready})
	w.setStatus("demo/hello", 1, "ci", "success", "")
	w.setStatus("demo/other", 2, "ci", "success", "")
	// Someone pushes a conflicting change to main just as tide merges #1.
	pushed := false
	w.intercept(func(r *http.Request) {
		if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/demo/hello/pulls/1/merge") && !pushed {
			pushed = true
			if _, err := w.sb.PushToBranch(context.Background(), "demo/hello", "main", sandbox.Push{Files: sandbox.FileChanges{"README.md": "theirs\n"}}); err != nil {
				t.Error(err)
			}
		}
	})
	w.sync()
	if w.merged("demo/hello", 1) || !w.merged("demo/other", 2) {
		t.Fatal("want demo/hello#1 refused and demo/other#2 merged")
	}
	if got := w.tideStatus("demo/hello", 1); got != "error: Not mergeable. GitHub refused the merge: Pull Request is not mergeable" {
		t.Errorf("status after the refusal: %q", got)
	}
	w.sync()
	w.sync()
	if got := w.tideStatus("demo/hello", 1); got != "error: Not mergeable. PR has a merge conflict." {
		t.Errorf("status once GitHub knows: %q", got)
	}
	if n := w.logged("GitHub refused the merge"); n != 1 {
		t.Errorf("the refusal was logged %d times", n)
	}
}

func TestASyncErrorInOnePoolDoesNotBlockOthers(t *testing.T) {
	// A presubmit that runs only on some files makes tide read each PR's
	// changed files: reading those of the dev pool's PR fails.
	cfg := baseConfig + `presubmits:
  demo/hello:
  - name: docs
    run_if_changed: '^docs/'
    spec:
      containers:
      - image: alpine
        command: [true]
`
	w := newWorld(t, cfg, pull{repo: "demo/hello", file: "a", content: "a\n", labels: ready, base: "dev"},
		pull{repo: "demo/hello", file: "b", content: "b\n", labels: ready})
	w.setStatus("demo/hello", 1, "ci", "success", "")
	w.setStatus("demo/hello", 2, "ci", "success", "")
	w.intercept(func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/pulls/1/files") {
			r.URL.Path = strings.Replace(r.URL.Path, "/pulls/1/", "/pulls/404/", 1)
		}
	})
	if err := w.ctrl.Sync(context.Background()); err == nil {
		t.Error("the failing pool was not reported")
	}
	if w.merged("demo/hello", 1) || !w.merged("demo/hello", 2) {
		t.Fatal("want the main pool merged despite the dev pool failing")
	}
	w.intercept(nil)
	w.sync()
	if !w.merged("demo/hello", 1) {
		t.Fatal("the dev pool did not recover")
	}
}

// unitPresubmit is the presubmit unit of demo/hello, run on every pull
// request.
const unitPresubmit = `presubmits:
  demo/hello:
  - name: unit
    always_run: true
    spec:
      containers:
      - image: alpine
        command: [true]
`

const presubmitConfig = baseConfig + unitPresubmit

func TestMovedBaseTriggersRetest(t *testing.T) {
	eachStore(t, func(t *testing.T, open storeOpener) {
		w := newWorldOn(t, open, presubmitConfig,
			pull{repo: "demo/hello", file: "a", content: "a\n", labels: ready},
			pull{repo: "demo/hello", file: "b", content: "b\n", labels: ready})
		main0 := w.mainSHA()
		for n := 1; n <= 2; n++ {
			w.setStatus("demo/hello", n, "ci", "success", "")
			w.setStatus("demo/hello", n, "unit", "success", report.StatusDescription("Job succeeded.", main0))
		}
		w.sync()
		if !w.merged("demo/hello", 1) || w.merged("demo/hello", 2) {
			t.Fatal("want #1 merged first")
		}
		w.sync()
		if w.merged("demo/hello", 2) {
			t.Fatal("#2 merged on results from the old base")
		}
		if got := w.tideStatus("demo/hello", 2); got != "pending: Not mergeable. Retesting: unit" {
			t.Errorf("#2: %q", got)
		}
		main1 := w.mainSHA()
		list, err := w.store.List(context.Background(), jobs.Filter{Pull: 2}, jobs.Page{})
		must(t, err)
		if len(list.Items) != 1 {
			t.Fatalf("%d retests, want 1", len(list.Items))
		}
		pj := list.Items[0]
		if pj.Spec.Job != "unit" || pj.Spec.Refs.BaseSHA != main1 || pj.Spec.Refs.Pulls[0].SHA != w.pr("demo/hello", 2).GetHead().GetSHA() || pj.Labels[prowapi.CreatedByTideLabel] != "true" {
			t.Errorf("retest: job %s base %s (main is %s) labels %v", pj.Spec.Job, pj.Spec.Refs.BaseSHA, main1, pj.Labels)
		}
		w.sync()
		if list, _ = w.store.List(context.Background(), jobs.Filter{Pull: 2}, jobs.Page{}); len(list.Items) != 1 {
			t.Fatalf("a second sync started another retest: %d", len(list.Items))
		}
		pj.Status.State = prowapi.SuccessState
		_, err = w.store.Update(context.Background(), &pj)
		must(t, err)
		w.sync()
		if !w.merged("demo/hello", 2) {
			t.Fatal("#2 did not merge after its retest passed")
		}
	})
}

func TestRepeatedRefusalIsRetriedLaterAndLoggedOnce(t *testing.T) {
	w := newWorld(t, baseConfig, pull{repo: "demo/hello", file: "a", content: "a\n", labels: ready})
	w.setStatus("demo/hello", 1, "ci", "success", "")
	// The merge request names a head GitHub no longer has: 409.
	attempts := 0
	w.intercept(func(r *http.Request) {
		if r.Method != http.MethodPut || !strings.HasSuffix(r.URL.Path, "/pulls/1/merge") {
			return
		}
		attempts++
		body, _ := io.ReadAll(r.Body)
		var in map[string]any
		must(t, json.Unmarshal(body, &in))
		in["sha"] = strings.Repeat("0", 40)
		body, _ = json.Marshal(in)
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	})
	w.sync()
	want := "error: Not mergeable. GitHub refused the merge: Head branch was modified. Review and try the merge again."
	if got := w.tideStatus("demo/hello", 1); got != want {
		t.Errorf("status: %q", got)
	}
	w.sync()
	if attempts != 1 {
		t.Errorf("%d merge attempts right after a refusal, want 1", attempts)
	}
	w.advance(10 * time.Minute)
	w.sync()
	if attempts != 2 {
		t.Errorf("%d merge attempts after the retry delay, want 2", attempts)
	}
	if n := w.logged("GitHub refused the merge"); n != 1 {
		t.Errorf("the same refusal was logged %d times", n)
	}
	// "In merge pool." before the first attempt, then the refusal, which
	// is not written again.
	if got := w.tideStatuses("demo/hello", 1); len(got) != 2 || got[0] != want || got[1] != "success: In merge pool." {
		t.Errorf("statuses: %q", got)
	}
	w.intercept(nil)
	w.advance(10 * time.Minute)
	w.sync()
	if !w.merged("demo/hello", 1) {
		t.Fatal("did not merge once GitHub accepted")
	}
}

func TestASyncWithNothingNewCostsOneSearch(t *testing.T) {
	var pulls []pull
	for i := 0; i < 6; i++ {
		p := pull{repo: "demo/hello", file: strconv.Itoa(i), content: "x\n", labels: []string{"lgtm"}}
		if i%2 == 1 {
			p.repo = "demo/other"
		}
		pulls = append(pulls, p)
	}
	w := newWorld(t, baseConfig, pulls...)
	w.sync() // sets the tide statuses
	w.sync() // reads them back
	calls0, charged0 := w.callCounts()
	w.sync()
	calls1, charged1 := w.callCounts()
	// One GraphQL search brings the 6 PRs with their labels, heads, bases
	// and statuses; nothing else is read, and nothing is written.
	if calls, charged := calls1-calls0, charged1-charged0; calls != 1 || charged != 1 {
		t.Errorf("a sync with nothing new made %d calls, %d charged; want the one search", calls, charged)
	}
}

func TestPoolsAndHistoryJSON(t *testing.T) {
	w := newWorld(t, baseConfig,
		pull{repo: "demo/hello", file: "a", content: "a\n", labels: ready},
		pull{repo: "demo/hello", file: "b", content: "b\n", labels: []string{"lgtm"}})
	w.setStatus("demo/hello", 1, "ci", "success", "")
	w.sync()
	get := func(path string, out any) {
		rec := httptest.NewRecorder()
		w.ctrl.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		must(t, json.Unmarshal(rec.Body.Bytes(), out))
	}
	var pools struct {
		Queries []string
		Pools   []struct {
			Org, Repo, Branch, Action string
			SuccessPRs, NotInPool     []struct {
				Number      int
				Description string
			}
			Target []struct{ Number int }
		}
	}
	get("/tide.js", &pools)
	if len(pools.Queries) != 1 || pools.Queries[0] != `is:pr state:open archived:false repo:"demo/hello" repo:"demo/other"` {
		t.Errorf("queries: %q", pools.Queries)
	}
	if len(pools.Pools) != 1 {
		t.Fatalf("pools: %+v", pools.Pools)
	}
	p := pools.Pools[0]
	if p.Org+"/"+p.Repo+":"+p.Branch != "demo/hello:main" || p.Action != "MERGE" || len(p.Target) != 1 || p.Target[0].Number != 1 ||
		len(p.SuccessPRs) != 1 || len(p.NotInPool) != 1 || p.NotInPool[0].Description != "Not mergeable. Needs approved label. Job ci has not succeeded." {
		t.Errorf("pool: %+v", p)
	}
	var hist struct {
		History map[string][]struct {
			Action, BaseSHA string
			Target          []struct {
				Num int `json:"num"`
			}
		}
	}
	get("/tide-history.js", &hist)
	if h := hist.History["demo/hello:main"]; len(h) != 1 || h[0].Action != "MERGE" || h[0].Target[0].Num != 1 || h[0].BaseSHA == "" {
		t.Errorf("history: %+v", hist.History)
	}
}
