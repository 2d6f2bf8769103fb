package options

import (
	"errors"
	"fmt"
	"time"
)

// Wrapper describes one wrapped test command: Prow's wrapper.Options.
// Entrypoint runs it; sidecar waits for its marker and uploads its log.
type Wrapper struct {
	// Args are the command and its arguments.
	Args []string `json:"args"`
	// ContainerName is the test container's name.
	ContainerName string `json:"container_name,omitempty"`
	// ProcessLog receives the command's output.
	ProcessLog string `json:"process_log"`
	// MarkerFile receives the command's exit code once it is over.
	MarkerFile string `json:"marker_file"`
	// MetadataFile is a JSON object the command may write, merged into
	// finished.json's metadata.
	MetadataFile string `json:"metadata_file"`
}

// Validate checks where the output and the exit code go.
func (w Wrapper) Validate() error {
	var errs []error
	if w.ProcessLog == "" {
		errs = append(errs, errors.New("no process log (process_log)"))
	}
	if w.MarkerFile == "" {
		errs = append(errs, errors.New("no marker file (marker_file)"))
	}
	return errors.Join(errs...)
}

// Entrypoint are the options of entrypoint: Prow's entrypoint.Options.
type Entrypoint struct {
	// Timeout is how long the command may run before it is interrupted
	// (SIGINT); zero means the default of two hours.
	Timeout time.Duration `json:"timeout"`
	// GracePeriod is how long an interrupted command has to exit before
	// it is killed; zero means the default of 15 seconds.
	GracePeriod time.Duration `json:"grace_period"`
	// ArtifactDir is made before the command starts ($ARTIFACTS).
	ArtifactDir string `json:"artifact_dir,omitempty"`

	// PreviousMarker, when set, is the marker of a step to wait for: the
	// command runs only when that step exited 0.
	PreviousMarker string `json:"previous_marker,omitempty"`
	// AlwaysZero makes entrypoint exit 0 whatever the marker says.
	AlwaysZero bool `json:"always_zero,omitempty"`
	// PropagateErrorCode makes a timed out or interrupted entrypoint
	// exit with the command's own exit code.
	PropagateErrorCode bool `json:"propagate_error_code,omitempty"`

	// CopyModeOnly copies the entrypoint binary to CopyDst and exits:
	// what the place-entrypoint init container does.
	CopyModeOnly bool   `json:"copy_mode_only,omitempty"`
	CopyDst      string `json:"copy_dst,omitempty"`

	Wrapper
}

// Validate checks that there is a command to run and where its results
// go (in copy mode, nothing is needed).
func (o Entrypoint) Validate() error {
	if o.CopyModeOnly {
		return nil
	}
	var errs []error
	if len(o.Args) == 0 || o.Args[0] == "" {
		errs = append(errs, errors.New("no command to run (args)"))
	}
	if o.PropagateErrorCode && o.AlwaysZero {
		errs = append(errs, errors.New("propagate_error_code and always_zero contradict each other"))
	}
	if o.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %s is negative", o.Timeout))
	}
	if o.GracePeriod < 0 {
		errs = append(errs, fmt.Errorf("grace_period %s is negative", o.GracePeriod))
	}
	if err := o.Wrapper.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
