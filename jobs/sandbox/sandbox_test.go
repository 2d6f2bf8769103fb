package sandbox

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCommand(t *testing.T) {
	exists := func(p string) bool { return p != "/lib32" && p != "/libx32" && p != "/opt" }
	isDir := func(p string) bool { return !strings.HasSuffix(p, ".txt") && !strings.HasSuffix(p, "hmac") }
	work := Dirs{Work: "/data/runs/j/code/src", Writable: []string{"/data/runs/j/code", "/data/runs/j/artifacts"}}
	tests := []struct {
		name      string
		opts      Options
		dirs      Dirs
		want      []string
		wantPairs [][]string
		absent    []string
	}{
		{"the default shares the network and binds the system read-only", Options{Bwrap: "/usr/bin/bwrap"}, work,
			[]string{"--unshare-all", "--die-with-parent", "--share-net"},
			[][]string{{"--ro-bind", "/usr", "/usr"}, {"--ro-bind", "/etc", "/etc"}, {"--proc", "/proc"}, {"--tmpfs", "/tmp"},
				{"--bind", "/data/runs/j/code", "/data/runs/j/code"}, {"--bind", "/data/runs/j/artifacts", "/data/runs/j/artifacts"},
				{"--chdir", "/data/runs/j/code/src"}, {"--setenv", "HOME", "/tmp"}},
			[]string{"/lib32", "/opt"}},
		{"no network unshares it", Options{Bwrap: "bwrap", NoNetwork: true}, work, []string{"--unshare-all"}, nil, []string{"--share-net"}},
		{"secrets inside the system are masked", Options{Bwrap: "bwrap", Hide: []string{"/etc/webhook/hmac", "/etc/prow", "/home/bot/token.txt"}}, work, nil,
			[][]string{{"--ro-bind", "/dev/null", "/etc/webhook/hmac"}, {"--tmpfs", "/etc/prow"}},
			[]string{"/home/bot/token.txt"}},
		{"a work dir outside the writable ones is bound too", Options{Bwrap: "bwrap"}, Dirs{Work: "/w", Writable: []string{"/a"}}, nil,
			[][]string{{"--bind", "/w", "/w"}, {"--bind", "/a", "/a"}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			argv, err := tc.opts.Command([]string{"sh", "-c", "true"}, tc.dirs, exists, isDir)
			if err != nil {
				t.Fatal(err)
			}
			if argv[0] != tc.opts.Bwrap || !slices.Equal(argv[len(argv)-4:], []string{"--", "sh", "-c", "true"}) {
				t.Errorf("argv %q does not run the command after --", argv)
			}
			for _, w := range tc.want {
				if !slices.Contains(argv, w) {
					t.Errorf("argv lacks %s: %q", w, argv)
				}
			}
			joined := " " + strings.Join(argv, " ") + " "
			for _, p := range tc.wantPairs {
				if !strings.Contains(joined, " "+strings.Join(p, " ")+" ") {
					t.Errorf("argv lacks %q: %q", p, argv)
				}
			}
			for _, a := range tc.absent {
				if slices.Contains(argv, a) {
					t.Errorf("argv has %s: %q", a, argv)
				}
			}
		})
	}
	if _, err := (Options{}).Command(nil, work, exists, isDir); err == nil {
		t.Error("an empty command was accepted")
	}
	if _, err := (Options{}).Command([]string{"x"}, Dirs{Work: "rel"}, exists, isDir); err == nil {
		t.Error("a relative work dir was accepted")
	}
}

// TestSandboxHidesTheHost runs a shell in bubblewrap: it cannot read a
// secret, see this process, or write outside its directories, and can
// write its own.
func TestSandboxHidesTheHost(t *testing.T) {
	o := Options{Hide: []string{}}
	if err := o.Check(); err != nil {
		t.Fatalf("%v: run `make sandbox-tools` (make test does)", err)
	}
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	work := filepath.Join(dir, "run", "code")
	for _, d := range []string{secret, work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(secret, "token"), []byte("TOKEN"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The test binary's name as a pattern that does not match itself
	// (grep's own command line holds the pattern).
	name := filepath.Base(os.Args[0])
	pattern := "[" + name[:1] + "]" + name[1:]
	script := `cat ` + secret + `/token && echo LEAKED token
grep -al '` + pattern + `' /proc/[0-9]*/cmdline 2>/dev/null | grep -q . && echo LEAKED process
echo x > ` + filepath.Join(dir, "outside") + ` 2>/dev/null
echo x > /etc/prowbot-probe 2>/dev/null && echo LEAKED etc
echo mine > own.txt && echo WROTE own`
	argv, err := o.Command([]string{"sh", "-c", script}, Dirs{Work: work, Writable: []string{work}}, exists, isDirectory)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("bwrap: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "LEAKED") || !strings.Contains(string(out), "WROTE own") {
		t.Errorf("inside the sandbox:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "outside")); err == nil {
		t.Error("the job wrote outside its directories")
	}
	if data, err := os.ReadFile(filepath.Join(work, "own.txt")); err != nil || string(data) != "mine\n" {
		t.Errorf("the job's own file: %q %v", data, err)
	}
}

// TestSandboxNetworkSwitch counts the network interfaces a sandboxed job
// sees: the host's with the network on, only loopback with it off.
func TestSandboxNetworkSwitch(t *testing.T) {
	host, err := os.ReadFile("/proc/net/dev")
	if err != nil {
		t.Fatal(err)
	}
	hostIfaces := strings.Count(string(host), ":")
	for _, noNet := range []bool{false, true} {
		o := Options{NoNetwork: noNet}
		if err := o.Check(); err != nil {
			t.Fatal(err)
		}
		work := t.TempDir()
		argv, err := o.Wrap([]string{"cat", "/proc/net/dev"}, Dirs{Work: work, Writable: []string{work}})
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
		if err != nil {
			t.Fatalf("bwrap: %v\n%s", err, out)
		}
		got, want := strings.Count(string(out), ":"), hostIfaces
		if noNet {
			want = 1
		}
		if got != want || !strings.Contains(string(out), "lo:") {
			t.Errorf("NoNetwork %v: %d interfaces, want %d:\n%s", noNet, got, want, out)
		}
	}
}
