package jobs

import (
	"fmt"
	"strconv"
	"strings"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// Artifacts is where a job's logs and artifacts go, from its decoration
// config: the bucket (gs://name, a bare GCS bucket name, s3://name for S3
// or an S3-compatible server, or file:///dir for a local directory) and the job's directory in it, in Prow's layout.
type Artifacts struct {
	Bucket string
	// Dir is the job's build directory (no trailing slash).
	Dir    string
	Layout storage.Layout
	Job    storage.Job
}

// ArtifactsOf finds where pj's artifacts go. The job must have a build ID
// and a gcs_configuration with a bucket.
func ArtifactsOf(pj *prowapi.ProwJob) (Artifacts, error) {
	dc := pj.Spec.DecorationConfig
	if dc == nil || dc.GCSConfiguration == nil || dc.GCSConfiguration.Bucket == "" {
		return Artifacts{}, fmt.Errorf("job %s (%s) has no gcs_configuration.bucket: nowhere to put its logs", pj.Name, pj.Spec.Job)
	}
	if pj.Status.BuildID == "" {
		return Artifacts{}, fmt.Errorf("job %s (%s) has no build ID yet", pj.Name, pj.Spec.Job)
	}
	g := dc.GCSConfiguration
	a := Artifacts{
		Bucket: g.Bucket,
		Layout: storage.Layout{PathPrefix: g.PathPrefix, PathStrategy: g.PathStrategy, DefaultOrg: g.DefaultOrg, DefaultRepo: g.DefaultRepo},
		Job:    storage.Job{Type: string(pj.Spec.Type), Name: pj.Spec.Job, BuildID: pj.Status.BuildID},
	}
	if a.Layout.PathStrategy == "" {
		a.Layout.PathStrategy = storage.PathStrategyExplicit
	}
	if r := pj.Spec.Refs; r != nil {
		a.Job.Org, a.Job.Repo = r.Org, r.Repo
		if len(r.Pulls) > 0 {
			a.Job.PR = r.Pulls[0].Number
		}
	}
	dir, err := a.Layout.JobDir(a.Job)
	if err != nil {
		return Artifacts{}, fmt.Errorf("artifacts of job %s (%s): %w", pj.Name, pj.Spec.Job, err)
	}
	a.Dir = dir
	return a, nil
}

// Provider is the storage provider segment of deck's /view/ URLs: gs for
// GCS, s3 for S3, local for a directory.
func (a Artifacts) Provider() string {
	switch {
	case strings.HasPrefix(a.Bucket, "file://"):
		return "local"
	case strings.HasPrefix(a.Bucket, "s3://"):
		return "s3"
	}
	return "gs"
}

// BucketName is the bucket without its scheme (for a local directory,
// the directory).
func (a Artifacts) BucketName() string {
	b := a.Bucket
	for _, scheme := range []string{"gs://", "s3://", "file://"} {
		b = strings.TrimPrefix(b, scheme)
	}
	return strings.TrimSuffix(b, "/")
}

// URL is the job's page under a deck URL prefix (job_url_prefix), in
// Prow's shape: <prefix><provider>/<bucket>/<dir>.
func (a Artifacts) URL(prefix string) string {
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	if a.Provider() == "local" {
		return prefix + "local/" + a.Dir
	}
	return prefix + a.Provider() + "/" + a.BucketName() + "/" + a.Dir
}

// GCSPath is the address of the build directory, as Prow's gcs_path
// gives it: the bucket's address (BucketAddress) and the directory.
func (a Artifacts) GCSPath() string {
	return strings.TrimSuffix(BucketAddress(a.Bucket), "/") + "/" + a.Dir
}

// BuildNumber is the build ID as a number (0 when it is not one).
func BuildNumber(id string) uint64 {
	n, _ := strconv.ParseUint(id, 10, 64)
	return n
}
