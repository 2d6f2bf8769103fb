package initupload

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs/clone"
	"github.com/prowbot/prow/jobs/downward"
	"github.com/prowbot/prow/jobs/podutils/options"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

var now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func readJSON(t *testing.T, b storage.Bucket, name string, v any) {
	t.Helper()
	if err := storage.ReadJSON(context.Background(), b, name, v); err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
}

func exists(b storage.Bucket, name string) bool {
	_, err := b.Attributes(context.Background(), name)
	return err == nil
}

func TestInituploadRun(t *testing.T) {
	refs := &prowapi.Refs{Org: "org", Repo: "repo", BaseRef: "main", BaseSHA: "base"}
	pr := &prowapi.Refs{Org: "org", Repo: "repo", BaseRef: "main", BaseSHA: "base", Pulls: []prowapi.Pull{{Number: 7, SHA: "head"}}}
	good := []clone.Record{{Refs: *refs, Commands: []clone.Command{{Command: "git init"}}, FinalSHA: "cloned"}}
	bad := []clone.Record{{Refs: *refs, Commands: []clone.Command{{Command: "git fetch", Error: "exit status 128"}}, Failed: true}}
	for _, tc := range []struct {
		name    string
		spec    downward.JobSpec
		records []clone.Record
		noLog   bool
		wantErr error
		check   func(t *testing.T, b storage.Bucket)
	}{
		{
			name:    "a postsubmit that cloned",
			spec:    downward.JobSpec{Type: prowapi.PostsubmitJob, Job: "post", BuildID: "100", Refs: refs},
			records: good,
			check: func(t *testing.T, b storage.Bucket) {
				var s storage.Started
				readJSON(t, b, "logs/post/100/started.json", &s)
				if s.Timestamp != now.Unix() || s.RepoCommit != "cloned" || s.RepoVersion != "cloned" || s.Repos["org/repo"] != "main:base" {
					t.Errorf("started.json: %+v", s)
				}
				var recs []clone.Record
				readJSON(t, b, "logs/post/100/clone-records.json", &recs)
				if len(recs) != 1 || recs[0].FinalSHA != "cloned" {
					t.Errorf("clone records: %+v", recs)
				}
				if log, _ := b.Read(context.Background(), "logs/post/100/clone-log.txt"); !strings.Contains(string(log), "# Cloning org/repo at main(base)") {
					t.Errorf("clone log: %s", log)
				}
				if exists(b, "logs/post/100/finished.json") || exists(b, "logs/post/100/build-log.txt") {
					t.Error("a successful clone should not finish the job")
				}
				if latest, _ := b.Read(context.Background(), "logs/post/latest-build.txt"); string(latest) != "100" {
					t.Errorf("latest-build.txt: %q", latest)
				}
			},
		},
		{
			name:    "a failed clone finishes the job as failed and fails",
			spec:    downward.JobSpec{Type: prowapi.PostsubmitJob, Job: "post", BuildID: "101", Refs: refs},
			records: bad, wantErr: ErrCloneFailed,
			check: func(t *testing.T, b storage.Bucket) {
				var f storage.Finished
				readJSON(t, b, "logs/post/101/finished.json", &f)
				if f.Passed == nil || *f.Passed || f.Result != storage.ResultFailure || f.Revision != "base" || *f.Timestamp != now.Unix() {
					t.Errorf("finished.json: %+v", f)
				}
				build, _ := b.Read(context.Background(), "logs/post/101/build-log.txt")
				cloneLog, _ := b.Read(context.Background(), "logs/post/101/clone-log.txt")
				if !strings.HasPrefix(string(build), "# FAILED!") || string(build) != string(cloneLog) {
					t.Errorf("build log %q, clone log %q", build, cloneLog)
				}
				if !exists(b, "logs/post/101/started.json") {
					t.Error("no started.json")
				}
			},
		},
		{
			name:  "a presubmit that clones nothing",
			spec:  downward.JobSpec{Type: prowapi.PresubmitJob, Job: "pull", BuildID: "102", Refs: pr},
			noLog: true,
			check: func(t *testing.T, b storage.Bucket) {
				dir := "pr-logs/pull/org_repo/7/pull/102/"
				var s storage.Started
				readJSON(t, b, dir+"started.json", &s)
				if s.Pull != "7" || s.RepoCommit != "head" {
					t.Errorf("started.json: %+v", s)
				}
				if exists(b, dir+"clone-records.json") {
					t.Error("clone records without a clone")
				}
				alias, _ := b.Read(context.Background(), "pr-logs/directory/pull/102.txt")
				if !strings.HasSuffix(string(alias), "/"+strings.TrimSuffix(dir, "/")) {
					t.Errorf("alias: %q", alias)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			o := options.InitUpload{GCS: options.GCS{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "file://" + filepath.Join(dir, "bucket")}}}
			if !tc.noLog {
				o.Log = filepath.Join(dir, "clone.json")
				data, err := json.Marshal(tc.records)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(o.Log, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := Run(t.Context(), o, tc.spec, Deps{Now: func() time.Time { return now }})
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			b, err := storage.Open(t.Context(), filepath.Join(dir, "bucket"), storage.GCSOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = b.Close() }()
			tc.check(t, b)
		})
	}
}

func TestInituploadUploadsNothingWithoutRecords(t *testing.T) {
	dir := t.TempDir()
	bucket := filepath.Join(dir, "bucket")
	o := options.InitUpload{GCS: options.GCS{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "file://" + bucket}}, Log: filepath.Join(dir, "missing.json")}
	spec := downward.JobSpec{Type: prowapi.PeriodicJob, Job: "p", BuildID: "1"}
	if err := Run(t.Context(), o, spec, Deps{}); err == nil || !strings.Contains(err.Error(), "read the clone records") {
		t.Errorf("err = %v", err)
	}
	if _, err := os.Stat(bucket); !os.IsNotExist(err) {
		t.Errorf("something was uploaded: %v", err)
	}
}

func TestInituploadDryRunUploadsNothing(t *testing.T) {
	o := options.InitUpload{GCS: options.GCS{DryRun: true}}
	spec := downward.JobSpec{Type: prowapi.PeriodicJob, Job: "p", BuildID: "1"}
	if err := Run(t.Context(), o, spec, Deps{}); err != nil {
		t.Error(err)
	}
}
