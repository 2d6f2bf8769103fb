package jobs

import (
	"context"
	"errors"

	"github.com/google/uuid"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/effect"
)

// Rename gives a built job another name (and the matching ID label).
func Rename(pj *prowapi.ProwJob, name string) {
	pj.Name = name
	if pj.Labels != nil {
		pj.Labels[prowapi.ProwJobIDLabel] = name
	}
}

// CreateOnce creates pj the way a plugin handling a delivery must: inside
// a handler call (ctx has an effect.Scope) the job is named after the
// call's next effect key, so when the delivery is replayed after a crash
// the job the first run created is found (ErrExists) and not created
// again. It reports whether this call created the job.
func CreateOnce(ctx context.Context, c Creator, pj *prowapi.ProwJob) (bool, error) {
	scope := effect.From(ctx)
	if scope != nil {
		Rename(pj, uuid.NewSHA1(uuid.NameSpaceURL, []byte("prow-effect:"+scope.Key("job"))).String())
	}
	_, err := c.Create(ctx, pj)
	if err != nil && scope != nil && scope.Replay && errors.Is(err, ErrExists) {
		return false, nil
	}
	return err == nil, err
}
