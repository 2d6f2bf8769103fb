package jobs

import (
	"context"
	"errors"
	"fmt"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// ListUpdater lists and updates jobs: what aborting needs.
type ListUpdater interface {
	Lister
	Updater
}

// AbortedByTrigger is the description of runs trigger aborts.
const AbortedByTrigger = "Aborted by trigger plugin."

// Abort sets every incomplete job f selects to aborted with description
// desc; the controller then stops whatever runs it. A job that changes
// under us is read again and retried. It returns how many it aborted.
func Abort(ctx context.Context, s ListUpdater, f Filter, desc string) (int, error) {
	f.Incomplete = true
	aborted := 0
	for attempt := 0; attempt < 5; attempt++ {
		conflicts := 0
		page := Page{Limit: 500}
		for {
			list, err := s.List(ctx, f, page)
			if err != nil {
				return aborted, fmt.Errorf("list jobs to abort: %w", err)
			}
			for i := range list.Items {
				pj := list.Items[i].DeepCopy()
				pj.Status.State = prowapi.AbortedState
				pj.Status.Description = desc
				_, err := s.Update(ctx, pj)
				switch {
				case errors.Is(err, ErrConflict), errors.Is(err, ErrNotFound):
					conflicts++
				case err != nil:
					return aborted, fmt.Errorf("abort job %s (%s): %w", pj.Name, pj.Spec.Job, err)
				default:
					aborted++
				}
			}
			if list.Continue == "" {
				break
			}
			page.Continue = list.Continue
		}
		if conflicts == 0 {
			return aborted, nil
		}
	}
	return aborted, fmt.Errorf("abort jobs: %w after 5 attempts", ErrConflict)
}
