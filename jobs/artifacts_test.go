package jobs

import (
	"testing"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// TestArtifactsURLsByProvider: a job's page under job_url_prefix carries
// its storage provider, as Prow's deck URLs do; its gcs_path is its
// bucket's address and directory.
func TestArtifactsURLsByProvider(t *testing.T) {
	cases := []struct {
		name, bucket                       string
		provider, bucketName, url, gcsPath string
	}{
		{name: "a bare GCS bucket", bucket: "kubernetes-jenkins", provider: "gs", bucketName: "kubernetes-jenkins",
			url: "https://prow.example/view/gs/kubernetes-jenkins/logs/ci-x/7", gcsPath: "gs://kubernetes-jenkins/logs/ci-x/7"},
		{name: "a gs:// bucket", bucket: "gs://kubernetes-jenkins/", provider: "gs", bucketName: "kubernetes-jenkins",
			url: "https://prow.example/view/gs/kubernetes-jenkins/logs/ci-x/7", gcsPath: "gs://kubernetes-jenkins/logs/ci-x/7"},
		{name: "an S3 bucket", bucket: "s3://prow-logs", provider: "s3", bucketName: "prow-logs",
			url: "https://prow.example/view/s3/prow-logs/logs/ci-x/7", gcsPath: "s3://prow-logs/logs/ci-x/7"},
		{name: "a local directory", bucket: "file:///var/lib/prow/artifacts", provider: "local", bucketName: "/var/lib/prow/artifacts",
			url: "https://prow.example/view/local/logs/ci-x/7", gcsPath: "file:///var/lib/prow/artifacts/logs/ci-x/7"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pj := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{Type: prowapi.PeriodicJob, Job: "ci-x",
				DecorationConfig: &prowapi.DecorationConfig{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: tc.bucket}}}}
			pj.Status.BuildID = "7"
			a, err := ArtifactsOf(pj)
			if err != nil {
				t.Fatal(err)
			}
			if a.Provider() != tc.provider || a.BucketName() != tc.bucketName {
				t.Errorf("provider %q, bucket %q; want %q, %q", a.Provider(), a.BucketName(), tc.provider, tc.bucketName)
			}
			if got := a.URL("https://prow.example/view"); got != tc.url {
				t.Errorf("URL = %q, want %q", got, tc.url)
			}
			if got := a.GCSPath(); got != tc.gcsPath {
				t.Errorf("GCSPath = %q, want %q", got, tc.gcsPath)
			}
		})
	}
}
