package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestHookAcknowledgesWhileGitHubStalls: with GitHub accepting
// connections and never answering, every worker hangs in the client, and
// still 2,000 signed deliveries from 16 senders are all acknowledged with
// 200 within GitHub's 10 s; once GitHub answers again, every one of them
// is handled, once.
func TestHookAcknowledgesWhileGitHubStalls(t *testing.T) {
	bin := buildProw(t)
	w := newHookWorld(t)
	target, err := url.Parse(w.gh.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	release := make(chan struct{})
	var stalled atomic.Int64
	gate := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		default:
			stalled.Add(1)
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		proxy.ServeHTTP(rw, r)
	}))
	defer gate.Close()
	var releaseOnce sync.Once
	open := func() { releaseOnce.Do(func() { close(release) }) }
	defer open()

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	port := freePort(t)
	p := startHook(t, ctx, bin, w.args(gate.URL, port, 16)...)
	go func() { // keep reading the log so the process never blocks on it
		for range p.lines {
		}
	}()
	hookURL := fmt.Sprintf("http://127.0.0.1:%d/hook", port)

	const total, senders = 2000, 16
	start := time.Now()
	ids := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	bad := map[string]string{}
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second} // GitHub gives up after 10 s
			for i := range ids {
				id, code, err := w.send(ctx, client, hookURL, i)
				if err != nil || code != http.StatusOK {
					mu.Lock()
					bad[id] = fmt.Sprint(code, " ", err)
					mu.Unlock()
				}
			}
		}()
	}
	for i := range total {
		ids <- i
	}
	close(ids)
	wg.Wait()
	took := time.Since(start)
	if len(bad) > 0 {
		t.Fatalf("%d of %d deliveries not acknowledged with 200 while GitHub stalled, e.g. %v", len(bad), total, firstOf(bad))
	}
	if took > 10*time.Second {
		t.Errorf("acknowledging %d deliveries took %s, past GitHub's 10 s", total, took)
	}
	if stalled.Load() == 0 {
		t.Fatal("no request reached the stalled GitHub: the test did not test a stall")
	}
	metricsURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", port)
	if backlog := gauge(t, metricsURL, "prowbot_webhook_backlog"); backlog < total-senders {
		t.Errorf("prowbot_webhook_backlog = %v while GitHub stalls, want about %d", backlog, total)
	}
	t.Logf("%d deliveries acknowledged in %s while GitHub stalled (%d requests held)", total, took.Round(time.Millisecond), stalled.Load())

	open()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for gauge(t, metricsURL, "prowbot_webhook_backlog") > 0 {
		select {
		case <-ctx.Done():
			t.Fatalf("the backlog was not handled once GitHub answered again: %v left", gauge(t, metricsURL, "prowbot_webhook_backlog"))
		case <-tick.C:
		}
	}
	replies := repliesByDelivery(t, w.gh.URL)
	missing, twice := 0, 0
	for i := range total {
		switch n := replies[fmt.Sprintf("delivery-%04d", i)]; {
		case n == 0:
			missing++
		case n > 1:
			twice++
		}
	}
	if missing > 0 || twice > 0 {
		t.Errorf("of %d acknowledged deliveries, %d were never handled and %d more than once", total, missing, twice)
	}
}

func firstOf(m map[string]string) string {
	for k, v := range m {
		return k + ": " + v
	}
	return ""
}

// gauge reads one unlabelled metric from a Prometheus text endpoint.
func gauge(t *testing.T, url, name string) float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatalf("%s not in %s", name, url)
	return 0
}

// TestHookStartsWithProwsFlagsAlone: Prow's own hook flags, no
// --journal-dir: the journal goes to the user's data directory, and the
// log says where.
func TestHookStartsWithProwsFlagsAlone(t *testing.T) {
	bin := buildProw(t)
	w := newHookWorld(t)
	var args []string
	for _, a := range w.args(w.gh.URL, freePort(t), 2) {
		if len(args) > 0 && args[len(args)-1] == "--journal-dir" {
			args = args[:len(args)-1]
			continue
		}
		args = append(args, a)
	}
	data := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"hook"}, args...)...)
	cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+data)
	out, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	sc := bufio.NewScanner(out)
	var where string
	for sc.Scan() && !strings.Contains(sc.Text(), "Hook listening") {
		if strings.Contains(sc.Text(), "Journal in its default directory") {
			where = sc.Text()
		}
	}
	want := filepath.Join(data, "prowbot", "journal")
	if !strings.Contains(where, `"journal_dir":"`+want+`"`) {
		t.Fatalf("the log does not say the journal is in %s: %q", want, where)
	}
	if entries, err := os.ReadDir(want); err != nil || len(entries) == 0 {
		t.Errorf("no journal in %s: %v", want, err)
	}
}
