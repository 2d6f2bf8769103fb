package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// RerunByAnnotation names the user who asked for a rerun (deck).
const RerunByAnnotation = "prow.k8s.io/rerun-by"

// Rerun creates a new run of pj's job with the same spec, as deck's
// rerun button does, and returns it.
func Rerun(ctx context.Context, c Creator, pj *prowapi.ProwJob, user string, now time.Time) (*prowapi.ProwJob, error) {
	next := NextRun(pj, user, now)
	out, err := c.Create(ctx, next)
	if err != nil {
		return nil, fmt.Errorf("rerun job %s (%s): %w", pj.Name, pj.Spec.Job, err)
	}
	return out, nil
}

// NextRun is the job a rerun of pj creates, not yet stored: pj's spec,
// labels, annotations and namespace under a new name, triggered at now,
// with user (when not empty) in the rerun-by annotation. Deck shows it
// before anything is created.
func NextRun(pj *prowapi.ProwJob, user string, now time.Time) *prowapi.ProwJob {
	next := &prowapi.ProwJob{Spec: *pj.Spec.DeepCopy()}
	next.Labels = map[string]string{}
	for k, v := range pj.Labels {
		next.Labels[k] = v
	}
	next.Annotations = map[string]string{}
	for k, v := range pj.Annotations {
		next.Annotations[k] = v
	}
	if user != "" {
		next.Annotations[RerunByAnnotation] = user
	}
	Rename(next, uuid.NewString())
	next.Namespace = pj.Namespace
	next.Status = prowapi.ProwJobStatus{State: prowapi.TriggeredState, StartTime: metav1.NewTime(now)}
	return next
}

// GetUpdater reads and replaces single jobs.
type GetUpdater interface {
	Getter
	Updater
}

// AbortJob marks one job aborted with description desc, reading it
// again when it changes underneath; the controller then stops its run.
// A job that already ended is left alone (ErrFinished).
func AbortJob(ctx context.Context, s GetUpdater, name, desc string) error {
	for attempt := 0; attempt < 10; attempt++ {
		pj, err := s.Get(ctx, name)
		if err != nil {
			return fmt.Errorf("abort job %s: %w", name, err)
		}
		if pj.Status.State.IsFinal() {
			return fmt.Errorf("abort job %s: %w (it is %s)", name, ErrFinished, pj.Status.State)
		}
		pj = pj.DeepCopy()
		pj.Status.State, pj.Status.Description = prowapi.AbortedState, desc
		if _, err = s.Update(ctx, pj); !errors.Is(err, ErrConflict) {
			if err != nil {
				return fmt.Errorf("abort job %s: %w", name, err)
			}
			return nil
		}
	}
	return fmt.Errorf("abort job %s: %w (it kept changing)", name, ErrConflict)
}
