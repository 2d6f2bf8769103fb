package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// withFlag is args with flag set to value (replaced when present).
func withFlag(args []string, flag, value string) []string {
	out := slices.Clone(args)
	if i := slices.Index(out, flag); i >= 0 && i+1 < len(out) {
		out[i+1] = value
		return out
	}
	return append(out, flag, value)
}

// runServeOnce runs `prow serve` to its end and returns its exit code
// and stderr.
func runServeOnce(t *testing.T, bin string, args []string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, stderr.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), stderr.String()
	default:
		t.Fatalf("run prow serve: %v", err)
		return -1, ""
	}
}

// TestServeChecksEverythingFirst starts `prow serve` with one bad setting
// at a time: each is refused with one error line, before anything is
// written to the data dir.
func TestServeChecksEverythingFirst(t *testing.T) {
	bin := buildProw(t)
	w := newServeWorld(t, "", map[string]string{"pull-ok": "true"})
	file := func(name, content string) string {
		p := filepath.Join(w.dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	goodSecret := file("cookie", strings.Repeat("c", 40))
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := fmt.Sprint(busy.Addr().(*net.TCPAddr).Port)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a short cookie secret", withFlag(w.args, "--cookie-secret", file("short", "too-short")), "holds 9 bytes, want at least 32"},
		{"a missing cookie secret", withFlag(w.args, "--cookie-secret", filepath.Join(w.dir, "none")), "--cookie-secret"},
		{"an OAuth config without a client secret", withFlag(withFlag(w.args, "--cookie-secret", goodSecret), "--github-oauth-config-file",
			file("oauth.yaml", "client_id: x\nredirect_url: http://x/github-login/redirect\n")), "client_secret is empty"},
		{"an OAuth config without a cookie secret", withFlag(w.args, "--github-oauth-config-file", file("oauth2.yaml", "client_id: x\n")), "needs --cookie-secret"},
		{"a missing HMAC secret", withFlag(w.args, "--hmac-secret-file", filepath.Join(w.dir, "no-hmac")), "--hmac-secret-file"},
		{"a port in use", withFlag(w.args, "--port", busyPort), "--port " + busyPort},
		{"a metrics port in use", withFlag(w.args, "--metrics-port", busyPort), "--metrics-port " + busyPort},
		{"the metrics port on the main port", withFlag(w.args, "--metrics-port", fmt.Sprint(w.port)), "--metrics-port must differ"},
		{"a trusted proxy that is not an address", withFlag(w.args, "--trusted-proxy", "proxy.example"), "--trusted-proxy"},
		{"a missing config file", withFlag(w.args, "--config-path", filepath.Join(w.dir, "none.yaml")), "none.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stderr := runServeOnce(t, bin, tc.args)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != 1 || len(lines) != 1 || !strings.HasPrefix(lines[0], "error: ") || !strings.Contains(lines[0], tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and one error line with %q", code, stderr, tc.want)
			}
			if _, err := os.Stat(filepath.Join(w.dir, "data")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the data dir was created: %v", err)
			}
		})
	}
}

// TestServeOwnsItsDataDir runs `prow serve` with /metrics on its own
// port, then a second `prow serve` on the same data dir, which is
// refused while the first goes on.
func TestServeOwnsItsDataDir(t *testing.T) {
	bin := buildProw(t)
	w := newServeWorld(t, "", map[string]string{"pull-ok": "true"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	metricsPort := freePort(t)
	first := startProw(t, ctx, bin, "Serving", withFlag(w.args, "--metrics-port", fmt.Sprint(metricsPort))...)
	defer func() {
		_ = first.cmd.Process.Signal(syscall.SIGTERM)
		_ = first.cmd.Wait()
	}()
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	eventually(t, 30*time.Second, "the metrics port", func() bool {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", metricsPort))
		if err == nil {
			_ = c.Close()
		}
		return err == nil
	})
	if code, body := get(fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort)); code != 200 || !strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics on --metrics-port: %d\n%.300s", code, body)
	}
	if code, _ := get(fmt.Sprintf("http://127.0.0.1:%d/metrics", w.port)); code != http.StatusNotFound {
		t.Errorf("/metrics on --port: %d, want 404 with --metrics-port", code)
	}
	if code, _ := get(fmt.Sprintf("http://127.0.0.1:%d/", metricsPort)); code != http.StatusNotFound {
		t.Errorf("deck on --metrics-port: %d, want 404", code)
	}

	code, stderr := runServeOnce(t, bin, withFlag(w.args, "--port", fmt.Sprint(freePort(t))))
	if code != 1 || !strings.Contains(stderr, "is in use by another prow serve") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("second serve: exit %d, stderr:\n%s", code, stderr)
	}
	if code, _ := get(fmt.Sprintf("http://127.0.0.1:%d/healthz", w.port)); code != 200 {
		t.Errorf("the first serve stopped answering: %d", code)
	}
}

// TestServeHidesAHiddenRepoThroughItsFolders is issue 18's probe: with
// deck.hidden_repos: [demo/hello], a presubmit of demo/hello runs, and
// neither its build nor any folder above it shows its log through deck.
func TestServeHidesAHiddenRepoThroughItsFolders(t *testing.T) {
	bin := buildProw(t)
	const mark = "SECRET-LOG-LINE"
	w := newServeWorld(t, "deck:\n  hidden_repos: [demo/hello]\n", map[string]string{"pull-ok": "echo " + mark})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := startProw(t, ctx, bin, "Serving", w.args...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()
	n, sha := w.openPull()
	eventually(t, time.Minute, "the presubmit's success", func() bool { return latest(w.statuses(sha))["pull-ok"].State == "success" })
	prDir := fmt.Sprintf("pr-logs/pull/demo_hello/%d", n)
	latestBuild, err := os.ReadFile(filepath.Join(w.dir, "data", "artifacts", prDir, "pull-ok", "latest-build.txt"))
	if err != nil {
		t.Fatal(err)
	}
	build := strings.TrimSpace(string(latestBuild))
	logRel := "pull-ok/" + build + "/build-log.txt"
	if data, err := os.ReadFile(filepath.Join(w.dir, "data", "artifacts", prDir, logRel)); err != nil || !strings.Contains(string(data), mark) {
		t.Fatalf("the job's log was not written: %q %v", data, err)
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", w.port)
	for _, target := range []string{
		"/view/local/" + prDir + "/pull-ok/" + build,
		"/view/local/" + prDir,
		"/view/local/pr-logs/pull/demo_hello",
		"/view/local/pr-logs/pull",
		"/view/local/pr-logs",
		"/file/local/" + prDir + "?name=" + url.QueryEscape(logRel),
		"/file/local/pr-logs?name=" + url.QueryEscape("pull/demo_hello/"+fmt.Sprint(n)+"/"+logRel),
		"/api/log?src=" + url.QueryEscape("local/"+prDir) + "&file=" + url.QueryEscape(logRel) + "&offset=0&length=1000",
		"/job-history/local/pr-logs/directory/pull-ok",
		"/api/history/local/pr-logs/directory/pull-ok",
		"/view/local/pr-logs/directory",
		"/file/local/pr-logs/directory?name=" + url.QueryEscape("pull-ok/"+build+".txt"),
		"/pr-history/?org=demo&repo=hello&pr=" + fmt.Sprint(n),
		"/badge.svg?jobs=pull-ok",
		"/",
	} {
		resp, err := http.Get(base + target)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		asked, _ := url.QueryUnescape(target)
		shows := func(s string) bool { return strings.Contains(string(body), s) && !strings.Contains(asked, s) }
		if shows(mark) || shows("build-log.txt") || shows("pull-ok/"+build) {
			t.Errorf("GET %s: %s shows the hidden build:\n%.1500s", target, resp.Status, body)
		}
	}
}

// TestServeSandboxKeepsJobsFromTheBot runs, with --runner=sandbox, a
// presubmit that tries to read the bot's token, HMAC secret and SQLite
// store, to find the bot's process and to write outside its directories:
// every attempt fails and its log says so, while a normal job passes.
func TestServeSandboxKeepsJobsFromTheBot(t *testing.T) {
	bin := buildProw(t)
	// The job finds the bot's files from its own work dir, which lies in
	// <dir>/data/runs/.
	attempts := []escapeAttempt{
		{"read the token file", `cat "$top/token"`},
		{"read the HMAC secret", `cat "$top/hmac"`},
		{"read the SQLite store", `cat "$data/jobs.db"`},
		{"find the process of the bot", "grep -al '[-]-hmac-secret-file' /proc/[0-9]*/cmdline | grep -q ."},
		{"signal the bot", "kill -0 $(grep -al '[-]-hmac-secret-file' /proc/[0-9]*/cmdline | cut -d/ -f3 | head -1)"},
		{"write to the system", "echo x > /etc/prowbot-probe"},
		{"write into the data dir", `echo x > "$data/pwned" && test -f "$data/jobs.db"`},
	}
	w := newServeWorld(t, "", map[string]string{"pull-probe": escapeProbe(attempts), "pull-ok": "test -f hello.sh && echo checkout visible"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := startProw(t, ctx, bin, "Serving", append(slices.Clone(w.args), "--runner", "sandbox")...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()
	n, sha := w.openPull()
	checkEscapes(t, w, n, sha, attempts)
}

// sleepers are the processes running `sleep <secs>`.
func sleepers(secs string) []int {
	var out []int
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err == nil && string(data) == "sleep\x00"+secs+"\x00" {
			var pid int
			if _, err := fmt.Sscan(filepath.Base(d), &pid); err == nil {
				out = append(out, pid)
			}
		}
	}
	return out
}

// TestServeJobsDoNotOutliveTheBot kills `prow serve` with SIGKILL while
// a job runs a background process. With --runner=sandbox nothing of the
// job outlives the bot (its pid namespace ends with bubblewrap); with
// --runner=host the next start kills what was left.
func TestServeJobsDoNotOutliveTheBot(t *testing.T) {
	bin := buildProw(t)
	for i, runner := range []string{"sandbox", "host"} {
		t.Run(runner, func(t *testing.T) {
			secs := fmt.Sprint(3000 + (os.Getpid()+i)%1000)
			w := newServeWorld(t, "", map[string]string{"pull-long": "sleep " + secs + " & echo up > \"$ARTIFACTS/up\"; wait"})
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			args := append(slices.Clone(w.args), "--runner", runner)
			p := startProw(t, ctx, bin, "Serving", args...)
			defer func() {
				for _, pid := range sleepers(secs) {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
			}()
			w.openPull()
			eventually(t, time.Minute, "the job's background process", func() bool {
				up, _ := filepath.Glob(filepath.Join(w.dir, "data", "runs", "*", "artifacts", "up"))
				return len(up) > 0 && len(sleepers(secs)) > 0
			})
			if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = p.cmd.Wait()
			if runner == "host" {
				again := startProw(t, ctx, bin, "Serving", args...)
				defer func() { _ = again.cmd.Process.Kill(); _ = again.cmd.Wait() }()
			}
			eventually(t, 30*time.Second, "the job's processes to end", func() bool { return len(sleepers(secs)) == 0 })
		})
	}
}

// escapeAttempt is one thing a probe job tries, and must fail at.
type escapeAttempt struct{ what, cmd string }

// escapeProbe is the script of a job that makes each attempt (finding the
// bot's files from its own work dir, which lies in <dir>/data/runs/) and
// logs whether it was refused.
func escapeProbe(attempts []escapeAttempt) string {
	var probe strings.Builder
	probe.WriteString("data=${PWD%%/runs/*}; top=${data%/data}; echo \"data dir $data\"; bad=0\n")
	for _, a := range attempts {
		fmt.Fprintf(&probe, "if ( %s ) >/dev/null 2>&1; then echo 'LEAKED: %s'; bad=1; else echo 'REFUSED: %s'; fi\n", a.cmd, a.what, a.what)
	}
	probe.WriteString("exit $bad\n")
	return probe.String()
}

// checkEscapes waits until pull-probe (an escapeProbe) and pull-ok are
// final on w's pull request n at sha, and checks that the normal job
// passed and that the probe was refused every attempt.
func checkEscapes(t *testing.T, w *serveWorld, n int, sha string, attempts []escapeAttempt) {
	t.Helper()
	data := filepath.Join(w.dir, "data")
	eventually(t, time.Minute, "both statuses final", func() bool {
		l := latest(w.statuses(sha))
		return l["pull-probe"].State != "" && l["pull-probe"].State != "pending" && l["pull-ok"].State != "" && l["pull-ok"].State != "pending"
	})
	l := latest(w.statuses(sha))
	if l["pull-ok"].State != "success" {
		t.Errorf("the normal job ended %s", l["pull-ok"].State)
	}
	jobDir := filepath.Join(data, "artifacts", "pr-logs", "pull", "demo_hello", fmt.Sprint(n), "pull-probe")
	build, err := os.ReadFile(filepath.Join(jobDir, "latest-build.txt"))
	if err != nil {
		t.Fatal(err)
	}
	log, err := os.ReadFile(filepath.Join(jobDir, strings.TrimSpace(string(build)), "build-log.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range attempts {
		if !strings.Contains(string(log), "REFUSED: "+a.what) {
			t.Errorf("the job could %s", a.what)
		}
	}
	if l["pull-probe"].State != "success" {
		t.Errorf("the probe ended %s:\n%s", l["pull-probe"].State, log)
	}
	if _, err := os.Stat(filepath.Join(data, "pwned")); err == nil {
		t.Error("the job wrote into the data dir")
	}
}
