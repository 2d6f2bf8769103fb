package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prowbot/prow/prow/storage/s3test"
)

// s3Buckets returns a maker of fresh buckets on srv, reached through the
// real AWS SDK client; path is the path inside each bucket.
func s3Buckets(srv *s3test.Server, path string) func(t *testing.T) Bucket {
	var n atomic.Int64
	return func(t *testing.T) Bucket {
		name := fmt.Sprintf("bucket-%d", n.Add(1))
		srv.CreateBucket(t, name)
		b, err := OpenWith(t.Context(), "s3://"+name+"/"+path, Options{S3: S3Options{CredentialsFile: srv.CredentialsFile}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = b.Close() })
		return b
	}
}

func TestS3BucketContract(t *testing.T) {
	testBucketContract(t, s3Buckets(s3test.Start(t), ""))
}

func TestS3BucketBelowAPathContract(t *testing.T) {
	testBucketContract(t, s3Buckets(s3test.Start(t), "some/prefix"))
}

func TestS3BucketBelowAPathStoresUnderIt(t *testing.T) {
	srv := s3test.Start(t)
	b := s3Buckets(srv, "some/prefix/")(t)
	write(t, b, "logs/job/1/started.json", "{}", WriteOptions{})
	got, err := srv.Object(t, "bucket-1", "some/prefix/logs/job/1/started.json")
	if err != nil || string(got) != "{}" {
		t.Errorf("object in the bucket = %q, %v", got, err)
	}
	if got, want := b.URL("logs/job/1"), "s3://bucket-1/some/prefix/logs/job/1"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

// TestS3WriteOfALargeStream: a stream longer than what Write keeps in
// memory goes through a temporary file and arrives whole.
func TestS3WriteOfALargeStream(t *testing.T) {
	b := s3Buckets(s3test.Start(t), "")(t)
	content := strings.Repeat("0123456789abcdef", memoryBuffer/16+1000)
	a, err := b.Write(t.Context(), "build-log.txt", struct{ *strings.Reader }{strings.NewReader(content)}, WriteOptions{})
	if err != nil || a.Size != int64(len(content)) {
		t.Fatalf("write = %+v, %v", a, err)
	}
	if got := read(t, b, "build-log.txt"); got != content {
		t.Errorf("read %d bytes back, want %d", len(got), len(content))
	}
}

func TestOpenerSharesOneS3Client(t *testing.T) {
	srv := s3test.Start(t)
	srv.CreateBucket(t, "first")
	srv.CreateBucket(t, "second")
	o := NewOpenerWith(Options{S3: S3Options{CredentialsFile: srv.CredentialsFile}})
	defer func() { _ = o.Close() }()
	for _, loc := range []string{"s3://first", "s3://second/path", "s3://first"} {
		b, err := o.Open(t.Context(), loc)
		if err != nil {
			t.Fatalf("open %s: %v", loc, err)
		}
		write(t, b, "x.txt", loc, WriteOptions{})
		_ = b.Close()
	}
	if o.s3client == nil {
		t.Fatal("the Opener kept no S3 client")
	}
	got, err := srv.Object(t, "second", "path/x.txt")
	if err != nil || string(got) != "s3://second/path" {
		t.Errorf("object = %q, %v", got, err)
	}
}

func TestS3CredentialsFiles(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name    string
		file    string
		want    S3Credentials
		wantErr string
	}{
		{
			name: "Prow's format",
			file: file("ok.json", `{"region":"eu-west-1","endpoint":"minio.prow.svc:9000","insecure":true,"s3_force_path_style":true,"access_key":"a","secret_key":"s"}`),
			want: S3Credentials{Region: "eu-west-1", Endpoint: "minio.prow.svc:9000", Insecure: true, S3ForcePathStyle: true, AccessKey: "a", SecretKey: "s"},
		},
		{name: "a missing file", file: filepath.Join(dir, "missing.json"), wantErr: "missing.json"},
		{name: "not JSON", file: file("bad.json", "region: x"), wantErr: "bad.json is not valid"},
		{name: "a mistyped field", file: file("typo.json", `{"acces_key":"a"}`), wantErr: "typo.json is not valid"},
		{name: "a key without its secret", file: file("half.json", `{"access_key":"a"}`), wantErr: "half.json: access_key and secret_key go together"},
		{name: "an endpoint that is no URL", file: file("url.json", `{"endpoint":"ftp://x"}`), wantErr: "url.json: endpoint"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadS3Credentials(tc.file)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
	if _, err := OpenWith(t.Context(), "s3://bucket", Options{S3: S3Options{CredentialsFile: filepath.Join(dir, "missing.json")}}); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("opening with a missing credentials file: err = %v, want one naming the file", err)
	}
}

func TestS3EndpointURLs(t *testing.T) {
	cases := []struct {
		creds S3Credentials
		want  string
	}{
		{S3Credentials{Endpoint: "minio:9000", Insecure: true}, "http://minio:9000"},
		{S3Credentials{Endpoint: "minio:9000"}, "https://minio:9000"},
		{S3Credentials{Endpoint: "http://127.0.0.1:9000/"}, "http://127.0.0.1:9000"},
	}
	for _, tc := range cases {
		t.Run(tc.creds.Endpoint, func(t *testing.T) {
			if got, err := tc.creds.endpointURL(); err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestS3RefusingEndpointIsRetriedThenFails: each write is tried
// MaxAttempts times, then fails naming the object.
func TestS3RefusingEndpointIsRetriedThenFails(t *testing.T) {
	refusing := s3test.Refuse(t)
	b, err := OpenWith(t.Context(), "s3://logs", Options{S3: S3Options{CredentialsFile: refusing.CredentialsFile, MaxAttempts: 3, MaxBackoff: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Write(t.Context(), "logs/job/1/build-log.txt", strings.NewReader("log"), WriteOptions{})
	if err == nil || !strings.Contains(err.Error(), "s3://logs/logs/job/1/build-log.txt") {
		t.Fatalf("err = %v, want a write error naming the object", err)
	}
	if errors.Is(err, ErrNotExist) {
		t.Errorf("a refused write is not a missing object: %v", err)
	}
	if got := refusing.Tries(); got != 3 {
		t.Errorf("the endpoint saw %d connections, want 3 (one per try)", got)
	}
}
