package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/pubsub/v2/pstest"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/local"
	"github.com/prowbot/prow/jobs/report/pubsub"
	"github.com/prowbot/prow/jobs/report/reporttest"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/mapkeys"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/test/testlog"
)

func TestReporterFlagsAreChecked(t *testing.T) {
	cases := []struct {
		name    string
		flags   reporterFlags
		wantErr bool
		want    map[string]string
	}{
		{"nothing turned on", reporterFlags{slackWorkers: 1}, false, map[string]string{}},
		{"one token file is the default workspace", reporterFlags{slackTokenFiles: []string{"/etc/slack/token"}, slackWorkers: 1}, false,
			map[string]string{"": "/etc/slack/token"}},
		{"workspaces by host", reporterFlags{slackTokenFiles: []string{"/a", "other.slack.com=/b"}, slackWorkers: 1}, false,
			map[string]string{"": "/a", "other.slack.com": "/b"}},
		{"two files for one host", reporterFlags{slackTokenFiles: []string{"/a", "/b"}}, true, nil},
		{"a host without a file", reporterFlags{slackTokenFiles: []string{"h="}}, true, nil},
		{"negative workers", reporterFlags{pubsubWorkers: -1}, true, nil},
		{"an emulator without the reporter", reporterFlags{pubsubEndpoint: "127.0.0.1:1"}, true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.flags.Validate()
			if (err != nil) != tc.wantErr {
				t.Fatalf("Validate = %v, want an error: %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			got, _ := tc.flags.slackTokens()
			if len(got) != len(tc.want) {
				t.Fatalf("tokens = %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("token of %q = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

// TestTheFlagsWireSlackAndPubSubIntoCrier: with --slack-token-file and
// --pubsub-workers, the job loops of `prow serve` and `prow controller`
// include a Slack loop and a Pub/Sub loop, which report a failed job to
// a local chat.postMessage server and to Google's in-process Pub/Sub.
func TestTheFlagsWireSlackAndPubSubIntoCrier(t *testing.T) {
	var mu sync.Mutex
	var texts []string
	slackSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/chat.postMessage" || r.Header.Get("Authorization") != "Bearer xoxb-flags" || r.FormValue("channel") != "alerts" {
			_, _ = w.Write([]byte(`{"ok":false,"error":"invalid_auth"}`))
			return
		}
		mu.Lock()
		texts = append(texts, r.FormValue("text"))
		mu.Unlock()
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(slackSrv.Close)
	ps := pstest.NewServer()
	t.Cleanup(func() { _ = ps.Close() })
	if _, err := ps.GServer.CreateTopic(t.Context(), &pubsubpb.Topic{Name: "projects/proj/topics/results"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	token := filepath.Join(dir, "slack-token")
	if err := os.WriteFile(token, []byte("xoxb-flags\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	flags := reporterFlags{slackTokenFiles: []string{token}, slackAPIURL: slackSrv.URL + "/api/", slackWorkers: 1,
		pubsubWorkers: 1, pubsubEndpoint: ps.Addr}
	if err := flags.Validate(); err != nil {
		t.Fatal(err)
	}
	reporters, closeReporters, err := flags.build()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeReporters)
	store := reporttest.OpenStore(t)
	opener := storage.NewOpener(storage.GCSOptions{})
	t.Cleanup(func() { _ = opener.Close() })
	runner, err := local.New(local.Options{WorkDir: filepath.Join(dir, "runs"), Buckets: opener, Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = runner.Close() })
	cfg := &config.Config{}
	loops, err := buildJobLoops(jobLoopOptions{store: store, runner: runner, config: func() *config.Config { return cfg },
		log: testlog.Discard(), workers: 1, resync: time.Second, periodicInterval: time.Minute, reporters: reporters})
	if err != nil {
		t.Fatal(err)
	}
	parts := loops.parts()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	for _, name := range []string{"crier-slack", "crier-pubsub"} {
		run := parts[name]
		if run == nil {
			t.Fatalf("no %s among the job loops %v", name, mapkeys.Sorted(parts))
		}
		wg.Go(func() { _ = run(ctx) })
	}

	reporttest.Create(t, store, &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Name: "nightly-1", Labels: map[string]string{
			pubsub.ProjectLabel: "proj", pubsub.TopicLabel: "results", pubsub.RunIDLabel: "r1"}},
		Spec: prowapi.ProwJobSpec{Type: prowapi.PeriodicJob, Job: "ci-nightly",
			ReporterConfig: &prowapi.ReporterConfig{Slack: &prowapi.SlackReporterConfig{Channel: "alerts",
				JobStatesToReport: []prowapi.ProwJobState{prowapi.FailureState}}}},
		Status: prowapi.ProwJobStatus{State: prowapi.FailureState, StartTime: metav1.Now(), URL: "https://prow.example/view/1"},
	})
	reporttest.Eventually(t, "the Slack report", reporttest.Recorded(t, store, "nightly-1", "slackreporter", prowapi.FailureState))
	reporttest.Eventually(t, "the Pub/Sub report", reporttest.Recorded(t, store, "nightly-1", pubsub.Name, prowapi.FailureState))
	mu.Lock()
	got := slices.Clone(texts)
	mu.Unlock()
	if want := "Job ci-nightly of type periodic ended with state failure. <https://prow.example/view/1|View logs>"; len(got) != 1 || got[0] != want {
		t.Errorf("Slack got %q, want once %q", got, want)
	}
	if msgs := ps.Messages(); len(msgs) != 1 || msgs[0].Topic != "projects/proj/topics/results" {
		t.Errorf("Pub/Sub got %d messages, want one on projects/proj/topics/results", len(msgs))
	}
}
