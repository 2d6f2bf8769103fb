package storage

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestParseLocation(t *testing.T) {
	cases := []struct {
		name    string
		raw     string
		want    Location
		wantErr bool
	}{
		{name: "a GCS bucket", raw: "gs://kubernetes-ci-logs", want: Location{Scheme: "gs", Bucket: "kubernetes-ci-logs"}},
		{name: "a GCS bucket with a slash", raw: "gs://kubernetes-ci-logs/", want: Location{Scheme: "gs", Bucket: "kubernetes-ci-logs"}},
		{name: "a path in a GCS bucket", raw: "gs://bucket/some/path/", want: Location{Scheme: "gs", Bucket: "bucket", Path: "some/path"}},
		{name: "a file URL", raw: "file:///var/lib/prow/artifacts", want: Location{Scheme: "file", Bucket: "/var/lib/prow/artifacts"}},
		{name: "a file URL on localhost", raw: "file://localhost/srv", want: Location{Scheme: "file", Bucket: "/srv"}},
		{name: "an absolute directory", raw: "/var/artifacts", want: Location{Scheme: "file", Bucket: "/var/artifacts"}},
		{name: "a relative directory", raw: "artifacts", want: Location{Scheme: "file", Bucket: "artifacts"}},
		{name: "nothing", raw: "", wantErr: true},
		{name: "an S3 bucket", raw: "s3://prow-logs", want: Location{Scheme: "s3", Bucket: "prow-logs"}},
		{name: "a path in an S3 bucket", raw: "s3://prow-logs/ci/", want: Location{Scheme: "s3", Bucket: "prow-logs", Path: "ci"}},
		{name: "an S3 URL without a bucket", raw: "s3:///logs", wantErr: true},
		{name: "an S3 URL with nothing", raw: "s3://", wantErr: true},
		{name: "an unsupported scheme", raw: "azure://bucket", wantErr: true},
		{name: "a bad bucket name", raw: "gs://Bad_Bucket", wantErr: true},
		{name: "no bucket", raw: "gs:///path", wantErr: true},
		{name: "a path that climbs", raw: "gs://bucket/../x", wantErr: true},
		{name: "a file URL with a host", raw: "file://relative/dir", wantErr: true},
		{name: "a file URL without a path", raw: "file://", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseLocation(tc.raw)
			if tc.wantErr {
				if err == nil {
					t.Errorf("accepted as %+v", got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestOpenLocalDirectories(t *testing.T) {
	dir := t.TempDir()
	for _, loc := range []string{dir, "file://" + filepath.ToSlash(dir)} {
		t.Run(loc, func(t *testing.T) {
			b, err := Open(t.Context(), loc, GCSOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = b.Close() }()
			if _, ok := b.(*Local); !ok {
				t.Fatalf("opened a %T, want *Local", b)
			}
			write(t, b, "x.txt", "x", WriteOptions{})
			if got := b.URL(""); got != "file://"+filepath.ToSlash(dir) {
				t.Errorf("URL = %q", got)
			}
		})
	}
}

func TestOpenRejectsBadLocations(t *testing.T) {
	if _, err := Open(t.Context(), "gs://bucket/../x", GCSOptions{}); !errors.Is(err, ErrInvalidPath) {
		t.Errorf("err = %v, want ErrInvalidPath", err)
	}
	if _, err := Open(t.Context(), "gs://bucket", GCSOptions{Endpoint: "not a url"}); err == nil {
		t.Error("a relative endpoint should be refused")
	}
	if _, err := Open(t.Context(), "gs://bucket", GCSOptions{CredentialsFile: filepath.Join(t.TempDir(), "missing.json")}); err == nil {
		t.Error("a missing credentials file should be refused")
	}
}

// TestOpenerSharesLocalDirectories: an Opener opens a directory once;
// a bucket's Close leaves it open, and a directory removed meanwhile is
// opened afresh.
func TestOpenerSharesLocalDirectories(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bucket")
	o := NewOpener(GCSOptions{})
	first, err := o.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	write(t, first, "a.txt", "a", WriteOptions{})
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second, err := o.Open(t.Context(), "file://"+filepath.ToSlash(dir))
	if err != nil {
		t.Fatal(err)
	}
	if first.(sharedLocal).Local != second.(sharedLocal).Local {
		t.Error("the second Open of a directory made another Local")
	}
	write(t, second, "b.txt", "b", WriteOptions{}) // still open after the first Close
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	third, err := o.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	write(t, third, "c.txt", "c", WriteOptions{})
	if _, err := os.Stat(filepath.Join(dir, "c.txt")); err != nil {
		t.Errorf("a write after the directory was removed and opened again: %v", err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := third.Attributes(t.Context(), "c.txt"); err == nil {
		t.Error("the Opener's Close left the directory open")
	}
}
