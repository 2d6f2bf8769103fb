package upload

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/jobs/downward"
	"github.com/prowbot/prow/jobs/podutils/options"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

func put(t *testing.T, file, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPodutilUploadTargets(t *testing.T) {
	spec := downward.JobSpec{Type: prowapi.PeriodicJob, Job: "nightly", BuildID: "9"}
	log := logrus.NewEntry(logrus.New())
	for _, tc := range []struct {
		name  string
		gcs   func(dir string) options.GCS
		check func(t *testing.T, dir string)
	}{
		{
			name: "items go below the build directory and its sub_dir, with their media types",
			gcs: func(dir string) options.GCS {
				return options.GCS{SubDir: "sub", GCSConfiguration: &prowapi.GCSConfiguration{
					Bucket: "file://" + filepath.Join(dir, "bucket"), PathPrefix: "prefix", MediaTypes: map[string]string{"log": "text/x-log"},
				}}
			},
			check: func(t *testing.T, dir string) {
				b, err := storage.Open(context.Background(), filepath.Join(dir, "bucket"), storage.GCSOptions{})
				if err != nil {
					t.Fatal(err)
				}
				defer func() { _ = b.Close() }()
				for name, want := range map[string]string{
					"prefix/logs/nightly/9/sub/artifacts/a/b.log": "text/x-log",
					"prefix/logs/nightly/9/sub/single.txt":        "text/plain; charset=utf-8",
				} {
					a, err := b.Attributes(context.Background(), name)
					if err != nil || a.ContentType != want {
						t.Errorf("%s: %+v, %v; want content type %s", name, a, err, want)
					}
				}
				if got, _ := b.Read(context.Background(), "prefix/logs/nightly/latest-build.txt"); string(got) != "9" {
					t.Errorf("latest-build.txt %q", got)
				}
			},
		},
		{
			name: "a local output directory gets the files without the layout",
			gcs: func(dir string) options.GCS {
				return options.GCS{GCSConfiguration: &prowapi.GCSConfiguration{LocalOutputDir: filepath.Join(dir, "out")}}
			},
			check: func(t *testing.T, dir string) {
				for _, f := range []string{"artifacts/a/b.log", "single.txt"} {
					if _, err := os.Stat(filepath.Join(dir, "out", f)); err != nil {
						t.Error(err)
					}
				}
				if _, err := os.Stat(filepath.Join(dir, "out", "logs")); !os.IsNotExist(err) {
					t.Errorf("latest-build.txt in a local output directory: %v", err)
				}
			},
		},
		{
			name: "a dry run uploads nothing",
			gcs: func(dir string) options.GCS {
				return options.GCS{DryRun: true, GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "file://" + filepath.Join(dir, "bucket")}}
			},
			check: func(t *testing.T, dir string) {
				if _, err := os.Stat(filepath.Join(dir, "bucket")); !os.IsNotExist(err) {
					t.Errorf("the dry run wrote: %v", err)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			put(t, filepath.Join(dir, "logs", "artifacts", "a", "b.log"), "log")
			put(t, filepath.Join(dir, "logs", "single.txt"), "single")
			target, err := Open(t.Context(), spec, tc.gcs(dir), DefaultOpener(options.StorageClient{}), log)
			if err != nil {
				t.Fatal(err)
			}
			items := []string{filepath.Join(dir, "logs", "artifacts"), filepath.Join(dir, "logs", "single.txt"), filepath.Join(dir, "missing")}
			if err := target.PutItems(t.Context(), items); err != nil {
				t.Fatal(err)
			}
			if err := target.Latest(t.Context()); err != nil {
				t.Fatal(err)
			}
			if err := target.Close(); err != nil {
				t.Fatal(err)
			}
			tc.check(t, dir)
		})
	}
}

func TestPodutilUploadFilterSeesPathsBelowTheItem(t *testing.T) {
	dir := t.TempDir()
	put(t, filepath.Join(dir, "artifacts", "keep", "x.txt"), "secret")
	put(t, filepath.Join(dir, "artifacts", "y.txt"), "secret")
	g := options.GCS{GCSConfiguration: &prowapi.GCSConfiguration{LocalOutputDir: filepath.Join(dir, "out")}}
	target, err := Open(t.Context(), downward.JobSpec{Type: prowapi.PeriodicJob, Job: "j", BuildID: "1"}, g, DefaultOpener(options.StorageClient{}), logrus.NewEntry(logrus.New()))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = target.Close() }()
	target.SetFilter(func(_, rel string, r io.Reader) io.Reader {
		if strings.HasPrefix(rel, "keep/") {
			return r
		}
		return strings.NewReader("censored")
	})
	if err := target.PutItems(t.Context(), []string{filepath.Join(dir, "artifacts")}); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]string{"artifacts/keep/x.txt": "secret", "artifacts/y.txt": "censored"} {
		if got, _ := os.ReadFile(filepath.Join(dir, "out", f)); string(got) != want {
			t.Errorf("%s = %q, want %q", f, got, want)
		}
	}
}
