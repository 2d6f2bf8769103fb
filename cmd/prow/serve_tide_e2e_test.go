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
	tideYAML := "tide:\n  sync_period: 1s\n  queries:\n  - repos: [demo/hello]\n    labels: [lgtm, approved]\n"
	w := newServeWorld(t, tideYAML, map[string]string{"pull-ok": `echo ok`})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	p := startProw(t, ctx, bin, "Serving", w.args...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()

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
