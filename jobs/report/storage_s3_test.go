package report

import (
	"testing"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/prow/storage/s3test"
	"github.com/prowbot/prow/test/testlog"
)

// TestStorageReporterWritesToS3: a job whose bucket is s3://... gets its
// prowjob.json, started.json and finished.json on the S3 server.
func TestStorageReporterWritesToS3(t *testing.T) {
	srv := s3test.Start(t)
	srv.CreateBucket(t, "prow-logs")
	opener := storage.NewOpenerWith(storage.Options{S3: storage.S3Options{CredentialsFile: srv.CredentialsFile}})
	t.Cleanup(func() { _ = opener.Close() })
	pj := decoratedJob("", prowapi.SuccessState)
	pj.Spec.DecorationConfig.GCSConfiguration.Bucket = "s3://prow-logs"
	if err := NewStorage(opener).Report(t.Context(), testlog.Discard(), nil, pj); err != nil {
		t.Fatal(err)
	}
	b, err := opener.Open(t.Context(), "s3://prow-logs")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{storage.ProwJobFile, storage.StartedFile, storage.FinishedFile} {
		if _, ok := readObject(t, b, name); !ok {
			t.Errorf("%s is not in the S3 bucket", name)
		}
	}
	var f storage.Finished
	if err := storage.ReadJSON(t.Context(), b, jobDir+"/"+storage.FinishedFile, &f); err != nil || f.Result != storage.ResultSuccess {
		t.Errorf("finished.json = %+v, %v", f, err)
	}
}
