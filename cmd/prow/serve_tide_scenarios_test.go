package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

// tideScenarioConfig is tide's section: every scenario's repository in
// one query, as Prow users write it, synced every second.
const tideScenarioConfig = `tide:
  sync_period: 1s
  queries:
  - repos: [demo/serial, demo/batch, demo/bisect, demo/hold, demo/pushed, demo/conflict, demo/retest, demo/methods]
    labels: [lgtm, approved]
    missingLabels: [do-not-merge/hold]
  blocker_label: merge-blocker
  squash_label: tide/squash
  merge_method:
    demo/methods: rebase
`

// unitScript is the presubmit unit of every scenario's repository. It
// fails when the checked-out tree holds a file named culprit without the
// file compat beside it (in demo/bisect the base starts with compat and
// loses it once the pull requests have passed alone, so the culprit
// passes alone and fails in the batch, as a change does that breaks only
// on the new base). While hold-<repo> exists beside the runs log it
// waits; started-<repo> there logs the type of each run that started.
const unitScript = `d=$(dirname "$RUNS_LOG")
echo "$JOB_TYPE" >> "$d/started-$REPO_NAME"
while [ -e "$d/hold-$REPO_NAME" ]; do sleep 0.1; done
if [ -e culprit ] && [ ! -e compat ]; then echo "culprit found without compat"; exit 1; fi
echo ok`

// TestServeTideScenarios runs tide's scenarios through one `prow serve`
// (SQLite job store, local runner, sandbox GitHub), each in its own
// repository, side by side. What they check is what GitHub shows (merged
// or not, the base branch's commits, the tide status) and the jobs deck
// lists.
func TestServeTideScenarios(t *testing.T) {
	bin := buildProw(t)
	scenarios := []struct {
		repo string
		name string
		run  func(*tideRepo)
	}{
		{"demo/serial", "a ready pull request merges alone", scenarioSerialMerge},
		{"demo/batch", "three pull requests merge after one batch job", scenarioBatchOfThree},
		{"demo/bisect", "a failing batch is bisected to the culprit while the others merge", scenarioBisect},
		{"demo/hold", "a held pull request does not merge while the others do", scenarioHold},
		{"demo/pushed", "a pull request pushed during its batch is dropped from it", scenarioPushedDuringBatch},
		{"demo/conflict", "a conflicting pull request is reported", scenarioConflict},
		{"demo/retest", "a moved base triggers a retest before the merge", scenarioMovedBase},
		{"demo/methods", "merge_method and squash_label decide how commits land", scenarioMethods},
	}
	presubmits := map[string]map[string]string{}
	for _, sc := range scenarios {
		presubmits[sc.repo] = map[string]string{"unit": unitScript}
	}
	w := newServeWorldOf(t, tideScenarioConfig, func(b *seed.Builder) {
		for _, sc := range scenarios {
			files := sandbox.FileChanges{"README.md": "hello\n"}
			if sc.repo == "demo/bisect" {
				files["compat"] = "kept\n"
			}
			b.Repo(sandbox.SeedRepo{Name: sc.repo, Files: files, Collaborators: map[string]string{"the-bot": "write", "member": "write"}})
		}
	}, presubmits)
	_, p := serveWorldUntilEnd(t, bin, w, 5*time.Minute)
	w.log = collectLog(p)
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			r := w.repo(t, sc.repo)
			t.Cleanup(r.explainFailure)
			sc.run(r)
		})
	}
}

func scenarioSerialMerge(r *tideRepo) {
	n, head := r.open("change", "Add a", sandbox.FileChanges{"a.txt": "a\n"})
	r.green(head)
	base := r.base()
	r.label(n, "lgtm", "approved")
	r.await("the merge", func() bool { return r.merged(n) })
	if got := r.tide(head); got.State != "success" || got.Description != "In merge pool." {
		r.t.Errorf("tide status at the merge: %+v", got)
	}
	if h := r.history(); !h[0].merges(n, base, head) {
		r.t.Errorf("main: %+v", h)
	}
	if got := r.jobs(""); len(got) != 1 || got[0].Type != "presubmit" {
		r.t.Errorf("jobs: %+v, want the presubmit trigger started, no more", got)
	}
}

func scenarioHold(r *tideRepo) {
	held, heldHead := r.open("held", "Held change", sandbox.FileChanges{"a.txt": "a\n"})
	free, freeHead := r.open("free", "Free change", sandbox.FileChanges{"b.txt": "b\n"})
	r.green(heldHead, freeHead)
	r.label(held, "lgtm", "approved", "do-not-merge/hold")
	r.label(free, "lgtm", "approved")
	r.await("the merge of the pull request not held", func() bool { return r.merged(free) })
	want := "Not mergeable. Should not have do-not-merge/hold label."
	r.await("the held pull request's tide status naming the hold", func() bool {
		got := r.tide(heldHead)
		return got.State == "pending" && got.Description == want
	})
	if r.merged(held) {
		r.t.Fatal("the held pull request merged")
	}
	r.w.do("member-token", http.MethodDelete, fmt.Sprintf("/repos/%s/issues/%d/labels/do-not-merge/hold", r.name, held), nil, nil)
	r.await("the merge once the hold is lifted", func() bool { return r.merged(held) })
	if h := r.history(); !h[0].isMergeOf(held) || !h[1].isMergeOf(free) {
		r.t.Errorf("main, newest first: %+v", h)
	}
}

func scenarioConflict(r *tideRepo) {
	first, firstHead := r.open("one", "README one", sandbox.FileChanges{"README.md": "one\n"})
	second, secondHead := r.open("two", "README two", sandbox.FileChanges{"README.md": "two\n"})
	r.green(firstHead, secondHead)
	r.label(first, "lgtm", "approved")
	r.label(second, "lgtm", "approved")
	r.await("the first merge", func() bool { return r.merged(first) })
	r.await("the conflict on the tide status", func() bool {
		s := r.tide(secondHead)
		return s.State == "error" && strings.HasPrefix(s.Description, "Not mergeable. PR has a merge conflict.")
	})
	if pr := r.pull(second); pr.Merged || pr.Mergeable == nil || *pr.Mergeable || pr.MergeableState != "dirty" {
		r.t.Errorf("the second pull request: merged %v, mergeable %v (%s); want open and conflicting", pr.Merged, pr.Mergeable, pr.MergeableState)
	}
}

func scenarioMovedBase(r *tideRepo) {
	n, head := r.open("change", "Add a", sandbox.FileChanges{"a.txt": "a\n"})
	r.green(head)
	moved := r.pushBase(sandbox.FileChanges{"base.txt": "moved\n"})
	r.label(n, "lgtm", "approved")
	r.await("the merge", func() bool { return r.merged(n) })
	if h := r.history(); !h[0].merges(n, moved, head) {
		r.t.Errorf("main: %+v, want #%d merged on %s", h, n, moved)
	}
	var retests []string
	for _, pj := range r.tideJobs() {
		if pj.Spec.Type == prowapi.PresubmitJob && pj.Spec.Refs.BaseSHA == moved && pj.Spec.Refs.Pulls[0].SHA == head && pj.Status.State == prowapi.SuccessState {
			retests = append(retests, pj.Name)
		}
	}
	if len(retests) != 1 {
		r.t.Errorf("tide's passing retests against the moved base: %v, want one", retests)
	}
	// The statuses, newest first: "In merge pool." came after tide said it
	// was retesting.
	all := r.w.statusesIn(r.name, head)
	merging := slices.IndexFunc(all, func(s ghStatus) bool { return s.Context == "tide" && s.Description == "In merge pool." })
	retesting := slices.IndexFunc(all, func(s ghStatus) bool { return s.Context == "tide" && s.Description == "Not mergeable. Retesting: unit" })
	if merging < 0 || retesting < merging {
		r.t.Errorf("tide statuses, newest first: %+v", all)
	}
}

func scenarioMethods(r *tideRepo) {
	rebased, rebasedHead := r.open("rebased", "Rebase me", sandbox.FileChanges{"r1": "1\n"}, sandbox.FileChanges{"r2": "2\n"})
	squashed, squashedHead := r.open("squashed", "Squash me", sandbox.FileChanges{"s1": "1\n"}, sandbox.FileChanges{"s2": "2\n"})
	r.green(rebasedHead, squashedHead)
	base := r.base()
	r.label(rebased, "lgtm", "approved")
	r.label(squashed, "lgtm", "approved", "tide/squash")
	r.await("both merges", func() bool { return r.merged(rebased) && r.merged(squashed) })
	h := r.history()
	var subjects []string
	for _, c := range h[:3] {
		subjects = append(subjects, c.subject)
		if len(c.parents) != 1 {
			r.t.Errorf("commit %q has parents %v: a merge commit", c.subject, c.parents)
		}
	}
	want := []string{fmt.Sprintf("Squash me (#%d)", squashed), "Rebase me, part 2", "Rebase me, part 1"}
	if !slices.Equal(subjects, want) || h[3].sha != base {
		r.t.Errorf("main, newest first: %q on %s; want %q on %s", subjects, h[3].sha, want, base)
	}
}

// tideRepo is a scenario's repository in the serve world.
type tideRepo struct {
	t    *testing.T
	w    *serveWorld // a copy failing t
	name string      // org/repo
}

// repo is the scenario's repository, as test t sees it.
func (w *serveWorld) repo(t *testing.T, name string) *tideRepo {
	c := *w
	c.t = t
	return &tideRepo{t: t, w: &c, name: name}
}

// await polls cond with a deadline generous enough for a loaded machine.
func (r *tideRepo) await(what string, cond func() bool) {
	r.t.Helper()
	eventually(r.t, 2*time.Minute, what, cond)
}

// open pushes each of commits on a new branch as member, then opens a
// pull request from it; it returns the number and the head.
func (r *tideRepo) open(branch, title string, commits ...sandbox.FileChanges) (int, string) {
	r.t.Helper()
	for i, files := range commits {
		r.w.do("", http.MethodPost, "/_sandbox/repos/"+r.name+"/push", map[string]any{"branch": branch, "author": "member", "files": files,
			"message": fmt.Sprintf("%s, part %d", title, i+1)}, nil)
	}
	var pr ghPull
	r.w.do("member-token", http.MethodPost, "/repos/"+r.name+"/pulls", map[string]string{"title": title, "head": branch, "base": "main"}, &pr)
	return pr.Number, pr.Head.SHA
}

func (r *tideRepo) label(n int, labels ...string) {
	r.t.Helper()
	r.w.do("member-token", http.MethodPost, fmt.Sprintf("/repos/%s/issues/%d/labels", r.name, n), map[string][]string{"labels": labels}, nil)
}

type ghPull struct {
	Number         int                  `json:"number"`
	Merged         bool                 `json:"merged"`
	Mergeable      *bool                `json:"mergeable"`
	MergeableState string               `json:"mergeable_state"`
	Head           struct{ SHA string } `json:"head"`
}

func (r *tideRepo) pull(n int) ghPull {
	r.t.Helper()
	var pr ghPull
	r.w.do("member-token", http.MethodGet, fmt.Sprintf("/repos/%s/pulls/%d", r.name, n), nil, &pr)
	return pr
}

func (r *tideRepo) merged(n int) bool { return r.pull(n).Merged }

// tide is the newest tide status of sha.
func (r *tideRepo) tide(sha string) ghStatus { return latest(r.w.statusesIn(r.name, sha))["tide"] }

// green waits until unit passed on each head.
func (r *tideRepo) green(heads ...string) {
	r.t.Helper()
	for _, sha := range heads {
		r.await("unit green on "+sha, func() bool { return latest(r.w.statusesIn(r.name, sha))["unit"].State == "success" })
	}
}

// base is main's head.
func (r *tideRepo) base() string {
	r.t.Helper()
	var ref struct{ Object struct{ SHA string } }
	r.w.do("member-token", http.MethodGet, "/repos/"+r.name+"/git/ref/heads/main", nil, &ref)
	return ref.Object.SHA
}

// pushBase commits files on main, as someone pushing there; it returns
// the new head.
func (r *tideRepo) pushBase(files sandbox.FileChanges) string {
	r.t.Helper()
	sha, err := r.w.sb.PushToBranch(context.Background(), r.name, "main", sandbox.Push{Files: files, Message: "Move the base"})
	if err != nil {
		r.t.Fatal(err)
	}
	return sha
}

// commit is one commit of main's first-parent history.
type commit struct {
	sha, subject string
	parents      []string
}

const mergeTitle = "Merge pull request #%d "

func (c commit) isMergeOf(n int) bool {
	return strings.HasPrefix(c.subject, fmt.Sprintf(mergeTitle, n))
}

// merges says whether c is the merge commit of pull request n at head
// onto base.
func (c commit) merges(n int, base, head string) bool {
	return c.isMergeOf(n) && slices.Equal(c.parents, []string{base, head})
}

// history is main's first-parent history, newest first, from a clone.
func (r *tideRepo) history() []commit {
	r.t.Helper()
	dir := r.t.TempDir()
	if out, err := exec.Command("git", "clone", "-q", r.w.gh.URL+"/"+r.name+".git", dir).CombinedOutput(); err != nil {
		r.t.Fatalf("clone %s: %v %s", r.name, err, out)
	}
	out, err := exec.Command("git", "-C", dir, "log", "--first-parent", "--format=%H|%P|%s", "origin/main").Output()
	if err != nil {
		r.t.Fatal(err)
	}
	var h []commit
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		h = append(h, commit{sha: parts[0], parents: strings.Fields(parts[1]), subject: parts[2]})
	}
	return h
}

// deckJob is a row of deck's job list.
type deckJob struct {
	Name  string     `json:"name"`
	Type  string     `json:"type"`
	State string     `json:"state"`
	Pulls []deckPull `json:"pulls"`
}

type deckPull struct {
	Number int    `json:"number"`
	SHA    string `json:"sha"`
}

func (j deckJob) numbers() []int {
	var out []int
	for _, p := range j.Pulls {
		out = append(out, p.Number)
	}
	slices.Sort(out)
	return out
}

// jobs lists the repository's jobs of a type (all when empty) as deck's
// API does.
func (r *tideRepo) jobs(typ string) []deckJob {
	r.t.Helper()
	q := url.Values{"repo": {r.name}}
	if typ != "" {
		q.Set("type", typ)
	}
	var answer struct{ Jobs []deckJob }
	r.w.getJSON("/api/jobs?"+q.Encode(), &answer)
	return answer.Jobs
}

// tideJobs are the repository's jobs tide started, as deck's API gives
// them.
func (r *tideRepo) tideJobs() []prowapi.ProwJob {
	r.t.Helper()
	var out []prowapi.ProwJob
	for _, j := range r.jobs("") {
		var pj prowapi.ProwJob
		r.w.getJSON("/api/job/"+j.Name, &pj)
		if pj.Labels[prowapi.CreatedByTideLabel] == "true" {
			out = append(out, pj)
		}
	}
	return out
}

// getJSON reads an answer of `prow serve`.
func (w *serveWorld) getJSON(path string, out any) {
	w.t.Helper()
	body := httpGet(w.t, fmt.Sprintf("http://127.0.0.1:%d%s", w.port, path))
	if err := json.Unmarshal([]byte(body), out); err != nil {
		w.t.Fatalf("GET %s: %v", path, err)
	}
}

// explainFailure logs what tide and the jobs looked like when a scenario
// failed.
func (r *tideRepo) explainFailure() {
	if !r.t.Failed() {
		return
	}
	r.t.Logf("tide's pools: %s", httpGet(r.t, fmt.Sprintf("http://127.0.0.1:%d/tide.js", r.w.port)))
	for _, j := range r.jobs("") {
		r.t.Logf("job %s %s %s pulls %+v", j.Name, j.Type, j.State, j.Pulls)
	}
	started, _ := os.ReadFile(filepath.Join(r.w.dir, "started-"+strings.TrimPrefix(r.name, "demo/")))
	r.t.Logf("runs started: %q", started)
	var pulls []struct {
		Number int
		Head   struct{ SHA string }
	}
	r.w.do("member-token", http.MethodGet, "/repos/"+r.name+"/pulls?state=all", nil, &pulls)
	for _, pr := range pulls {
		r.t.Logf("#%d merged %v, statuses %+v", pr.Number, r.merged(pr.Number), r.w.statusesIn(r.name, pr.Head.SHA))
	}
	for _, part := range []string{"repo=" + strings.TrimPrefix(r.name, "demo/"), "level=warning", "level=error"} {
		for _, line := range r.w.log.matching(part) {
			r.t.Log(line)
		}
	}
}
