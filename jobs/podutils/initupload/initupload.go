package initupload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/clone"
	"github.com/prowbot/prow/jobs/downward"
	"github.com/prowbot/prow/jobs/podutils/options"
	"github.com/prowbot/prow/jobs/podutils/upload"
	"github.com/prowbot/prow/prow/storage"
)

// Deps are what initupload needs besides its options.
type Deps struct {
	// Open opens the bucket (upload.DefaultOpener when nil).
	Open upload.Opener
	// Now is the clock of started.json (time.Now when nil).
	Now func() time.Time
	// Log logs the run (the standard logger when nil).
	Log *logrus.Entry
}

// ErrCloneFailed is returned (wrapped) when a clone failed: the results
// are uploaded and the test must not run.
var ErrCloneFailed = errors.New("cloning the job's refs failed")

// Run uploads what the job has done so far, for the job of spec with
// the options o (which must be valid).
func Run(ctx context.Context, o options.InitUpload, spec downward.JobSpec, d Deps) error {
	d = d.withDefaults(o)
	var records []clone.Record
	if o.Log != "" {
		var err error
		if records, err = readRecords(o.Log); err != nil {
			return err
		}
	}
	t, err := upload.Open(ctx, spec, o.GCS, d.Open, d.Log)
	if err != nil {
		return err
	}
	defer func() { _ = t.Close() }()

	pj := upload.ProwJobOf(spec, o.Config())
	now := d.Now()
	started := jobs.StartedOf(pj, now)
	if sha := clone.FinalSHA(records); sha != "" {
		started.RepoCommit, started.RepoVersion = sha, sha
	}
	failed := clone.Failed(records)
	var errs []error
	if o.Log != "" {
		cloneLog := []byte(clone.FormatRecords(records))
		errs = append(errs, t.PutBytes(ctx, storage.CloneLogFile, cloneLog), t.PutFile(ctx, storage.CloneRecordsFile, o.Log))
		if failed != nil {
			passed, ts := false, now.Unix()
			finished := storage.Finished{Timestamp: &ts, Passed: &passed, Result: storage.ResultFailure, Revision: jobs.Revision(pj)}
			errs = append(errs, t.PutBytes(ctx, storage.BuildLogFile, cloneLog), t.PutJSON(ctx, storage.FinishedFile, finished))
		}
	}
	errs = append(errs, t.PutJSON(ctx, storage.StartedFile, started), t.Latest(ctx))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("upload the start of job %s build %s to %s: %w", spec.Job, spec.BuildID, t.URL(), err)
	}
	d.Log.WithField("to", t.URL()).Info("Uploaded the start of the job")
	if failed != nil {
		return fmt.Errorf("%w: %w", ErrCloneFailed, failed)
	}
	return nil
}

func (d Deps) withDefaults(o options.InitUpload) Deps {
	if d.Open == nil {
		d.Open = upload.DefaultOpener(o.StorageClient)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = logrus.NewEntry(logrus.StandardLogger())
	}
	return d
}

// readRecords reads the clone records clonerefs wrote.
func readRecords(file string) ([]clone.Record, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read the clone records: %w", err)
	}
	var records []clone.Record
	if err := json.Unmarshal(data, &records); err != nil {
		return nil, fmt.Errorf("decode the clone records in %s: %w", file, err)
	}
	return records, nil
}
