package deck_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck"
	"github.com/prowbot/prow/jobs/memstore"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/prow/storage/s3test"
	"github.com/prowbot/prow/test/testlog"
)

// TestDeckShowsABuildInS3: a build kept on an S3-compatible server, as
// the pod utilities leave it, is shown at Prow's /view/s3/ URLs: its
// page with the build log, the artifacts and the JUnit results, its
// files, and its job's history.
func TestDeckShowsABuildInS3(t *testing.T) {
	srv := s3test.Start(t)
	srv.CreateBucket(t, "prow-logs")
	opener := storage.NewOpenerWith(storage.Options{S3: storage.S3Options{CredentialsFile: srv.CredentialsFile}})
	t.Cleanup(func() { _ = opener.Close() })
	b, err := opener.Open(context.Background(), "s3://prow-logs")
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"logs/ci-s3/latest-build.txt":        "7",
		"logs/ci-s3/7/started.json":          `{"timestamp": 1700000000}`,
		"logs/ci-s3/7/finished.json":         `{"timestamp": 1700000060, "passed": false, "result": "FAILURE"}`,
		"logs/ci-s3/7/build-log.txt":         "compiling\nTestWidget failed: want 2, got 3\n",
		"logs/ci-s3/7/artifacts/junit_1.xml": `<testsuite name="unit" tests="1" failures="1"><testcase classname="widget" name="TestWidget"><failure message="want 2, got 3">boom</failure></testcase></testsuite>`,
	} {
		if _, err := b.Write(context.Background(), name, strings.NewReader(content), storage.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	cfg := &config.Config{}
	cfg.Deck.AdditionalAllowedBuckets = []string{"s3://prow-logs"}
	store := memstore.New()
	s, err := deck.New(deck.Options{Lister: store, Getter: store, Config: func() *config.Config { return cfg },
		Storage: opener, Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); _ = s.Close() })

	get := func(path string) (int, string) {
		t.Helper()
		status, _, body := fetch(t, ts.URL+path)
		return status, string(body)
	}
	cases := []struct {
		name, path string
		status     int
		want       []string
	}{
		{"the build's page", "/view/s3/prow-logs/logs/ci-s3/7", 200, []string{"ci-s3", "want 2, got 3", "junit_1.xml", "TestWidget"}},
		{"the legacy gcs provider is not S3", "/view/gcs/prow-logs/logs/ci-s3/7", 403, []string{"does not serve bucket gs://prow-logs"}},
		{"a file of the build", "/file/s3/prow-logs/logs/ci-s3/7?" + url.Values{"name": {"finished.json"}}.Encode(), 200, []string{`"result": "FAILURE"`}},
		{"the job's history", "/job-history/s3/prow-logs/logs/ci-s3", 200, []string{"/view/s3/prow-logs/logs/ci-s3/7"}},
		{"a missing build", "/view/s3/prow-logs/logs/ci-s3/8", 404, []string{"Build not found"}},
		{"a bucket the configuration does not name", "/view/s3/other-bucket/logs/ci-s3/7", 403, []string{"does not serve bucket s3://other-bucket"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := get(tc.path)
			if status != tc.status {
				t.Fatalf("GET %s: status %d, want %d:\n%.2000s", tc.path, status, tc.status, body)
			}
			for _, want := range tc.want {
				if !strings.Contains(body, want) {
					t.Errorf("GET %s does not show %q:\n%.3000s", tc.path, want, body)
				}
			}
		})
	}
}
