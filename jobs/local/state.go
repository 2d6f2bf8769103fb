package local

import (
	"bytes"
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

// writeState saves the state: the state file is a log, one JSON state a
// line, the last whole line being the state. Appending makes no new file
// (a file made is the costly part of a save) and a save cut short by a
// crash leaves the previous state readable. No fsync: like the job store
// (SQLite, synchronous=NORMAL) the state survives a crash of this
// process, which is what a restart recovers from.
func writeState(dir string, s state) error {
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode the state of %s: %w", dir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, stateFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("write the state of %s: %w", dir, err)
	}
	// A leading newline ends a line a crash may have cut short.
	_, err = f.Write(append(append(make([]byte, 0, len(data)+2), '\n'), append(data, '\n')...))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write the state of %s: %w", dir, err)
	}
	return nil
}

// readState reads dir's state file; a missing one fails with an error
// wrapping fs.ErrNotExist.
func readState(dir string) (state, error) {
	data, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil {
		return state{}, fmt.Errorf("read the state of %s: %w", dir, err)
	}
	var whole state
	if json.Unmarshal(data, &whole) == nil && whole.ProwJob != nil {
		return whole, nil // one state (or the indented file of earlier versions)
	}
	// The last line that decodes (a crash may have cut the last one).
	for lines := bytes.TrimRight(data, "\n"); len(lines) > 0; {
		i := bytes.LastIndexByte(lines, '\n')
		var s state
		if json.Unmarshal(lines[i+1:], &s) == nil && s.ProwJob != nil {
			return s, nil
		}
		lines = lines[:max(i, 0)]
	}
	return state{}, fmt.Errorf("the state file of %s holds no whole state", dir)
}
