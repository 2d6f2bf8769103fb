package report

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// StorageReporterName is the storage reporter's key in
// prev_report_states (Prow's name for it).
const StorageReporterName = "gcsreporter"

// Buckets opens buckets by address: gs://name, s3://name or file:///dir.
// *storage.Opener is one.
type Buckets interface {
	Open(ctx context.Context, bucket string) (storage.Bucket, error)
}

var _ Buckets = (*storage.Opener)(nil)

// Storage writes a job's metadata into its artifacts directory:
// prowjob.json on every state change, and started.json and finished.json
// when the job ends, if the job's own utilities did not write them.
type Storage struct {
	buckets Buckets
	now     func() time.Time
}

var _ Reporter = (*Storage)(nil)

// NewStorage returns a storage reporter opening buckets with b.
func NewStorage(b Buckets) *Storage {
	return &Storage{buckets: b, now: time.Now}
}

// Name implements Reporter.
func (s *Storage) Name() string { return StorageReporterName }

// ShouldReport implements Reporter: every job with a bucket; Report
// skips those that have no build ID yet.
func (s *Storage) ShouldReport(_ *config.Config, pj *prowapi.ProwJob) bool {
	dc := pj.Spec.DecorationConfig
	return dc != nil && dc.GCSConfiguration != nil && dc.GCSConfiguration.Bucket != ""
}

// Report implements Reporter.
func (s *Storage) Report(ctx context.Context, log *logrus.Entry, _ *config.Config, pj *prowapi.ProwJob) error {
	a, err := jobs.ArtifactsOf(pj)
	if err != nil {
		log.WithError(err).Debug("The job has no artifacts directory; not writing its metadata")
		return nil
	}
	b, err := s.buckets.Open(ctx, jobs.BucketAddress(a.Bucket))
	if err != nil {
		return fmt.Errorf("open bucket %s of job %s: %w", a.Bucket, pj.Name, err)
	}
	defer func() { _ = b.Close() }()
	name := path.Join(a.Dir, storage.ProwJobFile)
	if _, err := storage.WriteJSON(ctx, b, name, pj, storage.WriteOptions{}); err != nil {
		return fmt.Errorf("write %s of job %s: %w", b.URL(name), pj.Name, err)
	}
	if !pj.Status.State.IsFinal() {
		return nil
	}
	// started.json first, so a reader never sees a finished build that
	// did not start.
	if err := writeIfMissing(ctx, b, path.Join(a.Dir, storage.StartedFile), startedOf(pj)); err != nil {
		return fmt.Errorf("job %s: %w", pj.Name, err)
	}
	if err := writeIfMissing(ctx, b, path.Join(a.Dir, storage.FinishedFile), finishedOf(pj, s.now())); err != nil {
		return fmt.Errorf("job %s: %w", pj.Name, err)
	}
	return nil
}

// writeIfMissing writes v as JSON under name unless an object is there.
func writeIfMissing(ctx context.Context, b storage.Bucket, name string, v any) error {
	_, err := storage.WriteJSON(ctx, b, name, v, storage.WriteOptions{DoesNotExist: true})
	if err != nil && !errors.Is(err, storage.ErrPreconditionFailed) {
		return fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	return nil
}

// revision is the commit a job tested: the first pull's head, else the
// base SHA, else the base ref.
func revision(refs *prowapi.Refs) string {
	switch {
	case refs == nil:
		return ""
	case len(refs.Pulls) > 0 && refs.Pulls[0].SHA != "":
		return refs.Pulls[0].SHA
	case refs.BaseSHA != "":
		return refs.BaseSHA
	}
	return refs.BaseRef
}

// startedOf is the started.json of a job whose utilities wrote none.
func startedOf(pj *prowapi.ProwJob) storage.Started {
	st := storage.Started{Timestamp: pj.Status.StartTime.Unix()}
	if pj.Status.StartTime.IsZero() {
		st.Timestamp = pj.CreationTimestamp.Unix()
	}
	refs := pj.Spec.Refs
	if refs == nil {
		return st
	}
	if len(refs.Pulls) > 0 {
		st.Pull = strconv.Itoa(refs.Pulls[0].Number)
	}
	st.Repos = map[string]string{refs.OrgRepoString(): refs.String()}
	for _, extra := range pj.Spec.ExtraRefs {
		st.Repos[extra.OrgRepoString()] = extra.String()
	}
	st.RepoCommit = revision(refs)
	st.RepoVersion = st.RepoCommit
	return st
}

// finishedOf is the finished.json of a job whose utilities wrote none;
// now stands in for a missing completion time.
func finishedOf(pj *prowapi.ProwJob, now time.Time) storage.Finished {
	ts := now.Unix()
	if c := pj.Status.CompletionTime; c != nil {
		ts = c.Unix()
	}
	passed := pj.Status.State == prowapi.SuccessState
	return storage.Finished{
		Timestamp: &ts,
		Passed:    &passed,
		Result:    resultOf(pj.Status.State),
		Revision:  revision(pj.Spec.Refs),
	}
}

// resultOf is finished.json's result for a final state.
func resultOf(s prowapi.ProwJobState) string {
	switch s {
	case prowapi.SuccessState:
		return storage.ResultSuccess
	case prowapi.AbortedState:
		return storage.ResultAborted
	}
	return storage.ResultFailure
}
