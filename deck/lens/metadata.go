package lens

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// Metadata is what started.json, finished.json and prowjob.json of a
// build say; each is nil when the file is missing.
type Metadata struct {
	Started  *storage.Started
	Finished *storage.Finished
	ProwJob  *prowapi.ProwJob
}

// ReadMetadata reads the metadata files of the build directory dir. A
// missing file is not an error; a file that is not JSON is.
func ReadMetadata(ctx context.Context, b storage.Bucket, dir string) (Metadata, error) {
	var m Metadata
	var started storage.Started
	if ok, err := readOptional(ctx, b, dir+"/"+storage.StartedFile, &started); err != nil {
		return m, err
	} else if ok {
		m.Started = &started
	}
	var finished storage.Finished
	if ok, err := readOptional(ctx, b, dir+"/"+storage.FinishedFile, &finished); err != nil {
		return m, err
	} else if ok {
		m.Finished = &finished
	}
	var pj prowapi.ProwJob
	if ok, err := readOptional(ctx, b, dir+"/"+storage.ProwJobFile, &pj); err != nil {
		return m, err
	} else if ok {
		m.ProwJob = &pj
	}
	return m, nil
}

// ReadStartedFinished reads only started.json and finished.json, as the
// history pages do for every row.
func ReadStartedFinished(ctx context.Context, b storage.Bucket, dir string) (Metadata, error) {
	var m Metadata
	var started storage.Started
	ok, err := readOptional(ctx, b, dir+"/"+storage.StartedFile, &started)
	if err != nil {
		return m, err
	}
	if ok {
		m.Started = &started
	}
	var finished storage.Finished
	if ok, err = readOptional(ctx, b, dir+"/"+storage.FinishedFile, &finished); err != nil {
		return m, err
	}
	if ok {
		m.Finished = &finished
	}
	return m, nil
}

func readOptional(ctx context.Context, b storage.Bucket, name string, v any) (bool, error) {
	data, err := b.Read(ctx, name)
	if errors.Is(err, storage.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %s: %w", name, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("decode %s: %w", name, err)
	}
	return true, nil
}

// State is the build's state as the dashboard shows it: a ProwJob state
// name, or "pending" while running and "unknown" without metadata.
func (m Metadata) State() string {
	if m.Finished != nil {
		switch {
		case m.Finished.Result == storage.ResultAborted:
			return string(prowapi.AbortedState)
		case m.Finished.Passed != nil && *m.Finished.Passed, m.Finished.Result == storage.ResultSuccess:
			return string(prowapi.SuccessState)
		case m.Finished.Result == storage.ResultFailure, m.Finished.Passed != nil:
			return string(prowapi.FailureState)
		}
		return string(prowapi.ErrorState)
	}
	if m.ProwJob != nil && m.ProwJob.Status.State != "" {
		return string(m.ProwJob.Status.State)
	}
	if m.Started != nil {
		return string(prowapi.PendingState)
	}
	return "unknown"
}

// StartTime is when the build started (zero when unknown).
func (m Metadata) StartTime() time.Time {
	switch {
	case m.Started != nil && m.Started.Timestamp > 0:
		return time.Unix(m.Started.Timestamp, 0)
	case m.ProwJob != nil && !m.ProwJob.Status.StartTime.IsZero():
		return m.ProwJob.Status.StartTime.Time
	}
	return time.Time{}
}

// FinishTime is when the build finished (zero when unknown or running).
func (m Metadata) FinishTime() time.Time {
	switch {
	case m.Finished != nil && m.Finished.Timestamp != nil:
		return time.Unix(*m.Finished.Timestamp, 0)
	case m.ProwJob != nil && m.ProwJob.Status.CompletionTime != nil:
		return m.ProwJob.Status.CompletionTime.Time
	}
	return time.Time{}
}

// Duration is how long the build took (zero when unknown).
func (m Metadata) Duration() time.Duration {
	s, f := m.StartTime(), m.FinishTime()
	if s.IsZero() || f.IsZero() || f.Before(s) {
		return 0
	}
	return f.Sub(s)
}

// Revision is the commit the build tested.
func (m Metadata) Revision() string {
	switch {
	case m.Finished != nil && m.Finished.Revision != "":
		return m.Finished.Revision
	case m.Started != nil && m.Started.RepoCommit != "":
		return m.Started.RepoCommit
	case m.Started != nil:
		return m.Started.RepoVersion
	}
	return ""
}

// Repos are the org/repo names the build checked out.
func (m Metadata) Repos() []string {
	var out []string
	if m.ProwJob != nil {
		if r := m.ProwJob.Spec.Refs; r != nil {
			out = append(out, r.Org+"/"+r.Repo)
		}
		for _, r := range m.ProwJob.Spec.ExtraRefs {
			out = append(out, r.Org+"/"+r.Repo)
		}
	}
	if m.Started != nil {
		for repo := range m.Started.Repos {
			out = append(out, repo)
		}
	}
	return out
}
