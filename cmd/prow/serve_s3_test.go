package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/prow/storage/s3test"
)

// s3Plank decorates every job with an s3:// bucket, as a Prow
// configuration pointing at MinIO does.
const s3Plank = `decorate_all_jobs: true
plank:
  default_decoration_config_entries:
  - config:
      gcs_configuration:
        bucket: s3://prow-logs
        path_strategy: explicit
      s3_credentials_secret: s3-credentials
      utility_images: {clonerefs: unused, initupload: unused, entrypoint: unused, sidecar: unused}
`

// TestServeKeepsArtifactsInS3AndShowsThem: `prow serve` runs a job whose
// decoration config points at s3://prow-logs; its logs and metadata land
// on the S3-compatible server, the status links to /view/s3/..., and
// deck shows build-log.txt and finished.json read back from there.
func TestServeKeepsArtifactsInS3AndShowsThem(t *testing.T) {
	bin := buildProw(t)
	s3 := s3test.Start(t)
	s3.CreateBucket(t, "prow-logs")
	w := newServeWorld(t, s3Plank, map[string]string{
		"pull-s3": `echo hello from $JOB_NAME; mkdir -p "$ARTIFACTS" && echo '<testsuite name="s3"/>' > "$ARTIFACTS/junit_1.xml"`,
	})
	args := append(w.args, "--s3-credentials-file", s3.CredentialsFile)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	p := startProw(t, ctx, bin, "Serving", args...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()

	n, sha := w.openPull()
	eventually(t, time.Minute, "the job's success status", func() bool {
		return latest(w.statuses(sha))["pull-s3"].State == "success"
	})
	target := latest(w.statuses(sha))["pull-s3"].TargetURL
	jobDir := fmt.Sprintf("pr-logs/pull/demo_hello/%d/pull-s3/", n)
	if !strings.Contains(target, "/view/s3/prow-logs/"+jobDir) {
		t.Fatalf("the status links to %q, want a /view/s3/prow-logs/%s... page", target, jobDir)
	}

	// In the bucket, in Prow's layout.
	latestBuild, err := s3.Object(t, "prow-logs", jobDir+"latest-build.txt")
	if err != nil {
		t.Fatalf("latest-build.txt: %v", err)
	}
	build := jobDir + strings.TrimSpace(string(latestBuild))
	if !strings.HasSuffix(target, build) {
		t.Errorf("the status links to %q, latest-build.txt names build %s", target, build)
	}
	for _, name := range []string{"started.json", "finished.json", "build-log.txt", "prowjob.json", "artifacts/junit_1.xml"} {
		if _, err := s3.Object(t, "prow-logs", build+"/"+name); err != nil {
			t.Errorf("%s is not in the bucket: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(w.dir, "data", "artifacts", "pr-logs")); err == nil {
		t.Error("the job's artifacts went to the local directory too")
	}

	// Shown by deck, read back from the server.
	page := httpGet(t, target)
	for _, want := range []string{"pull-s3", "hello from pull-s3"} {
		if !strings.Contains(page, want) {
			t.Errorf("the job page does not show %q:\n%.3000s", want, page)
		}
	}
	base := strings.Split(target, "/view/")[0]
	file := func(name string) string {
		return httpGet(t, base+"/file/s3/prow-logs/"+build+"?"+url.Values{"name": {name}}.Encode())
	}
	if log := file("build-log.txt"); !strings.Contains(log, "hello from pull-s3") {
		t.Errorf("build-log.txt through deck = %q", log)
	}
	var finished struct {
		Passed *bool  `json:"passed"`
		Result string `json:"result"`
	}
	if err := json.Unmarshal([]byte(file("finished.json")), &finished); err != nil || finished.Passed == nil || !*finished.Passed || finished.Result != "SUCCESS" {
		t.Errorf("finished.json through deck = %+v, %v", finished, err)
	}
	history := httpGet(t, base+"/job-history/s3/prow-logs/pr-logs/directory/pull-s3")
	if !strings.Contains(history, strings.TrimSpace(string(latestBuild))) {
		t.Errorf("the job history does not list build %s:\n%.3000s", latestBuild, history)
	}
}
