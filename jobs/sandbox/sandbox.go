package sandbox

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// systemDirs are the host directories a sandboxed job sees read-only
// (those that exist).
func systemDirs() []string {
	return []string{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt"}
}

// Options say how jobs are isolated.
type Options struct {
	// Bwrap is the bubblewrap binary ("bwrap" in PATH when empty).
	Bwrap string
	// NoNetwork cuts the job off the network (it has its own empty
	// network namespace).
	NoNetwork bool
	// Hide are host files and directories the job must not see even
	// where they lie inside a system directory: the bot's secrets, its
	// configuration, its data dir.
	Hide []string
}

// Check finds bubblewrap and makes the paths absolute.
func (o *Options) Check() error {
	if o.Bwrap == "" {
		o.Bwrap = "bwrap"
	}
	p, err := exec.LookPath(o.Bwrap)
	if err != nil {
		return fmt.Errorf("the sandbox runner needs bubblewrap (Debian package bubblewrap): %w", err)
	}
	o.Bwrap = p
	for i, h := range o.Hide {
		abs, err := filepath.Abs(h)
		if err != nil {
			return fmt.Errorf("hide %s: %w", h, err)
		}
		o.Hide[i] = abs
	}
	return nil
}

// Dirs are the host directories of one run: where the command starts,
// and the directories it may write (its checkout, its artifacts), seen
// at the same paths.
type Dirs struct {
	Work     string
	Writable []string
}

// Command is the argv that runs argv isolated, starting in d.Work. It is
// a pure function of its inputs: which system directories exist and
// which hidden paths are directories come from exists and isDir.
func (o Options) Command(argv []string, d Dirs, exists func(string) bool, isDir func(string) bool) ([]string, error) {
	if len(argv) == 0 {
		return nil, errors.New("sandbox: no command")
	}
	if !filepath.IsAbs(d.Work) {
		return nil, fmt.Errorf("sandbox: work dir %q is not absolute", d.Work)
	}
	out := []string{o.Bwrap, "--unshare-all", "--die-with-parent", "--cap-drop", "ALL"}
	if !o.NoNetwork {
		out = append(out, "--share-net")
	}
	var bound []string
	for _, s := range systemDirs() {
		if exists(s) {
			out = append(out, "--ro-bind", s, s)
			bound = append(bound, s)
		}
	}
	for _, h := range o.Hide {
		if !Under(h, bound) {
			continue // not visible anyway
		}
		if isDir(h) {
			out = append(out, "--tmpfs", h)
		} else {
			out = append(out, "--ro-bind", "/dev/null", h)
		}
	}
	out = append(out, "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/run")
	binds := d.Writable
	if !Under(d.Work, binds) {
		binds = append([]string{d.Work}, binds...)
	}
	for _, w := range binds {
		out = append(out, "--bind", w, w)
	}
	out = append(out, "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--chdir", d.Work, "--")
	return append(out, argv...), nil
}

// Under says whether the path p is one of dirs or below one.
func Under(p string, dirs []string) bool {
	for _, d := range dirs {
		if p == d || strings.HasPrefix(p, strings.TrimSuffix(d, "/")+"/") {
			return true
		}
	}
	return false
}

// Wrap is Command over the real file system.
func (o Options) Wrap(argv []string, d Dirs) ([]string, error) {
	return o.Command(argv, d, exists, isDirectory)
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func isDirectory(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
