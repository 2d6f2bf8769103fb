package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"path"
	"reflect"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/test/testlog"
)

// jobDir is where decoratedJob's artifacts go.
const jobDir = "pr-logs/pull/o_r/7/pull-unit/42"

func decoratedJob(dir string, state prowapi.ProwJobState) *prowapi.ProwJob {
	start := metav1.NewTime(time.Unix(1700000000, 0))
	pj := &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Name: "abc"},
		Spec: prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: "pull-unit",
			Refs: &prowapi.Refs{Org: "o", Repo: "r", BaseRef: "main", BaseSHA: "base1",
				Pulls: []prowapi.Pull{{Number: 7, SHA: "head1", Author: "alice"}}},
			ExtraRefs: []prowapi.Refs{{Org: "o", Repo: "tools", BaseRef: "main"}},
			DecorationConfig: &prowapi.DecorationConfig{GCSConfiguration: &prowapi.GCSConfiguration{
				Bucket: "file://" + dir, PathStrategy: storage.PathStrategyExplicit}}},
		Status: prowapi.ProwJobStatus{State: state, BuildID: "42", StartTime: start},
	}
	if state.IsFinal() {
		done := metav1.NewTime(start.Add(time.Minute))
		pj.Status.CompletionTime = &done
	}
	return pj
}

func readObject(t *testing.T, b storage.Bucket, name string) ([]byte, bool) {
	t.Helper()
	data, err := b.Read(t.Context(), path.Join(jobDir, name))
	if errors.Is(err, storage.ErrNotExist) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return data, true
}

func TestStorageReporterWritesTheJobsMetadata(t *testing.T) {
	dir := t.TempDir()
	bucket, err := storage.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bucket.Close() })
	opener := storage.NewOpener(storage.GCSOptions{})
	s := NewStorage(opener)

	t.Run("a running job gets prowjob.json, tab-indented, and nothing else", func(t *testing.T) {
		pj := decoratedJob(dir, prowapi.PendingState)
		if !s.ShouldReport(nil, pj) {
			t.Fatal("ShouldReport = false for a job with a bucket")
		}
		if err := s.Report(t.Context(), testlog.Discard(), nil, pj); err != nil {
			t.Fatal(err)
		}
		data, ok := readObject(t, bucket, storage.ProwJobFile)
		want, _ := json.MarshalIndent(pj, "", "\t")
		if !ok || !bytes.Equal(data, want) {
			t.Errorf("prowjob.json = %s, want %s", data, want)
		}
		for _, name := range []string{storage.StartedFile, storage.FinishedFile} {
			if _, ok := readObject(t, bucket, name); ok {
				t.Errorf("%s written for a running job", name)
			}
		}
	})
	t.Run("a finished job gets started.json and finished.json", func(t *testing.T) {
		pj := decoratedJob(dir, prowapi.FailureState)
		if err := s.Report(t.Context(), testlog.Discard(), nil, pj); err != nil {
			t.Fatal(err)
		}
		var got prowapi.ProwJob
		if data, _ := readObject(t, bucket, storage.ProwJobFile); json.Unmarshal(data, &got) != nil || got.Status.State != prowapi.FailureState {
			t.Errorf("prowjob.json not rewritten: state %q", got.Status.State)
		}
		var started storage.Started
		if err := storage.ReadJSON(t.Context(), bucket, path.Join(jobDir, storage.StartedFile), &started); err != nil {
			t.Fatal(err)
		}
		wantStarted := storage.Started{Timestamp: 1700000000, Pull: "7", RepoCommit: "head1", RepoVersion: "head1",
			Repos: map[string]string{"o/r": "main:base1,7:head1", "o/tools": "main"}}
		if !reflect.DeepEqual(started, wantStarted) {
			t.Errorf("started.json = %+v, want %+v", started, wantStarted)
		}
		var finished storage.Finished
		if err := storage.ReadJSON(t.Context(), bucket, path.Join(jobDir, storage.FinishedFile), &finished); err != nil {
			t.Fatal(err)
		}
		if finished.Passed == nil || *finished.Passed || finished.Result != storage.ResultFailure ||
			finished.Revision != "head1" || finished.Timestamp == nil || *finished.Timestamp != 1700000060 {
			t.Errorf("finished.json = %+v", finished)
		}
	})
	t.Run("finished.json and started.json already there are kept", func(t *testing.T) {
		dir := t.TempDir()
		b, err := storage.NewLocal(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = b.Close() }()
		for _, name := range []string{storage.StartedFile, storage.FinishedFile} {
			if _, err := b.Write(t.Context(), path.Join(jobDir, name), strings.NewReader(`{"by":"sidecar"}`), storage.WriteOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Report(t.Context(), testlog.Discard(), nil, decoratedJob(dir, prowapi.SuccessState)); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{storage.StartedFile, storage.FinishedFile} {
			if data, _ := readObject(t, b, name); string(data) != `{"by":"sidecar"}` {
				t.Errorf("%s overwritten: %s", name, data)
			}
		}
	})
	t.Run("a job without a build ID is skipped", func(t *testing.T) {
		dir := t.TempDir()
		pj := decoratedJob(dir, prowapi.TriggeredState)
		pj.Status.BuildID = ""
		if err := s.Report(t.Context(), testlog.Discard(), nil, pj); err != nil {
			t.Errorf("Report = %v, want a skip", err)
		}
	})
	t.Run("a job without a bucket is not reported", func(t *testing.T) {
		pj := decoratedJob(dir, prowapi.SuccessState)
		pj.Spec.DecorationConfig = nil
		if s.ShouldReport(nil, pj) {
			t.Error("ShouldReport = true for a job without a bucket")
		}
		if err := s.Report(t.Context(), testlog.Discard(), nil, pj); err != nil {
			t.Errorf("Report = %v, want a skip", err)
		}
	})
}

func TestFinishedJSONResultFollowsTheState(t *testing.T) {
	cases := []struct {
		state  prowapi.ProwJobState
		passed bool
		result string
	}{
		{prowapi.SuccessState, true, storage.ResultSuccess},
		{prowapi.FailureState, false, storage.ResultFailure},
		{prowapi.ErrorState, false, storage.ResultFailure},
		{prowapi.AbortedState, false, storage.ResultAborted},
	}
	now := time.Unix(1800000000, 0)
	for _, c := range cases {
		t.Run(string(c.state), func(t *testing.T) {
			pj := decoratedJob("/x", c.state)
			pj.Status.CompletionTime = nil
			f := finishedOf(pj, now)
			if *f.Passed != c.passed || f.Result != c.result || *f.Timestamp != now.Unix() {
				t.Errorf("finishedOf = passed %v result %s at %d", *f.Passed, f.Result, *f.Timestamp)
			}
		})
	}
}
