package hook

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/prowbot/prow/hook/journal"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/test/testlog"
)

type fakeDispatcher struct{ got chan plugins.Delivery }

func (f *fakeDispatcher) Dispatch(_ context.Context, d plugins.Delivery) { f.got <- d }

// Wants takes every delivery but those of the org "nobody".
func (f *fakeDispatcher) Wants(org, _, _ string) bool { return org != "nobody" }
func (f *fakeDispatcher) Help() plugins.Help {
	return plugins.Help{AllRepos: []string{"org"}, PluginHelp: map[string]plugins.PluginHelp{"hold": {Description: "Holds."}}}
}

func TestMuxServesHookHelpMetricsAndHealth(t *testing.T) {
	j, _, err := journal.Open(journal.Options{Dir: t.TempDir(), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	metrics := NewMetrics(reg)
	d := &fakeDispatcher{got: make(chan plugins.Delivery, 1)}
	srv, err := NewServer(ServerOptions{Secrets: func() Secrets { return Secrets{"*": {{Value: "s"}}} }, Journal: j,
		Handler: DispatchHandler(d, testlog.Discard()), Metrics: metrics})
	if err != nil {
		t.Fatal(err)
	}
	srv.Run(context.Background())
	ts := httptest.NewServer(Mux("/hook", srv, d, reg))
	defer ts.Close()
	defer func() { _ = srv.Stop(context.Background()) }()

	body := examplePayload(t, "lgtm_comment.json")
	postSigned(t, ts.URL+"/hook", "issue_comment", "d1", body)
	select {
	case del := <-d.got:
		if del.GUID != "d1" || del.EventType != "issue_comment" || del.Org == "" || len(del.Events) != 1 || len(del.Body) != len(body) {
			t.Errorf("dispatched %+v", del)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nothing dispatched")
	}
	// A delivery no plugin takes is acknowledged, handled (marked done)
	// and not decoded or dispatched.
	unwanted := []byte(`{"repository":{"full_name":"nobody/repo"}}`)
	if status := postSigned(t, ts.URL+"/hook", "issue_comment", "d2", unwanted); status != http.StatusOK {
		t.Fatalf("unwanted delivery: status %d", status)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := j.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case del := <-d.got:
		t.Errorf("a delivery no plugin takes was dispatched: %+v", del)
	default:
	}

	get := func(path string) (int, string) {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, help := get("/plugin-help")
	var h plugins.Help
	if code != 200 || json.Unmarshal([]byte(help), &h) != nil || h.PluginHelp["hold"].Description != "Holds." {
		t.Errorf("/plugin-help: %d %s", code, help)
	}
	code, m := get("/metrics")
	if code != 200 || !strings.Contains(m, `prow_webhook_counter{event_type="issue_comment"} 2`) || !strings.Contains(m, `prow_webhook_response_codes{response_code="200"} 2`) {
		t.Errorf("/metrics: %d\n%s", code, m)
	}
	for _, p := range []string{"/", "/healthz", "/healthz/ready"} {
		if code, _ := get(p); code != 200 {
			t.Errorf("%s: %d", p, code)
		}
	}
	if code, _ := get("/nope"); code != 404 {
		t.Errorf("an unknown path got %d", code)
	}
}

func TestStopFinishesDeliveriesInFlight(t *testing.T) {
	dir := t.TempDir()
	j, _, err := journal.Open(journal.Options{Dir: dir, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	finished := make(chan struct{}, 1)
	srv, err := NewServer(ServerOptions{Secrets: func() Secrets { return Secrets{"*": {{Value: "s"}}} }, Journal: j, Workers: 1,
		Handler: func(context.Context, journal.Record) {
			close(started)
			<-release
			finished <- struct{}{}
		}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Run(context.Background())
	ts := httptest.NewServer(srv)
	defer ts.Close()
	body := []byte(`{"repository":{"full_name":"o/r"}}`)
	postSigned(t, ts.URL, "push", "slow", body)
	<-started
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Stop(context.Background()) }()
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned (%v) while a delivery was being handled", err)
	default:
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	<-finished
	// Finished deliveries are not handed back on the next start.
	_, unfinished, err := journal.Open(journal.Options{Dir: dir, NoSync: true})
	if err != nil || unfinished != 0 {
		t.Errorf("after a graceful stop %d deliveries are pending (%v)", unfinished, err)
	}
}

// postSigned posts body to url as GitHub delivers event guid, signed with
// the secret "s", and returns the answer's status.
func postSigned(t *testing.T, url, event, guid string, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", guid)
	req.Header.Set("X-Hub-Signature-256", Sign([]byte("s"), body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
