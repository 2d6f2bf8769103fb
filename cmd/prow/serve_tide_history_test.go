package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeTideHistorySurvivesARestart: a merge tide records shows on
// deck's /tide-history and /tide-history.js after `prow serve` is killed
// and started again on the same data directory, and /tide shows the pool.
func TestServeTideHistorySurvivesARestart(t *testing.T) {
	bin := buildProw(t)
	w := serveTideWorld(t, "lgtm", `echo ok`)
	ctx, p := serveWorldUntilEnd(t, bin, w, 3*time.Minute)

	n, _ := w.openPull()
	base := fmt.Sprintf("http://127.0.0.1:%d", w.port)
	eventually(t, time.Minute, "the pool on /tide", func() bool {
		return strings.Contains(httpGet(t, base+"/tide"), fmt.Sprintf(`href="https://github.com/demo/hello/pull/%d"`, n))
	})
	w.do("member-token", http.MethodPost, fmt.Sprintf("/repos/demo/hello/issues/%d/labels", n), map[string][]string{"labels": {"lgtm"}}, nil)
	merged := `"action":"MERGE","baseSHA":`
	eventually(t, time.Minute, "the merge in the history", func() bool { return strings.Contains(httpGet(t, base+"/tide-history.js"), merged) })

	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	p = startProw(t, ctx, bin, "Serving", w.args...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()
	if hist := httpGet(t, base+"/tide-history.js"); !strings.Contains(hist, merged) || !strings.Contains(hist, fmt.Sprintf(`"num":%d`, n)) {
		t.Errorf("/tide-history.js after the restart: %s", hist)
	}
	if page := httpGet(t, base+"/tide-history?repo=demo/hello"); !strings.Contains(page, `action-MERGE">MERGE</span>`) {
		t.Errorf("/tide-history after the restart: %s", page)
	}
}
