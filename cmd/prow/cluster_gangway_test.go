package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs/gangway"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// TestClusterGangwayCreatesProwJobs runs `prow gangway` against a real
// API server: an allowed client's run becomes a ProwJob resource; an
// unknown client and a client asking for another tenant's job are
// refused with 403 and create nothing.
func TestClusterGangwayCreatesProwJobs(t *testing.T) {
	bin := buildProw(t)
	env := startKubeenv(t)
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte(clusterNamespaces+`gangway:
  allowed_api_clients:
  - gcp: {endpoint_api_consumer_type: PROJECT, endpoint_api_consumer_number: "1"}
    allowed_jobs_filters: [{tenant_id: team-a}]
periodics:
- name: team-a-nightly
  prowjob_defaults: {tenant_id: team-a}
  interval: 24h
  spec: {containers: [{image: alpine, command: ["true"]}]}
- name: team-b-nightly
  prowjob_defaults: {tenant_id: team-b}
  interval: 24h
  spec: {containers: [{image: alpine, command: ["true"]}]}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := startProw(t, ctx, bin, "Serving the job API", "gangway", "--config-path", cfg, "--kubeconfig", env.Kubeconfig,
		"--address", "127.0.0.1", "--port", fmt.Sprint(port), "--metrics-port", "0", "--health-port", "0")
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()
	api := fmt.Sprintf("http://127.0.0.1:%d", port)
	periodic := func(name string) string { return `{"job_name": "` + name + `", "job_execution_type": "PERIODIC"}` }

	var st gangway.Status
	if code := callGangway(t, api, "9", http.MethodPost, "/v1/executions", periodic("team-a-nightly"), &st); code != http.StatusForbidden {
		t.Errorf("an unknown client: %d %+v, want 403", code, st)
	}
	if code := callGangway(t, api, "1", http.MethodPost, "/v1/executions", periodic("team-b-nightly"), &st); code != http.StatusForbidden ||
		!strings.Contains(st.Message, `tenant "team-b"`) {
		t.Errorf("another tenant's job: %d %+v, want 403", code, st)
	}
	var exec gangway.JobExecution
	if code := callGangway(t, api, "1", http.MethodPost, "/v1/executions", periodic("team-a-nightly"), &exec); code != http.StatusOK {
		t.Fatalf("create: %d %+v", code, exec)
	}
	store := openJobs(t, env)
	pj, err := store.Get(t.Context(), exec.ID)
	if err != nil {
		t.Fatalf("the execution is not a ProwJob on the API server: %v", err)
	}
	if pj.Namespace != prowJobNS || pj.Spec.Job != "team-a-nightly" || pj.Spec.Type != prowapi.PeriodicJob || pj.Status.State != prowapi.TriggeredState {
		t.Errorf("ProwJob %s/%s: %s %s %s", pj.Namespace, pj.Name, pj.Spec.Job, pj.Spec.Type, pj.Status.State)
	}
	if n := len(allJobs(t, store)); n != 1 {
		t.Errorf("%d ProwJobs, want only the allowed one", n)
	}
	var got gangway.JobExecution
	if code := callGangway(t, api, "1", http.MethodGet, "/v1/executions/"+exec.ID, "", &got); code != http.StatusOK ||
		got.JobStatus != gangway.StatusTriggered || got.JobName != "team-a-nightly" {
		t.Errorf("get: %d %+v", code, got)
	}
	var list gangway.JobExecutions
	eventually(t, 30*time.Second, "the run in the list", func() bool {
		callGangway(t, api, "1", http.MethodGet, "/v1/executions?job_name=team-a-nightly", "", &list)
		return len(list.JobExecution) == 1 && list.JobExecution[0].ID == exec.ID
	})
}
