package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prowbot/prow/cmd/internal/dispatch"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

// buildProw builds bin/prow and the full binary beside it, once per test
// run, and returns the path of bin/prow.
func buildProw(t *testing.T) string {
	t.Helper()
	prowBinary.once.Do(func() {
		dir, err := os.MkdirTemp("", "prow-test-bin-")
		if err != nil {
			prowBinary.err = err
			return
		}
		prowBinary.dir = dir
		// As installed: bin/prow is the lean front (cmd/prow-front),
		// which hands the components to this package's binary beside it.
		bin := filepath.Join(dir, "prow")
		builds := [][]string{
			{"go", "build", "-o", filepath.Join(dir, dispatch.FullBinary), "."},
			{"go", "build", "-o", bin, "../prow-front"},
		}
		for _, b := range builds {
			if out, err := exec.Command(b[0], b[1:]...).CombinedOutput(); err != nil {
				prowBinary.err = fmt.Errorf("build %s: %w\n%s", b[len(b)-1], err, out)
				return
			}
		}
		prowBinary.path = bin
	})
	if prowBinary.err != nil {
		t.Fatal(prowBinary.err)
	}
	return prowBinary.path
}

// prowBinary is the prow binary the tests of this package run, built
// once (TestMain removes it).
var prowBinary struct {
	once      sync.Once
	dir, path string
	err       error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if prowBinary.dir != "" {
		_ = os.RemoveAll(prowBinary.dir)
	}
	os.Exit(code)
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// hookProcess is a running `prow hook` whose log lines can be awaited.
type hookProcess struct {
	cmd   *exec.Cmd
	lines chan string
}

// startHook runs `prow hook` and returns once it listens.
func startHook(t *testing.T, ctx context.Context, bin string, args ...string) *hookProcess {
	t.Helper()
	return startProw(t, ctx, bin, "Hook listening", append([]string{"hook"}, args...)...)
}

// startProw runs the binary with args and returns once it logs ready
// (at once when ready is empty).
func startProw(t *testing.T, ctx context.Context, bin, ready string, args ...string) *hookProcess {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &hookProcess{cmd: cmd, lines: make(chan string, 1024)}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			select {
			case p.lines <- sc.Text():
			default: // nobody is waiting for this line
			}
		}
	}()
	if ready != "" {
		p.await(t, ready)
	}
	return p
}

// await returns at the first log line containing msg.
func (p *hookProcess) await(t *testing.T, msg string) string {
	t.Helper()
	for line := range p.lines {
		if strings.Contains(line, msg) {
			return line
		}
	}
	t.Fatalf("hook exited before logging %q: %v", msg, p.cmd.Wait())
	return ""
}

// commentDelivery is an issue_comment webhook: the pull request's author
// says /lgtm, which the lgtm plugin refuses with one reply comment.
func commentDelivery(t *testing.T, i int) []byte {
	t.Helper()
	user := map[string]any{"login": "author", "id": 2, "type": "User"}
	repo := map[string]any{"id": 1, "name": "hello", "full_name": "demo/hello", "html_url": "https://github.com/demo/hello",
		"owner": map[string]any{"login": "demo", "id": 3, "type": "Organization"}}
	payload := map[string]any{
		"action": "created",
		"issue": map[string]any{"number": 1, "title": "Change", "state": "open", "user": user, "labels": []any{},
			"html_url": "https://github.com/demo/hello/pull/1", "pull_request": map[string]any{"url": "https://api.github.com/repos/demo/hello/pulls/1"}},
		"comment": map[string]any{"id": 1000 + i, "body": "/lgtm", "user": user,
			"html_url": fmt.Sprintf("https://github.com/demo/hello/pull/1#issuecomment-%d", 1000+i)},
		"repository": repo, "sender": user,
	}
	b, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHookHandlesEveryAcknowledgedDeliveryOnceAfterSIGKILL kills hook while
// deliveries stream in, restarts it, and counts the effects on the
// sandbox GitHub: every acknowledged delivery produced exactly one reply,
// including the ones a worker was half-way through at the kill.
func TestHookHandlesEveryAcknowledgedDeliveryOnceAfterSIGKILL(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after string // how the journal is taken up again
	}{
		{"restarted on its journal", "restart"},
		{"its journal handed to another process (--drain-journal)", "drain"},
	} {
		t.Run(tc.name, func(t *testing.T) { killAndTakeOver(t, tc.after) })
	}
}

// killAndTakeOver kills hook mid-stream, has the journal taken up again
// (by a restarted hook, or by `prow hook --drain-journal`, which hands a
// removed replica's deliveries over) and checks each acknowledged
// delivery was handled exactly once.
func killAndTakeOver(t *testing.T, after string) {
	bin := buildProw(t)
	w := newHookWorld(t)
	port := freePort(t)
	args := w.args(w.gh.URL, port, 4)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	first := startHook(t, ctx, bin, args...)
	url := fmt.Sprintf("http://127.0.0.1:%d/hook", port)
	const total, killAfter = 300, 120
	var mu sync.Mutex
	var acked []string
	var killOnce sync.Once
	ids := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 20 * time.Second}
			for i := range ids {
				id, code, err := w.send(ctx, client, url, i)
				if err != nil {
					continue // the process is gone: not acknowledged
				}
				if code == http.StatusOK {
					mu.Lock()
					acked = append(acked, id)
					n := len(acked)
					mu.Unlock()
					if n >= killAfter {
						killOnce.Do(func() { _ = first.cmd.Process.Signal(syscall.SIGKILL) })
					}
				}
			}
		}()
	}
	for i := 0; i < total; i++ {
		ids <- i
	}
	close(ids)
	wg.Wait()
	_ = first.cmd.Wait()
	if len(acked) < killAfter || len(acked) == total {
		t.Fatalf("%d of %d deliveries acknowledged; the kill should land mid-stream", len(acked), total)
	}

	var replayed string
	if after == "drain" {
		drainer := startProw(t, ctx, bin, "", append([]string{"hook", "--drain-journal"}, args...)...)
		replayed = drainer.await(t, "Journal replay finished")
		drainer.await(t, "Journal drained")
		if err := drainer.cmd.Wait(); err != nil {
			t.Errorf("--drain-journal: %v", err)
		}
	} else {
		second := startHook(t, ctx, bin, args...)
		replayed = second.await(t, "Journal replay finished")
		if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if err := second.cmd.Wait(); err != nil {
			t.Errorf("graceful shutdown: %v", err)
		}
	}

	replies := repliesByDelivery(t, w.gh.URL)
	missing, twice := 0, 0
	for _, id := range acked {
		switch n := replies[id]; {
		case n == 0:
			missing++
		case n > 1:
			twice++
		}
	}
	for id, n := range replies {
		if n > 1 && !strings.HasPrefix(id, "delivery-") {
			t.Errorf("unexpected reply key %q", id)
		}
	}
	if missing > 0 || twice > 0 {
		t.Errorf("of %d acknowledged deliveries, %d were never handled and %d were handled more than once", len(acked), missing, twice)
	}
	var rl struct {
		Count int `json:"count"`
	}
	_ = json.Unmarshal([]byte(replayed), &rl)
	summary, _ := json.Marshal(map[string]int{"acknowledged": len(acked), "replayed": rl.Count, "missing": missing, "handled_twice": twice})
	t.Logf("after SIGKILL and restart: %s", summary)
}

// hookWorld is a sandbox GitHub holding demo/hello#1, and the files a
// `prow hook` for it runs with: the lgtm plugin enabled for demo.
type hookWorld struct {
	t      *testing.T
	dir    string
	gh     *httptest.Server
	secret []byte
}

func newHookWorld(t *testing.T) *hookWorld {
	t.Helper()
	w := &hookWorld{t: t, dir: t.TempDir(), secret: []byte("kill-test-secret")}
	_, w.gh = seed.ServeWith(t, sandbox.Options{GitDir: filepath.Join(w.dir, "git"), Seed: seed.New().Bot("the-bot", "bot-token").
		User("author", "author-token").Pull("author", "Change", sandbox.FileChanges{"a": "a\n"}).Seed()})
	return w
}

// args are the flags of a `prow hook` on port whose GitHub is endpoint.
func (w *hookWorld) args(endpoint string, port, workers int) []string {
	write := func(name, content string) string {
		p := filepath.Join(w.dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			w.t.Fatal(err)
		}
		return p
	}
	return []string{"--address", "127.0.0.1", "--port", fmt.Sprint(port), "--workers", fmt.Sprint(workers),
		"--config-path", write("config.yaml", "log_level: info\n"),
		"--plugin-config", write("plugins.yaml", "plugins:\n  demo:\n    plugins: [lgtm]\n"),
		"--hmac-secret-file", write("hmac", string(w.secret)),
		"--github-endpoint", endpoint, "--github-token-path", write("token", "bot-token"),
		"--journal-dir", filepath.Join(w.dir, "journal"), "--git-cache-dir", filepath.Join(w.dir, "git-cache")}
}

// send posts delivery i (commentDelivery) to url and returns its ID and
// the answer's status code.
func (w *hookWorld) send(ctx context.Context, client *http.Client, url string, i int) (string, int, error) {
	id := fmt.Sprintf("delivery-%04d", i)
	code, err := w.post(ctx, client, url, id, commentDelivery(w.t, i))
	return id, code, err
}

var effectMarker = regexp.MustCompile(`<!-- prow-effect: (delivery-\d+)/`)

// repliesByDelivery counts the bot's comments on demo/hello#1 per
// delivery, from the effect marker each carries.
func repliesByDelivery(t *testing.T, base string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for page := 1; ; page++ {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v3/repos/demo/hello/issues/1/comments?per_page=100&page=%d", base, page), nil)
		req.Header.Set("Authorization", "token author-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var comments []struct {
			Body string                 `json:"body"`
			User struct{ Login string } `json:"user"`
		}
		err = json.NewDecoder(resp.Body).Decode(&comments)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(comments) == 0 {
			return out
		}
		for _, c := range comments {
			if c.User.Login != "the-bot" || !strings.Contains(c.Body, "you cannot LGTM your own PR.") {
				t.Errorf("unexpected comment by %s: %q", c.User.Login, c.Body)
				continue
			}
			m := effectMarker.FindStringSubmatch(c.Body)
			if m == nil {
				t.Errorf("a reply without its effect marker: %q", c.Body)
				continue
			}
			out[m[1]]++
		}
	}
}
