package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/sqlite"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// TestServeTideSurvivesSIGKILL kills `prow serve` at random moments while
// tide merges three pull requests (one alone, then two in a batch), ten
// times over: each time every pull request ends merged once, and each
// merged on top of exactly the commits a passing job tested it on.
func TestServeTideSurvivesSIGKILL(t *testing.T) {
	bin := buildProw(t)
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 16))
	for run := range 10 {
		kills := []time.Duration{time.Duration(rng.Int64N(int64(4 * time.Second))), time.Duration(rng.Int64N(int64(4 * time.Second)))}
		t.Run(strconv.Itoa(run), func(t *testing.T) { tideKillRun(t, bin, kills) })
	}
}

func tideKillRun(t *testing.T, bin string, kills []time.Duration) {
	w := serveTideWorld(t, "lgtm", `sleep 1; echo ok`)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	p := startProw(t, ctx, bin, "Serving", w.args...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()
	heads := map[int]string{}
	for i := 1; i <= 3; i++ {
		branch := fmt.Sprintf("change-%d", i)
		w.do("", http.MethodPost, "/_sandbox/repos/demo/hello/push", map[string]any{"branch": branch, "author": "member",
			"files": map[string]string{branch + ".txt": "x\n"}}, nil)
		var pr struct {
			Number int
			Head   struct{ SHA string }
		}
		w.do("member-token", http.MethodPost, "/repos/demo/hello/pulls", map[string]string{"title": branch, "head": branch, "base": "main"}, &pr)
		heads[pr.Number] = pr.Head.SHA
		w.do("member-token", http.MethodPost, fmt.Sprintf("/repos/demo/hello/issues/%d/labels", pr.Number), map[string][]string{"labels": {"lgtm"}}, nil)
	}
	for _, d := range kills {
		<-time.After(d)
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_ = p.cmd.Wait()
		p = startProw(t, ctx, bin, "Serving", w.args...)
	}
	allMerged := func() bool {
		for n := range heads {
			var pr struct{ Merged bool }
			w.do("member-token", http.MethodGet, fmt.Sprintf("/repos/demo/hello/pulls/%d", n), nil, &pr)
			if !pr.Merged {
				return false
			}
		}
		return true
	}
	for deadline := time.Now().Add(2 * time.Minute); !allMerged(); <-time.After(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			for n, sha := range heads {
				t.Logf("#%d statuses: %+v", n, w.statuses(sha))
			}
			t.Fatalf("not all merged; tide's pools: %s", httpGet(t, fmt.Sprintf("http://127.0.0.1:%d/tide.js", w.port)))
		}
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	_ = p.cmd.Wait()
	checkMergesTested(t, w, heads)
}

var mergeSubject = regexp.MustCompile(`^Merge pull request #(\d+) `)

// landed is one merge on main: the commit it landed on and the pull
// request.
type landed struct {
	parent string
	number int
}

// checkMergesTested: main's merges name each pull request once, and each
// landed on top of the commits a passing job tested it with: a job at the
// base where a run of merges began that holds those pull requests, at
// their heads, in that order.
func checkMergesTested(t *testing.T, w *serveWorld, heads map[int]string) {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("git", "clone", "-q", w.gh.URL+"/demo/hello.git", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("clone: %v %s", err, out)
	}
	log, err := exec.Command("git", "-C", dir, "log", "--first-parent", "--reverse", "--format=%P|%s", "main").Output()
	if err != nil {
		t.Fatal(err)
	}
	var merges []landed
	for _, line := range strings.Split(strings.TrimSpace(string(log)), "\n") {
		parents, subject, _ := strings.Cut(line, "|")
		if m := mergeSubject.FindStringSubmatch(subject); m != nil {
			n, _ := strconv.Atoi(m[1])
			merges = append(merges, landed{parent: strings.Fields(parents)[0], number: n})
		}
	}
	seen := map[int]bool{}
	for _, m := range merges {
		if seen[m.number] {
			t.Errorf("#%d merged twice", m.number)
		}
		seen[m.number] = true
	}
	if len(merges) != len(heads) {
		t.Errorf("%d merges, want %d", len(merges), len(heads))
	}
	store, err := sqlite.Open(context.Background(), filepath.Join(w.dir, "data", "jobs.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	list, err := store.List(context.Background(), jobs.Filter{States: []prowapi.ProwJobState{prowapi.SuccessState}}, jobs.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	batches := 0
	for _, pj := range list.Items {
		if pj.Spec.Type == prowapi.BatchJob {
			batches++
		}
	}
	t.Logf("merges %v; passing batch jobs: %d", merges, batches)
	for i, m := range merges {
		if !testedAs(list.Items, merges, i, heads) {
			t.Errorf("#%d merged on %s without a passing job testing it so (merges %v)", m.number, m.parent, merges)
		}
	}
}

// testedAs says whether a passing job tested merges[i] as it landed: for
// some k <= i, on merges[k]'s parent with merges[k..i] first among its
// pulls, in order, at their heads.
func testedAs(items []prowapi.ProwJob, merges []landed, i int, heads map[int]string) bool {
	for k := i; k >= 0; k-- {
		for _, pj := range items {
			r := pj.Spec.Refs
			if r == nil || r.BaseSHA != merges[k].parent || len(r.Pulls) < i-k+1 {
				continue
			}
			ok := true
			for j, m := range merges[k : i+1] {
				ok = ok && r.Pulls[j].Number == m.number && r.Pulls[j].SHA == heads[m.number]
			}
			if ok {
				return true
			}
		}
	}
	return false
}
