package sidecar

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs/podutils/marker"
	"github.com/prowbot/prow/jobs/podutils/options"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/prow/storage/s3test"
)

// s3Options are w's options with an s3:// bucket and an S3 credentials
// file, as a pod decorated with s3_credentials_secret gets them.
func (w *world) s3Options(credentials string, entries ...options.Wrapper) options.Sidecar {
	o := w.options(entries...)
	o.GCS.GCSConfiguration = &prowapi.GCSConfiguration{Bucket: "s3://prow-logs"}
	o.GCS.S3CredentialsFile = credentials
	return o
}

// passed prepares an entry that passed with a log.
func (w *world) passed(t *testing.T) options.Wrapper {
	e := w.entry("test")
	write(t, e.ProcessLog, "hello from S3\n")
	if err := marker.Write(e.MarkerFile, 0); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestSidecarUploadsToS3: the logs, the artifacts, finished.json and
// latest-build.txt go to an S3-compatible server through the default
// opener and the credentials file, and read back whole.
func TestSidecarUploadsToS3(t *testing.T) {
	srv := s3test.Start(t)
	srv.CreateBucket(t, "prow-logs")
	w := newWorld(t)
	out, err := Run(t.Context(), w.s3Options(srv.CredentialsFile, w.passed(t)), w.spec, Deps{Now: func() time.Time { return now }})
	if err != nil || !out.Passed {
		t.Fatalf("Run = %+v, %v", out, err)
	}
	b, err := storage.OpenWith(t.Context(), "s3://prow-logs", storage.Options{S3: storage.S3Options{CredentialsFile: srv.CredentialsFile}})
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		data, err := b.Read(t.Context(), name)
		if err != nil {
			t.Fatalf("read %s back: %v", name, err)
		}
		return string(data)
	}
	if got := read("logs/post/5/build-log.txt"); got != "hello from S3\n" {
		t.Errorf("build-log.txt = %q", got)
	}
	if got := read("logs/post/5/artifacts/junit.xml"); got != "<testsuite/>" {
		t.Errorf("artifacts/junit.xml = %q", got)
	}
	if got := read("logs/post/latest-build.txt"); got != "5" {
		t.Errorf("latest-build.txt = %q", got)
	}
	var f storage.Finished
	if err := storage.ReadJSON(t.Context(), b, "logs/post/5/finished.json", &f); err != nil || f.Result != "SUCCESS" || !*f.Passed || *f.Timestamp != now.Unix() {
		t.Errorf("finished.json = %+v, %v", f, err)
	}
}

// TestSidecarFailsWhenS3Refuses: against an endpoint that refuses every
// connection each upload is tried a bounded number of times with
// backoff, then Run fails naming the build directory; the sidecar
// container then exits non-zero, so the pod fails and the job ends as
// failure, as with Prow's sidecar.
func TestSidecarFailsWhenS3Refuses(t *testing.T) {
	refusing := s3test.Refuse(t)
	w := newWorld(t)
	o := w.s3Options(refusing.CredentialsFile, w.passed(t))
	open := func(ctx context.Context, loc string) (storage.Bucket, error) {
		return storage.OpenWith(ctx, loc, storage.Options{S3: storage.S3Options{CredentialsFile: o.GCS.S3CredentialsFile, MaxAttempts: 3, MaxBackoff: time.Millisecond}})
	}
	_, err := Run(t.Context(), o, w.spec, Deps{Open: open})
	if err == nil || !strings.Contains(err.Error(), "s3://prow-logs/logs/post/5") {
		t.Fatalf("err = %v, want an upload error naming s3://prow-logs/logs/post/5", err)
	}
	if got := refusing.Tries(); got < 3 || got%3 != 0 {
		t.Errorf("the endpoint saw %d tries, want 3 for each request", got)
	}
}

// TestSidecarNamesABadS3CredentialsFile: a missing or invalid
// credentials file fails the upload with an error naming the file.
func TestSidecarNamesABadS3CredentialsFile(t *testing.T) {
	bad := s3test.WriteCredentials(t, map[string]any{"access_key": "a", "secret": "s"})
	for name, file := range map[string]string{"missing": filepath.Join(t.TempDir(), "nope.json"), "invalid": bad} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			_, err := Run(t.Context(), w.s3Options(file, w.passed(t)), w.spec, Deps{})
			if err == nil || !strings.Contains(err.Error(), file) {
				t.Errorf("err = %v, want one naming %s", err, file)
			}
		})
	}
}
