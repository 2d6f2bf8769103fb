package local

import (
	"context"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/prow/storage/s3test"
)

// s3Runner is a runner of e whose buckets are opened with opts.
func (e *testEnv) s3Runner(opts storage.S3Options) *Runner {
	e.t.Helper()
	log := logrus.New()
	log.SetLevel(logrus.FatalLevel)
	opener := storage.NewOpenerWith(storage.Options{S3: opts})
	e.t.Cleanup(func() { _ = opener.Close() })
	r, err := New(Options{WorkDir: e.t.TempDir(), Buckets: opener,
		RemoteURL: func(org, repo string) string { return e.gitURL + "/" + org + "/" + repo + ".git" },
		Logger:    logrus.NewEntry(log)})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = r.Close() })
	return r
}

// inS3 points pj's artifacts at s3://prow-logs.
func inS3(pj *prowapi.ProwJob) *prowapi.ProwJob {
	pj.Spec.DecorationConfig.GCSConfiguration.Bucket = "s3://prow-logs"
	return pj
}

func TestLocalRunUploadsToS3(t *testing.T) {
	srv := s3test.Start(t)
	srv.CreateBucket(t, "prow-logs")
	e := newTestEnv(t)
	e.r = e.s3Runner(storage.S3Options{CredentialsFile: srv.CredentialsFile})
	pj := inS3(e.presubmit("run1", "sh", "-c", `echo hello from S3; cat added.txt; mkdir -p "$ARTIFACTS"; echo '<testsuite/>' > "$ARTIFACTS/junit.xml"`))
	if st := e.run(pj); st.Phase != jobs.RunSucceeded {
		t.Fatalf("status %+v", st)
	}
	a, err := jobs.ArtifactsOf(pj)
	if err != nil {
		t.Fatal(err)
	}
	object := func(name string) string {
		data, err := srv.Object(t, "prow-logs", path.Join(a.Dir, name))
		if err != nil {
			t.Fatalf("%s is not in the bucket: %v", name, err)
		}
		return string(data)
	}
	if log := object("build-log.txt"); !strings.Contains(log, "hello from S3") || !strings.Contains(log, "from the PR") {
		t.Errorf("build-log.txt = %q", log)
	}
	if got := object("artifacts/junit.xml"); got != "<testsuite/>\n" {
		t.Errorf("artifacts/junit.xml = %q", got)
	}
	for _, name := range []string{"started.json", "finished.json", "clone-records.json"} {
		object(name)
	}
	if got, err := srv.Object(t, "prow-logs", "pr-logs/directory/pull-hello/latest-build.txt"); err != nil || string(got) != pj.Status.BuildID {
		t.Errorf("latest-build.txt = %q, %v", got, err)
	}
	if got := a.URL("/view/"); !strings.HasPrefix(got, "/view/s3/prow-logs/pr-logs/pull/") {
		t.Errorf("the job's page is %q, want one under /view/s3/prow-logs/", got)
	}
}

// TestLocalRunFailsWhenS3Refuses: each request to an endpoint that
// refuses is tried a bounded number of times, then the run fails as a
// pod whose sidecar cannot upload does (the job ends as failure).
func TestLocalRunFailsWhenS3Refuses(t *testing.T) {
	refusing := s3test.Refuse(t)
	e := newTestEnv(t)
	e.r = e.s3Runner(storage.S3Options{CredentialsFile: refusing.CredentialsFile, MaxAttempts: 2, MaxBackoff: time.Millisecond})
	st := e.run(inS3(e.periodic("run2", "sh", "-c", "echo passing")))
	if st.Phase != jobs.RunFailed || st.Message != uploadFailedMessage {
		t.Fatalf("status %+v, want %s with %q", st, jobs.RunFailed, uploadFailedMessage)
	}
	if got := refusing.Tries(); got < 2 || got%2 != 0 {
		t.Errorf("the endpoint saw %d tries, want 2 for each request", got)
	}
	// The outcome stands: a later status does not try again.
	before := refusing.Tries()
	again, err := e.r.Status(context.Background(), inS3(e.periodic("run2")))
	if err != nil || again.Phase != jobs.RunFailed || refusing.Tries() != before {
		t.Errorf("a later status = %+v, %v after %d more tries", again, err, refusing.Tries()-before)
	}
}
