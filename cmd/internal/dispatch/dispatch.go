package dispatch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// FullBinary is the name of the full binary, installed beside bin/prow.
const FullBinary = "prow-components"

// Component is a subcommand the full binary runs.
type Component struct {
	Name  string
	Short string
}

// Components are the subcommands of the full binary that the front
// hands over, in the order `prow --help` lists them. cmd/prow's tests
// keep them in step with the full binary's commands.
var Components = []Component{
	{"hook", "Receive GitHub webhooks and run the plugins"},
	{"phony", "Send one signed webhook, as GitHub would, to debug a deployment"},
	{"sandbox", "Run a GitHub stand-in with a seeded world, for trying the bot and for tests"},
	{"serve", "Run every component in one process (the embedded mode)"},
	{"deck", "Serve the job dashboard"},
	{"clonerefs", "Clone a job's refs and write the clone records (a pod utility)"},
	{"initupload", "Upload started.json and the clone records (a pod utility)"},
	{"entrypoint", "Run a job's test command with a timeout and record its exit code (a pod utility)"},
	{"sidecar", "Wait for a job's test and upload its logs, artifacts and finished.json (a pod utility)"},
	{"controller", "Drive ProwJobs on Kubernetes: decorated pods, reports, periodics"},
	{"sinker", "Delete old ProwJobs and their pods"},
	{"tide", "Merge pull requests that are ready (merge automation)"},
	{"branchprotector", "Apply config.yaml's branch-protection to GitHub"},
	{"status-reconciler", "Bring open pull requests in line with a changed job configuration"},
	{"ghproxy", "Serve a caching proxy of GitHub's API that every component can share"},
}

// Lookup returns the component named name.
func Lookup(name string) (Component, bool) {
	for _, c := range Components {
		if c.Name == name {
			return c, true
		}
	}
	return Component{}, false
}

// Path is where the full binary is: beside the running executable
// (symbolic links resolved).
func Path() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find this executable: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(self); err == nil {
		self = resolved
	}
	full := filepath.Join(filepath.Dir(self), FullBinary)
	if _, err := os.Stat(full); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("%s is not installed beside %s (make build puts both in bin/)", FullBinary, self)
		}
		return "", fmt.Errorf("find %s: %w", FullBinary, err)
	}
	return full, nil
}

// Exec replaces this process by the full binary run with args (the
// arguments after the program name). It returns only on failure.
func Exec(args []string) error {
	full, err := Path()
	if err != nil {
		return err
	}
	argv := append([]string{full}, args...)
	if err := syscall.Exec(full, argv, os.Environ()); err != nil {
		return fmt.Errorf("run %s: %w", full, err)
	}
	return nil
}
