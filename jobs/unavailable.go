package jobs

import (
	"context"
	"errors"
	"fmt"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// ErrNoStore is returned by Unavailable: the process was started without
// a job store, so it cannot start or abort jobs.
var ErrNoStore = errors.New("no job store is configured in this process (run `prow serve`, or give hook a job store)")

// Unavailable is the store of a process that has none: every call fails
// with ErrNoStore, so a plugin that needs jobs says so in the log instead
// of dropping the request silently.
type Unavailable struct{}

// Create implements Creator.
func (Unavailable) Create(_ context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	return nil, fmt.Errorf("create job %s: %w", pj.Spec.Job, ErrNoStore)
}

// List implements Lister.
func (Unavailable) List(context.Context, Filter, Page) (*List, error) {
	return nil, fmt.Errorf("list jobs: %w", ErrNoStore)
}

// Update implements Updater.
func (Unavailable) Update(_ context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	return nil, fmt.Errorf("update job %s: %w", pj.Name, ErrNoStore)
}
