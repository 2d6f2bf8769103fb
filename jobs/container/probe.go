package container

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// fallbackUlimits are the ulimits given with the runc fallback: without
// CAP_SYS_RESOURCE, the runtime may only lower limits, and podman's
// defaults raise them.
func fallbackUlimits() []string { return []string{"nofile=1024:1024", "nproc=1024:1024"} }

// Found is what Probe found out about podman on this machine.
type Found struct {
	// Podman is the binary's path; Err why podman cannot be used (nil
	// when it can).
	Podman string
	Err    error
	// Runtime and Ulimits are what containers should run with: empty
	// when podman's defaults work.
	Runtime string
	Ulimits []string
}

// Prober probes podman once and remembers the answer.
type Prober struct {
	// Podman is the binary ("podman" in PATH when empty).
	Podman string
	once   sync.Once
	found  Found
}

// Probe says whether podman answers here (podman info, within a few
// seconds) and which runtime suits the host: where the cgroups are in
// hybrid mode (v1 controllers with a v2 tree beside them), podman's
// default crun fails, so runc is chosen with fallbackUlimits when it is
// installed. The answer is computed once.
func (p *Prober) Probe(ctx context.Context) Found {
	p.once.Do(func() { p.found = probe(ctx, p.Podman) })
	return p.found
}

func probe(ctx context.Context, podman string) Found {
	if podman == "" {
		podman = "podman"
	}
	path, err := exec.LookPath(podman)
	if err != nil {
		return Found{Err: fmt.Errorf("podman is not installed (Debian package podman): %w", err)}
	}
	f := Found{Podman: path}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "info", "--format", "{{.Host.OCIRuntime.Name}}").CombinedOutput()
	if err != nil {
		f.Err = fmt.Errorf("podman info: %w: %s", err, bytes.TrimSpace(out))
		return f
	}
	if name := strings.TrimSpace(string(out)); name == "crun" && hybridCgroups() {
		if runc, err := exec.LookPath("runc"); err == nil {
			f.Runtime, f.Ulimits = runc, fallbackUlimits()
		} else if _, err := os.Stat("/usr/sbin/runc"); err == nil {
			f.Runtime, f.Ulimits = "/usr/sbin/runc", fallbackUlimits()
		} else {
			f.Err = fmt.Errorf("podman's runtime crun does not work with hybrid cgroups and runc is not installed (Debian package runc)")
		}
	}
	return f
}

// hybridCgroups says whether cgroup v1 controllers are mounted with the
// v2 tree beside them in /sys/fs/cgroup/unified.
func hybridCgroups() bool {
	fi, err := os.Stat("/sys/fs/cgroup/unified")
	if err != nil || !fi.IsDir() {
		return false
	}
	_, err = os.Stat("/sys/fs/cgroup/cgroup.controllers") // there only in pure v2
	return err != nil
}
