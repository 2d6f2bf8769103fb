package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prowbot/prow/hook"
)

// buildProw builds the binary once per test run.
func buildProw(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "prow")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build prow: %v\n%s", err, out)
	}
	return bin
}

// externalRecorder is an external plugin that counts each delivery.
type externalRecorder struct {
	mu    sync.Mutex
	seen  map[string]int
	want  map[string]bool
	left  int
	done  chan struct{}
	armed bool
}

func (r *externalRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	id := req.Header.Get("X-GitHub-Delivery")
	r.mu.Lock()
	r.seen[id]++
	if r.armed && r.want[id] && r.seen[id] == 1 {
		r.left--
		if r.left == 0 {
			close(r.done)
		}
	}
	r.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// expect arms the recorder to close done once every id has been seen.
func (r *externalRecorder) expect(ids []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.want, r.armed, r.left = map[string]bool{}, true, 0
	for _, id := range ids {
		r.want[id] = true
		if r.seen[id] == 0 {
			r.left++
		}
	}
	if r.left == 0 {
		close(r.done)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startHook runs `prow hook` and returns once it listens.
func startHook(t *testing.T, ctx context.Context, bin string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, append([]string{"hook"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "Hook listening") {
			go func() { _, _ = io.Copy(io.Discard, stderr) }()
			return cmd
		}
	}
	t.Fatalf("hook exited before listening: %v", cmd.Wait())
	return nil
}

func TestHookHandlesEveryAcknowledgedDeliveryAfterSIGKILL(t *testing.T) {
	bin := buildProw(t)
	dir := t.TempDir()
	rec := &externalRecorder{seen: map[string]int{}, done: make(chan struct{})}
	ext := httptest.NewServer(rec)
	defer ext.Close()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	secret := []byte("kill-test-secret")
	port := freePort(t)
	args := []string{"--address", "127.0.0.1", "--port", fmt.Sprint(port), "--workers", "4",
		"--config-path", write("config.yaml", "log_level: info\n"),
		"--plugin-config", write("plugins.yaml", "external_plugins:\n  kubernetes:\n  - name: recorder\n    endpoint: "+ext.URL+"\n"),
		"--hmac-secret-file", write("hmac", string(secret)),
		"--journal-dir", filepath.Join(dir, "journal")}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	first := startHook(t, ctx, bin, args...)
	payload, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "compat", "prow", "cmd", "phony", "examples", "test_comment.json"))
	if err != nil {
		t.Fatal(err)
	}
	sig := hook.Sign(secret, payload)
	url := fmt.Sprintf("http://127.0.0.1:%d/hook", port)

	const total, killAfter = 400, 150
	var mu sync.Mutex
	var acked []string
	var killOnce sync.Once
	ids := make(chan string)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for id := range ids {
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
				req.Header.Set("X-GitHub-Event", "issue_comment")
				req.Header.Set("X-GitHub-Delivery", id)
				req.Header.Set("X-Hub-Signature-256", sig)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					continue // the process is gone: not acknowledged
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					mu.Lock()
					acked = append(acked, id)
					n := len(acked)
					mu.Unlock()
					if n >= killAfter {
						killOnce.Do(func() { _ = first.Process.Signal(syscall.SIGKILL) })
					}
				}
			}
		}()
	}
	for i := 0; i < total; i++ {
		ids <- fmt.Sprintf("delivery-%04d", i)
	}
	close(ids)
	wg.Wait()
	_ = first.Wait()
	if len(acked) < killAfter || len(acked) == total {
		t.Fatalf("%d of %d deliveries acknowledged; the kill should land mid-stream", len(acked), total)
	}

	second := startHook(t, ctx, bin, args...)
	rec.expect(acked)
	select {
	case <-rec.done:
	case <-ctx.Done():
		rec.mu.Lock()
		defer rec.mu.Unlock()
		t.Fatalf("after the restart %d acknowledged deliveries were never handled", rec.left)
	}
	if err := second.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := second.Wait(); err != nil {
		t.Errorf("graceful shutdown: %v", err)
	}

	rec.mu.Lock()
	defer rec.mu.Unlock()
	dups := 0
	for _, id := range acked {
		if rec.seen[id] > 1 {
			dups++
		}
	}
	// A delivery a worker was forwarding at the instant of the kill cannot
	// be known to have finished; at most one per worker may be repeated.
	if dups > 4 {
		t.Errorf("%d deliveries handled twice; at most the 4 in flight at the kill may be", dups)
	}
	summary, _ := json.Marshal(map[string]int{"acknowledged": len(acked), "handled_twice": dups})
	t.Logf("after SIGKILL and restart: %s", summary)
}
