package v1

import (
	"strings"
	"testing"
	"time"
)

func strp(s string) *string { return &s }
func boolp(b bool) *bool    { return &b }

func TestApplyDefault(t *testing.T) {
	def := &DecorationConfig{
		Timeout:              NewDuration(2 * time.Hour),
		GracePeriod:          NewDuration(15 * time.Minute),
		UtilityImages:        &UtilityImages{CloneRefs: "c:1", InitUpload: "i:1", Entrypoint: "e:1", Sidecar: "s:1"},
		GCSConfiguration:     &GCSConfiguration{Bucket: "default-bucket", PathStrategy: "legacy", DefaultOrg: "k", DefaultRepo: "k"},
		GCSCredentialsSecret: strp("service-account"),
		BloblessFetch:        boolp(true),
	}
	cases := []struct {
		name  string
		job   *DecorationConfig
		def   *DecorationConfig
		check func(t *testing.T, got *DecorationConfig)
	}{
		{"both nil", nil, nil, func(t *testing.T, got *DecorationConfig) {
			if got != nil {
				t.Errorf("got %+v, want nil", got)
			}
		}},
		{"no job config takes the default", nil, def, func(t *testing.T, got *DecorationConfig) {
			if got.Timeout.Get() != 2*time.Hour || got.GCSConfiguration.Bucket != "default-bucket" {
				t.Errorf("got %+v", got)
			}
		}},
		{"no default keeps the job's", &DecorationConfig{Timeout: NewDuration(time.Hour)}, nil, func(t *testing.T, got *DecorationConfig) {
			if got.Timeout.Get() != time.Hour || got.UtilityImages != nil {
				t.Errorf("got %+v", got)
			}
		}},
		{"the job's fields win", &DecorationConfig{Timeout: NewDuration(time.Hour), GCSCredentialsSecret: strp("")}, def, func(t *testing.T, got *DecorationConfig) {
			if got.Timeout.Get() != time.Hour || got.GracePeriod.Get() != 15*time.Minute {
				t.Errorf("timeouts %v %v", got.Timeout, got.GracePeriod)
			}
			if *got.GCSCredentialsSecret != "" {
				t.Errorf("an explicitly empty secret should win, got %q", *got.GCSCredentialsSecret)
			}
		}},
		{"images merge field by field", &DecorationConfig{UtilityImages: &UtilityImages{Sidecar: "mine"}}, def, func(t *testing.T, got *DecorationConfig) {
			want := UtilityImages{CloneRefs: "c:1", InitUpload: "i:1", Entrypoint: "e:1", Sidecar: "mine"}
			if *got.UtilityImages != want {
				t.Errorf("images %+v", got.UtilityImages)
			}
		}},
		{"storage merges field by field", &DecorationConfig{GCSConfiguration: &GCSConfiguration{Bucket: "mine"}}, def, func(t *testing.T, got *DecorationConfig) {
			g := got.GCSConfiguration
			if g.Bucket != "mine" || g.PathStrategy != "legacy" || g.DefaultOrg != "k" {
				t.Errorf("gcs %+v", g)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.job.ApplyDefault(tc.def)
			tc.check(t, got)
			if got != nil && tc.def != nil && got.UtilityImages == tc.def.UtilityImages {
				t.Error("the result shares the default's images: later edits would leak")
			}
		})
	}
	if def.UtilityImages.Sidecar != "s:1" {
		t.Error("ApplyDefault modified the default")
	}
}

func TestDecorationValidate(t *testing.T) {
	good := func() *DecorationConfig {
		return &DecorationConfig{
			UtilityImages:    &UtilityImages{CloneRefs: "c", InitUpload: "i", Entrypoint: "e", Sidecar: "s"},
			GCSConfiguration: &GCSConfiguration{Bucket: "b", PathStrategy: "explicit"},
		}
	}
	cases := []struct {
		name   string
		mutate func(d *DecorationConfig)
		want   string
	}{
		{"valid", func(*DecorationConfig) {}, ""},
		{"no images", func(d *DecorationConfig) { d.UtilityImages = nil }, "utility_images are required"},
		{"a missing image", func(d *DecorationConfig) { d.UtilityImages.Sidecar = "" }, "utility_images.sidecar is required"},
		{"a bad path strategy", func(d *DecorationConfig) { d.GCSConfiguration.PathStrategy = "odd" }, `path_strategy "odd" is not one of`},
		{"legacy without defaults", func(d *DecorationConfig) { d.GCSConfiguration.PathStrategy = "legacy" }, "needs default_org and default_repo"},
		{"a zero timeout", func(d *DecorationConfig) { d.Timeout = NewDuration(0) }, "timeout 0s must be positive"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := good()
			tc.mutate(d)
			err := d.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestValidateBucket(t *testing.T) {
	cases := []struct {
		bucket  string
		wantErr string
	}{
		{bucket: "kubernetes-jenkins"},
		{bucket: "gs://kubernetes-jenkins"},
		{bucket: "s3://prow-logs"},
		{bucket: "s3://prow-logs/some/path"},
		{bucket: "file:///var/lib/prow/artifacts"},
		{bucket: "file://localhost/srv"},
		{bucket: "s3://", wantErr: `"s3://" names no bucket`},
		{bucket: "s3:///logs", wantErr: `"s3:///logs" names no bucket`},
		{bucket: "gs://", wantErr: "names no bucket"},
		{bucket: "s3://Bad_Bucket", wantErr: "is not a bucket name"},
		{bucket: "file://relative/dir", wantErr: "absolute path"},
		{bucket: "azure://x", wantErr: "unsupported scheme"},
	}
	for _, tc := range cases {
		t.Run(tc.bucket, func(t *testing.T) {
			err := ValidateBucket(tc.bucket)
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}
