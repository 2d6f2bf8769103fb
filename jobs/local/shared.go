package local

import (
	"context"
	"os"
	"time"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// What the local runner does around a job's process that a decorated
// pod's utilities (jobs/podutils) do the same way, exported so that both
// share one implementation.

// StartedOf is started.json of pj, written at now, before its refs are
// cloned: the tested commit is the first pull request's SHA, else the
// base SHA, else the base ref. Put the cloned SHA in RepoCommit and
// RepoVersion once it is known.
func StartedOf(pj *prowapi.ProwJob, now time.Time) storage.Started { return startedOf(pj, now) }

// Revision is finished.json's revision of pj: its first pull request's
// SHA, else its base SHA.
func Revision(pj *prowapi.ProwJob) string { return revision(pj) }

// WriteLatestBuild points the job's latest-build.txt files at its build
// unless one points at a later build already.
func WriteLatestBuild(ctx context.Context, b storage.Bucket, a jobs.Artifacts) error {
	return writeLatestBuild(ctx, b, a)
}

// WriteAlias writes a presubmit's pr-logs/directory/<job>/<build>.txt
// alias of its build directory; it does nothing for other job types.
func WriteAlias(ctx context.Context, b storage.Bucket, a jobs.Artifacts) error {
	return writeAlias(ctx, b, a)
}

// BucketAddress makes a bare bucket name (gcs_configuration.bucket
// without a scheme) a gs:// address; addresses with a scheme are kept.
func BucketAddress(bucket string) string { return bucketAddress(bucket) }

// ExitCode is a finished process's exit code, 128+n when signal n killed
// it.
func ExitCode(ps *os.ProcessState) int { return exitCode(ps) }
