package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeTideMergesAReadyPullRequest: `prow serve` runs the presubmit
// a new pull request triggers, tide names the labels it lacks, and once
// they are added, merges it.
func TestServeTideMergesAReadyPullRequest(t *testing.T) {
	bin := buildProw(t)
	w := serveTideWorld(t, "lgtm, approved", `echo ok`)
	serveWorldUntilEnd(t, bin, w, 3*time.Minute)

	n, sha := w.openPull()
	eventually(t, time.Minute, "pull-ok green", func() bool { return latest(w.statuses(sha))["pull-ok"].State == "success" })
	want := "Not mergeable. Needs lgtm, approved labels."
	eventually(t, 30*time.Second, "tide naming the missing labels", func() bool { return latest(w.statuses(sha))["tide"].Description == want })
	w.do("member-token", http.MethodPost, fmt.Sprintf("/repos/demo/hello/issues/%d/labels", n), map[string][]string{"labels": {"lgtm", "approved"}}, nil)
	eventually(t, 30*time.Second, "the merge", func() bool {
		var pr struct {
			Merged bool `json:"merged"`
		}
		w.do("member-token", http.MethodGet, fmt.Sprintf("/repos/demo/hello/pulls/%d", n), nil, &pr)
		return pr.Merged
	})
	if got := latest(w.statuses(sha))["tide"]; got.State != "success" || got.Description != "In merge pool." {
		t.Errorf("tide status at the merge: %+v", got)
	}
	// GitHub shows the merge a moment before tide records it.
	eventually(t, 30*time.Second, "the merge in tide-history.js", func() bool {
		return strings.Contains(httpGet(t, fmt.Sprintf("http://127.0.0.1:%d/tide-history.js", w.port)), `"action":"MERGE"`)
	})
	if pools := httpGet(t, fmt.Sprintf("http://127.0.0.1:%d/tide.js", w.port)); !strings.Contains(pools, `"Pools"`) {
		t.Errorf("tide.js: %s", pools)
	}
}

// serveTideWorld is a serve world whose tide merges the pull requests of
// demo/hello that carry labels (a YAML flow list's items), and whose one
// presubmit, pull-ok, runs script.
func serveTideWorld(t *testing.T, labels, script string) *serveWorld {
	t.Helper()
	tideYAML := "tide:\n  sync_period: 1s\n  queries:\n  - repos: [demo/hello]\n    labels: [" + labels + "]\n"
	return newServeWorld(t, tideYAML, map[string]string{"pull-ok": script})
}

// serveWorldUntilEnd starts `prow serve` (bin) on w, with limit to run,
// and returns once it serves; it is killed when the test ends.
func serveWorldUntilEnd(t *testing.T, bin string, w *serveWorld, limit time.Duration) (context.Context, *hookProcess) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	p := startProw(t, ctx, bin, "Serving", w.args...)
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() })
	return ctx, p
}
