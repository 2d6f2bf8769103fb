package sidecar

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"

	"github.com/prowbot/prow/jobs/downward"
	"github.com/prowbot/prow/jobs/podutils/marker"
	"github.com/prowbot/prow/jobs/podutils/options"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

var now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestSidecarSummarize(t *testing.T) {
	entries := []options.Wrapper{{MarkerFile: "a"}, {MarkerFile: "b"}}
	for _, tc := range []struct {
		name    string
		results map[string]marker.Result
		want    Outcome
		result  string
	}{
		{name: "all passed", results: map[string]marker.Result{"a": {}, "b": {}}, want: Outcome{Passed: true}, result: "SUCCESS"},
		{name: "one failed", results: map[string]marker.Result{"a": {Code: 1}, "b": {}}, want: Outcome{Failures: 1}, result: "FAILURE"},
		{name: "one timed out", results: map[string]marker.Result{"a": {Code: 127}, "b": {}}, want: Outcome{Failures: 1}, result: "FAILURE"},
		{name: "one aborted", results: map[string]marker.Result{"a": {Code: 130}, "b": {}}, want: Outcome{Aborted: true, Failures: 1}, result: "ABORTED"},
		{name: "one skipped after a failure", results: map[string]marker.Result{"a": {Code: 2}, "b": {Code: 1130}}, want: Outcome{Failures: 1}, result: "FAILURE"},
		{name: "an unreadable marker", results: map[string]marker.Result{"a": {Code: -1, Err: errors.New("bad")}, "b": {}}, want: Outcome{Failures: 1}, result: "FAILURE"},
		{name: "a missing marker", results: map[string]marker.Result{"b": {}}, want: Outcome{Failures: 1}, result: "FAILURE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Summarize(entries, tc.results)
			if got != tc.want || got.Result() != tc.result {
				t.Errorf("%+v (%s), want %+v (%s)", got, got.Result(), tc.want, tc.result)
			}
		})
	}
}

// world is a pod's logs volume and a local bucket.
type world struct {
	logs, bucket string
	spec         downward.JobSpec
}

func newWorld(t *testing.T) *world {
	dir := t.TempDir()
	w := &world{logs: filepath.Join(dir, "logs"), bucket: filepath.Join(dir, "bucket"),
		spec: downward.JobSpec{Type: prowapi.PostsubmitJob, Job: "post", BuildID: "5",
			Refs: &prowapi.Refs{Org: "o", Repo: "r", BaseRef: "main", BaseSHA: "abc"}}}
	write(t, filepath.Join(w.logs, "artifacts", "junit.xml"), "<testsuite/>")
	return w
}

func write(t *testing.T, file, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (w *world) entry(name string) options.Wrapper {
	return options.Wrapper{Args: []string{"run", name}, ContainerName: name,
		ProcessLog: filepath.Join(w.logs, name+"-log.txt"), MarkerFile: filepath.Join(w.logs, name+"-marker.txt"),
		MetadataFile: filepath.Join(w.logs, "artifacts", name+"-metadata.json")}
}

func (w *world) options(entries ...options.Wrapper) options.Sidecar {
	return options.Sidecar{Entries: entries, GCS: options.GCS{
		Items:            []string{filepath.Join(w.logs, "artifacts")},
		GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "file://" + w.bucket},
	}}
}

func (w *world) read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(w.bucket, "logs", "post", "5", filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return string(data)
}

func (w *world) finished(t *testing.T) storage.Finished {
	t.Helper()
	b, err := storage.Open(context.Background(), w.bucket, storage.GCSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	var f storage.Finished
	if err := storage.ReadJSON(context.Background(), b, "logs/post/5/finished.json", &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSidecarRun(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, w *world) options.Sidecar
		want    Outcome
		check   func(t *testing.T, w *world, f storage.Finished)
	}{
		{
			name: "one passed entry: its log, the artifacts and finished.json",
			prepare: func(t *testing.T, w *world) options.Sidecar {
				e := w.entry("test")
				e.MetadataFile = filepath.Join(w.logs, "artifacts", "metadata.json")
				write(t, e.ProcessLog, "hello\n")
				write(t, e.MetadataFile, `{"version":"v1.2"}`)
				write(t, filepath.Join(w.logs, "artifacts", "nested", "x#1.txt"), "x")
				if err := marker.Write(e.MarkerFile, 0); err != nil {
					t.Fatal(err)
				}
				return w.options(e)
			},
			want: Outcome{Passed: true},
			check: func(t *testing.T, w *world, f storage.Finished) {
				if w.read(t, "build-log.txt") != "hello\n" || w.read(t, "artifacts/junit.xml") != "<testsuite/>" || w.read(t, "artifacts/nested/x%231.txt") != "x" {
					t.Error("the log or the artifacts are not uploaded")
				}
				if !*f.Passed || f.Result != "SUCCESS" || f.Revision != "abc" || f.Metadata["version"] != "v1.2" || *f.Timestamp != now.Unix() {
					t.Errorf("finished.json %+v", f)
				}
				if latest, err := os.ReadFile(filepath.Join(w.bucket, "logs", "post", "latest-build.txt")); err != nil || string(latest) != "5" {
					t.Errorf("latest-build.txt %q, %v", latest, err)
				}
			},
		},
		{
			name: "several entries: a build log each, the failure counted, bad metadata reported",
			prepare: func(t *testing.T, w *world) options.Sidecar {
				a, b := w.entry("test-0"), w.entry("test-1")
				write(t, a.ProcessLog, "zero\n")
				write(t, b.ProcessLog, "one\n")
				write(t, a.MetadataFile, `{"a":1}`)
				write(t, b.MetadataFile, `not json`)
				if err := marker.Write(a.MarkerFile, 0); err != nil {
					t.Fatal(err)
				}
				if err := marker.Write(b.MarkerFile, 2); err != nil {
					t.Fatal(err)
				}
				return w.options(a, b)
			},
			want: Outcome{Failures: 1},
			check: func(t *testing.T, w *world, f storage.Finished) {
				if w.read(t, "test-0-build-log.txt") != "zero\n" || w.read(t, "test-1-build-log.txt") != "one\n" {
					t.Error("the build logs are not uploaded per container")
				}
				errs, _ := f.Metadata[ErrorsKey].(map[string]any)
				if *f.Passed || f.Result != "FAILURE" || f.Metadata["a"] != float64(1) || len(errs) != 1 {
					t.Errorf("finished.json %+v", f)
				}
			},
		},
		{
			name: "an aborted entry without a log",
			prepare: func(t *testing.T, w *world) options.Sidecar {
				e := w.entry("test")
				if err := marker.Write(e.MarkerFile, marker.AbortedErrorCode); err != nil {
					t.Fatal(err)
				}
				return w.options(e)
			},
			want: Outcome{Aborted: true, Failures: 1},
			check: func(t *testing.T, w *world, f storage.Finished) {
				if !strings.HasPrefix(w.read(t, "build-log.txt"), "Failed to open") || f.Result != "ABORTED" {
					t.Errorf("build log %q, finished.json %+v", w.read(t, "build-log.txt"), f)
				}
			},
		},
		{
			name: "secrets are censored from the logs and artifacts, but not from excluded directories",
			prepare: func(t *testing.T, w *world) options.Sidecar {
				e := w.entry("test")
				secrets := filepath.Join(w.logs, "..", "secrets")
				write(t, filepath.Join(secrets, "token"), "supersecretvalue\n")
				write(t, filepath.Join(secrets, "..data", "token"), "shadow-not-a-secret")
				write(t, e.ProcessLog, "the token is supersecretvalue, ok\n")
				write(t, filepath.Join(w.logs, "artifacts", "out.txt"), "supersecretvalue")
				write(t, filepath.Join(w.logs, "artifacts", "raw", "keep.txt"), "supersecretvalue")
				if err := marker.Write(e.MarkerFile, 0); err != nil {
					t.Fatal(err)
				}
				o := w.options(e)
				o.CensoringOptions = &options.Censoring{SecretDirectories: []string{secrets}, ExcludeDirectories: []string{"raw"}}
				return o
			},
			want: Outcome{Passed: true},
			check: func(t *testing.T, w *world, _ storage.Finished) {
				stars := strings.Repeat("*", len("supersecretvalue"))
				if got := w.read(t, "build-log.txt"); got != "the token is "+stars+", ok\n" {
					t.Errorf("build log %q", got)
				}
				if w.read(t, "artifacts/out.txt") != stars || w.read(t, "artifacts/raw/keep.txt") != "supersecretvalue" {
					t.Error("the artifacts are not censored as configured")
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			o := tc.prepare(t, w)
			if err := o.Validate(); err != nil {
				t.Fatal(err)
			}
			out, err := Run(t.Context(), o, w.spec, Deps{Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			if out != tc.want {
				t.Errorf("outcome %+v, want %+v", out, tc.want)
			}
			tc.check(t, w, w.finished(t))
		})
	}
}

// notifyingBucket reports each object written.
type notifyingBucket struct {
	storage.Bucket
	written chan<- string
}

func (b notifyingBucket) Write(ctx context.Context, name string, r io.Reader, opts storage.WriteOptions) (storage.Attrs, error) {
	a, err := b.Bucket.Write(ctx, name, r, opts)
	b.written <- name
	return a, err
}

func TestSidecarInterrupted(t *testing.T) {
	for _, ignore := range []bool{false, true} {
		name := "uploads at once, then again when the test is over"
		if ignore {
			name = "ignores the interruption when told to"
		}
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			e := w.entry("test")
			o := w.options(e)
			o.IgnoreInterrupts = ignore
			written := make(chan string, 100)
			open := func(ctx context.Context, loc string) (storage.Bucket, error) {
				b, err := storage.Open(ctx, loc, storage.GCSOptions{})
				return notifyingBucket{Bucket: b, written: written}, err
			}
			sig := make(chan os.Signal) // a send returns once the sidecar took the signal
			done := make(chan error, 1)
			go func() {
				_, err := Run(t.Context(), o, w.spec, Deps{Open: open, Interrupt: sig})
				done <- err
			}()
			sig <- syscall.SIGTERM
			if !ignore {
				for n := <-written; !strings.HasSuffix(n, "finished.json"); n = <-written {
				}
				if f := w.finished(t); f.Result != "ABORTED" || *f.Passed {
					t.Errorf("the early finished.json says %+v", f)
				}
			}
			write(t, e.ProcessLog, "done\n")
			if err := marker.Write(e.MarkerFile, 0); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			close(written)
			finishedWrites := 0
			for n := range written {
				if strings.HasSuffix(n, "finished.json") {
					finishedWrites++
				}
			}
			if finishedWrites != 1 { // the final one (the early one was read above)
				t.Errorf("finished.json written %d more times, want once", finishedWrites)
			}
			if f := w.finished(t); f.Result != "SUCCESS" || w.read(t, "build-log.txt") != "done\n" {
				t.Errorf("the final finished.json says %+v", f)
			}
		})
	}
}

func TestSidecarStopsWaitingWhenTheContextEnds(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Run(ctx, w.options(w.entry("test")), w.spec, Deps{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestSidecarCensorReader(t *testing.T) {
	cen := &censor{secrets: [][]byte{[]byte("abcdef"), []byte("xyz")}, longest: 6}
	for _, tc := range []struct {
		name, in, want string
		oneByte        bool
	}{
		{name: "secrets in one read", in: "1abcdef2xyz3", want: "1******2***3"},
		{name: "secrets split across reads", in: "abcdefxyzabcdef", want: "***************", oneByte: true},
		{name: "no secret", in: "abcde xy", want: "abcde xy", oneByte: true},
		{name: "nothing", in: "", want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r io.Reader = strings.NewReader(tc.in)
			if tc.oneByte {
				r = iotest.OneByteReader(r)
			}
			got, err := io.ReadAll(cen.wrap(r))
			if err != nil || string(got) != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
