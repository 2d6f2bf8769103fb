package local

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Files of a run directory.
const (
	stateFile    = "state.json"
	buildLogFile = "build-log.txt"
	artifactsDir = "artifacts"
	codeDir      = "code"
)

// state is state.json: what a restarted runner needs to know about a
// run.
type state struct {
	Job     string           `json:"job"`
	BuildID string           `json:"build_id"`
	ProwJob *prowapi.ProwJob `json:"prowjob"`
	Created time.Time        `json:"created"`
	// Started is when the command started, PID its process.
	Started *time.Time `json:"started,omitempty"`
	PID     int        `json:"pid,omitempty"`
	// ExitCode is the command's (128+n when killed by signal n, 127
	// when it could not start).
	ExitCode *int       `json:"exit_code,omitempty"`
	Finished *time.Time `json:"finished,omitempty"`
	// Phase is set once the run is over (a done phase), with the
	// finished.json result and the message of the status.
	Phase    jobs.RunPhase `json:"phase,omitempty"`
	Result   string        `json:"result,omitempty"`
	Message  string        `json:"message,omitempty"`
	Revision string        `json:"revision,omitempty"`
	// Uploaded is set once everything is in the bucket.
	Uploaded bool `json:"uploaded,omitempty"`
}

// end records the outcome of the run.
func (s *state) end(phase jobs.RunPhase, result, message string, at time.Time) {
	s.Phase, s.Result, s.Message = phase, result, message
	s.Finished = &at
}

func (s state) startedAt() time.Time {
	if s.Started == nil {
		return time.Time{}
	}
	return *s.Started
}

func (s state) runStatus() jobs.RunStatus {
	st := jobs.RunStatus{Phase: s.Phase, Message: s.Message, StartedAt: s.startedAt()}
	if s.Finished != nil {
		st.FinishedAt = *s.Finished
	}
	return st
}

// writeState replaces dir's state file atomically.
func writeState(dir string, s state) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encode the state of %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".state-*")
	if err != nil {
		return fmt.Errorf("write the state of %s: %w", dir, err)
	}
	// No fsync: like the job store (SQLite, synchronous=NORMAL) the state
	// survives a crash of this process, which is what a restart recovers
	// from; the rename keeps it whole.
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, stateFile))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write the state of %s: %w", dir, err)
	}
	return nil
}

// readState reads dir's state file; a missing one fails with an error
// wrapping fs.ErrNotExist.
func readState(dir string) (state, error) {
	var s state
	data, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil {
		return s, fmt.Errorf("read the state of %s: %w", dir, err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("decode the state of %s: %w", dir, err)
	}
	if s.ProwJob == nil {
		return s, fmt.Errorf("the state of %s has no ProwJob", dir)
	}
	return s, nil
}
