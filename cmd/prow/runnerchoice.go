package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/pflag"

	"github.com/prowbot/prow/jobs/container"
	"github.com/prowbot/prow/jobs/sandbox"
)

// Environment variables that set the container runner's runtime and
// ulimits when their flags are not given.
const (
	containerRuntimeEnv = "PROW_CONTAINER_RUNTIME"
	containerUlimitsEnv = "PROW_CONTAINER_ULIMITS"
)

// runnerHelp is the help of --runner.
const runnerHelp = "how jobs run: container (the job's image with podman: a read-only image, their own directories, a private /tmp, " +
	"no capabilities, the bot's files and process out of sight), sandbox (bubblewrap: a read-only system, their own directories, " +
	"a private /tmp; the bot's files and process hidden) or host (processes of this user, seeing what it sees); " +
	"empty picks the safest that works here (container, then sandbox, then host with a warning) and logs it"

// containerFlags are the flags of --runner=container.
type containerFlags struct {
	podman  string
	runtime string
	ulimits []string
	// prober probes podman once per process.
	prober container.Prober
}

func (c *containerFlags) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&c.podman, "podman", "podman", "with --runner=container, the podman binary")
	f.StringVar(&c.runtime, "container-runtime", os.Getenv(containerRuntimeEnv),
		"with --runner=container, the OCI runtime podman uses (env "+containerRuntimeEnv+"); empty picks: podman's default, or runc where the host's hybrid cgroups break crun")
	var ulimits []string
	if v := os.Getenv(containerUlimitsEnv); v != "" {
		ulimits = strings.Split(v, ",")
	}
	f.StringSliceVar(&c.ulimits, "container-ulimit", ulimits,
		"with --runner=container, --ulimit values for podman, e.g. nofile=1024:1024 (env "+containerUlimitsEnv+", comma-separated); empty picks: none, or nofile and nproc 1024 with the runc fallback")
}

// options are the container options: the flags, with what the probe
// found where they are empty.
func (c *containerFlags) options(f container.Found, noNetwork bool) container.Options {
	o := container.Options{Podman: f.Podman, Runtime: c.runtime, Ulimits: c.ulimits, NoNetwork: noNetwork}
	if o.Runtime == "" {
		o.Runtime = f.Runtime
	}
	if len(o.Ulimits) == 0 {
		o.Ulimits = f.Ulimits
	}
	return o
}

// bwrapWorks says whether bubblewrap can make a sandbox here: it runs
// true in one, within a few seconds.
func bwrapWorks(ctx context.Context) error {
	path, err := exec.LookPath("bwrap")
	if err != nil {
		return fmt.Errorf("bubblewrap is not installed (Debian package bubblewrap): %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, path, "--unshare-all", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true").CombinedOutput(); err != nil {
		return fmt.Errorf("bubblewrap does not work here: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// chooseRunner settles --runner (empty is the safest available:
// container when podman works, else sandbox when bubblewrap works, else
// host, with a warning) and prepares the chosen one in l.
func (o *serveOptions) chooseRunner(ctx context.Context, l *serveListeners) error {
	o.container.prober.Podman = o.container.podman
	if o.runner == "" {
		if f := o.container.prober.Probe(ctx); f.Err == nil {
			o.runner = "container"
		} else if err := bwrapWorks(ctx); err == nil {
			o.runner = "sandbox"
		} else {
			o.runner = "host"
			newLogger(o.logLevel).WithFields(logrus.Fields{"podman": f.Err.Error(), "bubblewrap": err.Error()}).
				Warn("Neither podman nor bubblewrap works here: jobs run as processes of this user, seeing what it sees (--runner=host)")
		}
	}
	switch o.runner {
	case "sandbox":
		sb := sandbox.Options{NoNetwork: !o.sandboxNetwork, Hide: o.botFiles()}
		if err := sb.Check(); err != nil {
			return fmt.Errorf("--runner=sandbox: %w", err)
		}
		l.isolate = func(argv []string, workDir string, writable []string) ([]string, error) {
			return sb.Wrap(argv, sandbox.Dirs{Work: workDir, Writable: writable})
		}
	case "container":
		f := o.container.prober.Probe(ctx)
		if f.Err != nil {
			return fmt.Errorf("--runner=container: %w", f.Err)
		}
		co := o.container.options(f, !o.sandboxNetwork)
		if err := co.Check(); err != nil {
			return fmt.Errorf("--runner=container: %w", err)
		}
		l.containers = co
	}
	return nil
}
