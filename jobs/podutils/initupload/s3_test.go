package initupload

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs/clone"
	"github.com/prowbot/prow/jobs/downward"
	"github.com/prowbot/prow/jobs/podutils/options"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/prow/storage/s3test"
)

// TestInituploadUploadsToS3: started.json and the clone records go to an
// s3:// bucket through the default opener and the credentials file.
func TestInituploadUploadsToS3(t *testing.T) {
	srv := s3test.Start(t)
	srv.CreateBucket(t, "prow-logs")
	refs := &prowapi.Refs{Org: "org", Repo: "repo", BaseRef: "main", BaseSHA: "base", Pulls: []prowapi.Pull{{Number: 7, SHA: "head"}}}
	dir := t.TempDir()
	o := options.InitUpload{Log: filepath.Join(dir, "clone.json"), GCS: options.GCS{
		GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "s3://prow-logs", PathStrategy: "explicit"},
		StorageClient:    options.StorageClient{S3CredentialsFile: srv.CredentialsFile},
	}}
	data, err := json.Marshal([]clone.Record{{Refs: *refs, FinalSHA: "merged"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(o.Log, data, 0o644); err != nil {
		t.Fatal(err)
	}
	spec := downward.JobSpec{Type: prowapi.PresubmitJob, Job: "pull-x", BuildID: "42", Refs: refs}
	if err := Run(t.Context(), o, spec, Deps{Now: func() time.Time { return now }}); err != nil {
		t.Fatal(err)
	}
	b, err := storage.OpenWith(t.Context(), "s3://prow-logs", storage.Options{S3: storage.S3Options{CredentialsFile: srv.CredentialsFile}})
	if err != nil {
		t.Fatal(err)
	}
	var s storage.Started
	readJSON(t, b, "pr-logs/pull/org_repo/7/pull-x/42/started.json", &s)
	if s.Timestamp != now.Unix() || s.Pull != "7" || s.RepoCommit != "merged" {
		t.Errorf("started.json = %+v", s)
	}
	var recs []clone.Record
	readJSON(t, b, "pr-logs/pull/org_repo/7/pull-x/42/clone-records.json", &recs)
	if len(recs) != 1 || recs[0].FinalSHA != "merged" {
		t.Errorf("clone records = %+v", recs)
	}
}
