package container

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/prowbot/prow/jobs/sandbox"
)

// Labels on every container of a run.
const (
	// WorkDirLabel names the work dir of the runner that started it.
	WorkDirLabel = "io.prowbot.work-dir"
	// JobLabel names the ProwJob.
	JobLabel = "io.prowbot.prowjob"
)

// Options say how jobs' containers run.
type Options struct {
	// Podman is the podman binary ("podman" in PATH when empty).
	Podman string
	// Runtime is the OCI runtime podman uses (--runtime); empty is
	// podman's default.
	Runtime string
	// Ulimits are --ulimit values ("nofile=1024:1024").
	Ulimits []string
	// NoNetwork cuts the job off the network (--network none).
	NoNetwork bool
}

// Check finds podman.
func (o *Options) Check() error {
	if o.Podman == "" {
		o.Podman = "podman"
	}
	p, err := exec.LookPath(o.Podman)
	if err != nil {
		return fmt.Errorf("the container runner needs podman (Debian package podman): %w", err)
	}
	o.Podman = p
	return nil
}

// Job is one run's command and where it runs.
type Job struct {
	// RunsDir is the runner's work dir; Name the ProwJob's name.
	RunsDir, Name string
	// Image is the image of the job's first container.
	Image string
	// Argv is the command and its arguments; Env its environment
	// ("NAME=value").
	Argv, Env []string
	// Work is the directory the command starts in; Writable the host
	// directories it may write, mounted at the same paths.
	Work     string
	Writable []string
}

// Name is the name of the container of run name of the runner over
// runsDir: unique per machine, and valid whatever the job's name.
func Name(runsDir, name string) string {
	sum := sha256.Sum256([]byte(runsDir + "\x00" + name))
	return "prowjob-" + hex.EncodeToString(sum[:12])
}

// podmanEnv says whether a variable changes how podman itself behaves:
// such a variable is given to the container by value, never to podman.
func podmanEnv(name string) bool {
	for _, p := range []string{"CONTAINERS_", "XDG_", "REGISTRY_", "BUILDAH_", "STORAGE_", "PODMAN", "_CONTAINERS", "DOCKER_", "GODEBUG", "GOTRACEBACK"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return name == "TMPDIR" || name == "HOME" || name == "PATH" || name == "CONTAINER_HOST" || name == "CONTAINER_CONNECTION"
}

// Command is the podman argv that runs j, and the environment podman
// runs with: the job's variables are passed by name (-e NAME, their
// values stay out of the process list), except those podman itself reads.
// PATH and SHELL of the host are not passed (the image's PATH holds);
// HOME and TMPDIR are /tmp. hostPath is podman's own PATH.
func (o Options) Command(j Job, hostPath string) (argv, env []string, err error) {
	if len(j.Argv) == 0 {
		return nil, nil, errors.New("container: no command")
	}
	if j.Image == "" {
		return nil, nil, errors.New("container: the job's container has no image")
	}
	if !filepath.IsAbs(j.Work) {
		return nil, nil, fmt.Errorf("container: work dir %q is not absolute", j.Work)
	}
	argv = []string{o.Podman}
	if o.Runtime != "" {
		argv = append(argv, "--runtime", o.Runtime)
	}
	argv = append(argv, "run", "--rm", "--pull", "never", "--name", Name(j.RunsDir, j.Name),
		"--label", WorkDirLabel+"="+j.RunsDir, "--label", JobLabel+"="+j.Name,
		"--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
		"--pid", "private", "--ipc", "private")
	for _, u := range o.Ulimits {
		argv = append(argv, "--ulimit", u)
	}
	if o.NoNetwork {
		argv = append(argv, "--network", "none")
	}
	binds := j.Writable
	if !sandbox.Under(j.Work, binds) {
		binds = append([]string{j.Work}, binds...)
	}
	for _, b := range binds {
		argv = append(argv, "-v", b+":"+b)
	}
	envArgs, env := jobEnv(j.Env, hostPath)
	argv = append(argv, envArgs...)
	argv = append(argv, "-e", "HOME=/tmp", "-e", "TMPDIR=/tmp", "-w", j.Work, "--entrypoint", j.Argv[0], j.Image)
	return append(argv, j.Argv[1:]...), env, nil
}

// jobEnv is how the job's environment reaches the container: the -e
// arguments and podman's own environment.
func jobEnv(jobEnv []string, hostPath string) (args, env []string) {
	env = []string{"PATH=" + hostPath}
	for _, kv := range jobEnv {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "" || name == "PATH" || name == "SHELL" || name == "HOME" || name == "TMPDIR":
		case podmanEnv(name):
			args = append(args, "-e", kv)
		default:
			args = append(args, "-e", name)
			env = append(env, kv)
		}
	}
	return args, env
}

// Prepare makes sure j's image is here, pulling it when it is missing
// (the pull's output goes to log), and returns the command that runs j
// and its environment.
func (o Options) Prepare(ctx context.Context, j Job, log io.Writer) (argv, env []string, err error) {
	argv, env, err = o.Command(j, os.Getenv("PATH"))
	if err != nil {
		return nil, nil, err
	}
	if exec.CommandContext(ctx, o.Podman, "image", "exists", j.Image).Run() == nil {
		return argv, env, nil
	}
	_, _ = fmt.Fprintf(log, "Image %s is not on this machine: pulling it\n", j.Image)
	pull := exec.CommandContext(ctx, o.Podman, "pull", j.Image)
	pull.Stdout, pull.Stderr = log, log
	if err := pull.Run(); err != nil {
		return nil, nil, fmt.Errorf("pull image %s: %w (its output is above)", j.Image, err)
	}
	return argv, env, nil
}

// Remove removes the container of run name, running or not; a container
// that is gone already is no error.
func (o Options) Remove(ctx context.Context, runsDir, name string) error {
	out, err := exec.CommandContext(ctx, o.Podman, "rm", "--force", "--ignore", "--time", "0", Name(runsDir, name)).CombinedOutput()
	if err != nil {
		return fmt.Errorf("remove the container of job %s: %w: %s", name, err, bytes.TrimSpace(out))
	}
	return nil
}

// RemoveLeftovers removes every container of the runner over runsDir, as
// a runner starting on runsDir finds them: only a killed predecessor can
// have left them. It returns how many there were.
func (o Options) RemoveLeftovers(ctx context.Context, runsDir string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, o.Podman, "ps", "--all", "--quiet", "--no-trunc",
		"--filter", "label="+WorkDirLabel+"="+runsDir).Output()
	if err != nil {
		return 0, fmt.Errorf("list the containers of %s: %w", runsDir, err)
	}
	ids := strings.Fields(string(out))
	if len(ids) == 0 {
		return 0, nil
	}
	if out, err := exec.CommandContext(ctx, o.Podman, append([]string{"rm", "--force", "--ignore", "--time", "0"}, ids...)...).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("remove the containers of %s: %w: %s", runsDir, err, bytes.TrimSpace(out))
	}
	return len(ids), nil
}
