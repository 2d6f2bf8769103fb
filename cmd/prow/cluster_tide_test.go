package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// TestClusterTideRetestsAndMerges runs `prow tide` against a real API
// server and the sandbox: a pull request whose presubmit passed on an
// older base gets a retest ProwJob; once that passes, tide merges it and
// its history says so.
func TestClusterTideRetestsAndMerges(t *testing.T) {
	bin := buildProw(t)
	env := startKubeenv(t)
	w := newServeWorld(t, "", nil)
	cfg := filepath.Join(w.dir, "tide-config.yaml")
	yaml := clusterNamespaces +
		"tide:\n  sync_period: 500ms\n  queries:\n  - repos: [demo/hello]\n    labels: [lgtm]\n" +
		"presubmits:\n  demo/hello:\n  - name: unit\n    always_run: true\n    spec:\n      containers:\n      - image: alpine:3\n        command: [\"true\"]\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	n, sha := w.openPull()
	w.do("member-token", http.MethodPost, fmt.Sprintf("/repos/demo/hello/issues/%d/labels", n), map[string][]string{"labels": {"lgtm"}}, nil)
	w.do("member-token", http.MethodPost, "/repos/demo/hello/statuses/"+sha, map[string]string{"context": "unit", "state": "success",
		"description": "Job succeeded. BaseSHA:" + strings.Repeat("0", 40)}, nil)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	port := freePort(t)
	p := startReady(t, ctx, bin, "tide", "--config-path", cfg, "--kubeconfig", env.Kubeconfig, "--leader-elect=false",
		"--metrics-port", "0", "--port", fmt.Sprint(port), "--github-endpoint", w.gh.URL, "--github-token-path", filepath.Join(w.dir, "token"))
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()

	store := openJobs(t, env)
	var retest prowapi.ProwJob
	eventually(t, time.Minute, "a retest ProwJob", func() bool {
		for _, pj := range allJobs(t, store) {
			if pj.Spec.Job == "unit" && pj.Labels[prowapi.CreatedByTideLabel] == "true" {
				retest = pj
				return true
			}
		}
		return false
	})
	// Statuses come from their own loop, within status_update_period.
	eventually(t, time.Minute, "the tide status saying it retests", func() bool {
		return latest(w.statuses(sha))["tide"].Description == "Not mergeable. Retesting: unit"
	})
	retest.Status.State = prowapi.SuccessState
	if _, err := store.Update(ctx, &retest); err != nil {
		t.Fatal(err)
	}
	eventually(t, time.Minute, "the merge", func() bool {
		var pr struct{ Merged bool }
		w.do("member-token", http.MethodGet, fmt.Sprintf("/repos/demo/hello/pulls/%d", n), nil, &pr)
		return pr.Merged
	})
	// GitHub shows the merge a moment before tide records it.
	var hist string
	eventually(t, 30*time.Second, "the merge in tide's history", func() bool {
		hist = httpGet(t, fmt.Sprintf("http://127.0.0.1:%d/history", port))
		return strings.Contains(hist, `"action":"MERGE"`)
	})
	if !strings.Contains(hist, `"action":"TRIGGER"`) {
		t.Errorf("history: %s", hist)
	}
}
