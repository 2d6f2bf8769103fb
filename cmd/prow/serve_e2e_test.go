package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
	"github.com/prowbot/prow/test/wait"
)

// serveWorld is a sandbox GitHub and the files `prow serve` runs with.
type serveWorld struct {
	t       *testing.T
	gh      *httptest.Server
	sb      *sandbox.Server
	dir     string
	runsLog string
	args    []string
	port    int      // where the sandbox delivers webhooks
	log     *procLog // what the serve process logged, when a test collects it
}

// newServeWorld seeds the sandbox with demo/hello and writes config.yaml
// with presubmits (name → shell script) for it.
func newServeWorld(t *testing.T, plank string, presubmits map[string]string) *serveWorld {
	t.Helper()
	return newServeWorldOf(t, plank, nil, map[string]map[string]string{seed.Repo: presubmits})
}

// newServeWorldOf is newServeWorld with more of the seed (more adds to
// it when not nil: repositories besides demo/hello, ...) and presubmits
// by repository.
func newServeWorldOf(t *testing.T, plank string, more func(*seed.Builder), presubmits map[string]map[string]string) *serveWorld {
	t.Helper()
	dir := t.TempDir()
	w := &serveWorld{t: t, dir: dir, runsLog: filepath.Join(dir, "runs.log")}
	secret := "serve-test-secret"
	port := freePort(t)
	w.port = port
	b := seed.New().Bot("the-bot", "bot-token").User("member", "member-token").
		Members("member").Collaborators("write", "member").Files(sandbox.FileChanges{"README.md": "hello\n"})
	if more != nil {
		more(b)
	}
	w.sb, w.gh = seed.ServeWith(t, sandbox.Options{GitDir: filepath.Join(dir, "git"),
		WebhookURL: fmt.Sprintf("http://127.0.0.1:%d/hook", port), HMACSecret: []byte(secret), Seed: b.Seed()})

	var cfg strings.Builder
	cfg.WriteString("prowjob_namespace: prow\npod_namespace: test-pods\n" + plank + "presubmits:\n")
	repos := slices.Sorted(maps.Keys(presubmits))
	for _, repo := range repos {
		fmt.Fprintf(&cfg, "  %s:\n", repo)
		for _, name := range slices.Sorted(maps.Keys(presubmits[repo])) {
			fmt.Fprintf(&cfg, "  - name: %s\n    always_run: true\n    spec:\n      containers:\n      - image: alpine\n        command: [sh, -c, %q]\n        env: [{name: RUNS_LOG, value: %q}]\n",
				name, presubmits[repo][name], w.runsLog)
		}
	}
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	w.args = []string{"serve", "--address", "127.0.0.1", "--port", fmt.Sprint(port), "--resync", "200ms", "--runner", "host",
		"--config-path", write("config.yaml", cfg.String()),
		"--plugin-config", write("plugins.yaml", "plugins:\n  demo:\n    plugins: [trigger]\n"),
		"--hmac-secret-file", write("hmac", secret), "--data-dir", filepath.Join(dir, "data"),
		"--github-endpoint", w.gh.URL, "--github-token-path", write("token", "bot-token")}
	return w
}

// do calls the sandbox's API as a user.
func (w *serveWorld) do(token, method, path string, body, out any) {
	w.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	url := w.gh.URL + "/api/v3" + path
	if strings.HasPrefix(path, "/_sandbox/") {
		url = w.gh.URL + path
	}
	req, _ := http.NewRequest(method, url, r)
	req.Header.Set("Authorization", "token "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		w.t.Fatalf("%s %s: %s %s", method, path, resp.Status, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			w.t.Fatal(err)
		}
	}
}

// openPull pushes a branch as member and opens a pull request; it returns
// the number and the head SHA.
func (w *serveWorld) openPull() (int, string) {
	w.t.Helper()
	w.do("", http.MethodPost, "/_sandbox/repos/demo/hello/push", map[string]any{"branch": "feature", "author": "member",
		"files": map[string]string{"hello.sh": "echo hi\n"}}, nil)
	var pr struct {
		Number int                  `json:"number"`
		Head   struct{ SHA string } `json:"head"`
	}
	w.do("member-token", http.MethodPost, "/repos/demo/hello/pulls", map[string]string{"title": "Add hello", "head": "feature", "base": "main"}, &pr)
	return pr.Number, pr.Head.SHA
}

type ghStatus struct {
	Context     string `json:"context"`
	State       string `json:"state"`
	TargetURL   string `json:"target_url"`
	Description string `json:"description"`
}

// statuses returns every status of sha in demo/hello, newest first.
func (w *serveWorld) statuses(sha string) []ghStatus { return w.statusesIn(seed.Repo, sha) }

// statusesIn returns every status of sha in repo (org/name), newest
// first.
func (w *serveWorld) statusesIn(repo, sha string) []ghStatus {
	var out []ghStatus
	w.do("member-token", http.MethodGet, "/repos/"+repo+"/commits/"+sha+"/statuses?per_page=100", nil, &out)
	return out
}

// latest maps each context to its newest state.
func latest(all []ghStatus) map[string]ghStatus {
	out := map[string]ghStatus{}
	for _, s := range all {
		if _, ok := out[s.Context]; !ok {
			out[s.Context] = s
		}
	}
	return out
}

// eventually polls cond (GitHub has no push channel to the test) until it
// holds or the deadline passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	wait.For(t, timeout, what, cond)
}

func (w *serveWorld) runs() []string {
	data, err := os.ReadFile(w.runsLog)
	if err != nil {
		return nil
	}
	return strings.Fields(string(data))
}

func (w *serveWorld) comments(n int) []string {
	var cs []struct {
		Body string `json:"body"`
		User struct{ Login string }
	}
	w.do("member-token", http.MethodGet, fmt.Sprintf("/repos/demo/hello/issues/%d/comments", n), nil, &cs)
	var out []string
	for _, c := range cs {
		if c.User.Login == "the-bot" {
			out = append(out, c.Body)
		}
	}
	return out
}

func TestServeRunsAPresubmitAndReportsIt(t *testing.T) {
	bin := buildProw(t)
	w := newServeWorld(t, "", map[string]string{
		"pull-ok":   `echo "$PROW_JOB_ID" >> "$RUNS_LOG"; echo hello from $JOB_NAME; test -f hello.sh && mkdir -p "$ARTIFACTS" && echo '<testsuite/>' > "$ARTIFACTS/junit_1.xml"`,
		"pull-fail": `echo "$PROW_JOB_ID" >> "$RUNS_LOG"; echo failing on purpose; exit 3`,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	p := startProw(t, ctx, bin, "Serving", w.args...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()

	n, sha := w.openPull()
	eventually(t, time.Minute, "both statuses final", func() bool {
		l := latest(w.statuses(sha))
		return l["pull-ok"].State == "success" && l["pull-fail"].State == "failure"
	})
	seen := map[string][]string{}
	for _, s := range w.statuses(sha) {
		seen[s.Context] = append([]string{s.State}, seen[s.Context]...)
		// A triggered job has no build yet, so nothing to link to (as in
		// Prow): its status has no description of its own either.
		triggered := strings.HasPrefix(strings.TrimLeft(s.Description, "\u2001 "), "BaseSHA:")
		if !triggered && !strings.Contains(s.TargetURL, "/view/local/pr-logs/pull/demo_hello/") {
			t.Errorf("status %s/%s (%s) links to %q", s.Context, s.State, s.Description, s.TargetURL)
		}
	}
	// The links lead to deck, served by the same process.
	okURL := latest(w.statuses(sha))["pull-ok"].TargetURL
	if page := httpGet(t, okURL); !strings.Contains(page, "pull-ok") {
		t.Errorf("the job page %s does not name the job:\n%.2000s", okURL, page)
	}
	if list := httpGet(t, strings.Split(okURL, "/view/")[0]+"/"); !strings.Contains(list, "pull-fail") {
		t.Errorf("deck's job list does not show pull-fail:\n%.2000s", list)
	}
	if got := strings.Join(seen["pull-ok"], ","); !strings.HasPrefix(got, "pending") || !strings.HasSuffix(got, "success") {
		t.Errorf("pull-ok statuses in order: %s", got)
	}
	eventually(t, 30*time.Second, "the failure comment", func() bool {
		for _, c := range w.comments(n) {
			if strings.Contains(c, "pull-fail") && strings.Contains(c, "`/test pull-fail`") && strings.Contains(c, "<!-- test report -->") {
				return true
			}
		}
		return false
	})

	// The layout in storage.
	jobDir := filepath.Join(w.dir, "data", "artifacts", "pr-logs", "pull", "demo_hello", fmt.Sprint(n), "pull-ok")
	latestBuild, err := os.ReadFile(filepath.Join(jobDir, "latest-build.txt"))
	if err != nil {
		t.Fatal(err)
	}
	build := filepath.Join(jobDir, strings.TrimSpace(string(latestBuild)))
	var started struct {
		Timestamp int64  `json:"timestamp"`
		Pull      string `json:"pull"`
	}
	var finished struct {
		Passed *bool  `json:"passed"`
		Result string `json:"result"`
	}
	readJSON(t, filepath.Join(build, "started.json"), &started)
	readJSON(t, filepath.Join(build, "finished.json"), &finished)
	if started.Timestamp == 0 || started.Pull != fmt.Sprint(n) || finished.Passed == nil || !*finished.Passed || finished.Result != "SUCCESS" {
		t.Errorf("started %+v finished %+v", started, finished)
	}
	if log, err := os.ReadFile(filepath.Join(build, "build-log.txt")); err != nil || !strings.Contains(string(log), "hello from pull-ok") {
		t.Errorf("build log %q, %v", log, err)
	}
	for _, f := range []string{"prowjob.json", "artifacts/junit_1.xml"} {
		if _, err := os.Stat(filepath.Join(build, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}

	// /retest runs the failed job again.
	before := len(w.runs())
	w.do("member-token", http.MethodPost, fmt.Sprintf("/repos/demo/hello/issues/%d/comments", n), map[string]string{"body": "/retest"}, nil)
	eventually(t, time.Minute, "the retest run", func() bool { return len(w.runs()) == before+1 })
	eventually(t, time.Minute, "the retest's failure status", func() bool {
		all := w.statuses(sha)
		return len(all) > 0 && latest(all)["pull-fail"].State == "failure" && countState(all, "pull-fail", "failure") == 2
	})
}

func countState(all []ghStatus, context, state string) int {
	n := 0
	for _, s := range all {
		if s.Context == context && s.State == state {
			n++
		}
	}
	return n
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// httpGet reads a page that must answer 200.
func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url) //nolint:noctx // a test's one-shot read
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s, %v", url, resp.Status, err)
	}
	return string(body)
}
