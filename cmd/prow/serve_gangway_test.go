package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs/gangway"
)

// gangwayConfig allows client PROJECT/1 the jobs of the default tenant
// and client PROJECT/2 those of tenant team-b, and adds the postsubmit
// api-post of demo/hello, which appends its name and $MODE to the runs
// log.
func gangwayConfig(runsLog string) string {
	return `gangway:
  allowed_api_clients:
  - gcp: {endpoint_api_consumer_type: PROJECT, endpoint_api_consumer_number: "1"}
    allowed_jobs_filters: [{tenant_id: GlobalDefaultID}]
  - gcp: {endpoint_api_consumer_type: PROJECT, endpoint_api_consumer_number: "2"}
    allowed_jobs_filters: [{tenant_id: team-b}]
postsubmits:
  demo/hello:
  - name: api-post
    spec:
      containers:
      - image: alpine
        command: [sh, -c, 'echo "$JOB_NAME $MODE" >> "$RUNS_LOG"']
        env: [{name: RUNS_LOG, value: "` + runsLog + `"}, {name: MODE, value: configured}]
`
}

// callGangway sends a request to the job API as client (a consumer
// number, "" for none) and decodes the answer into out.
func callGangway(t *testing.T, base, client, method, path, body string, out any) int {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, base+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if client != "" {
		req.Header.Set(gangway.HeaderConsumerType, "PROJECT")
		req.Header.Set(gangway.HeaderConsumerNumber, client)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %s: %v", method, path, data, err)
		}
	}
	return resp.StatusCode
}

// mainSHA is the head of demo/hello's main in the sandbox.
func (w *serveWorld) mainSHA() string {
	var ref struct {
		Object struct{ SHA string } `json:"object"`
	}
	w.do("member-token", http.MethodGet, "/repos/demo/hello/git/ref/heads/main", nil, &ref)
	return ref.Object.SHA
}

// TestServeGangwayStartsJobs: `prow serve --gangway-port` takes a run of
// a configured postsubmit from an allowed client, with its env override,
// runs it to success and reports it; an unknown client and a client of
// another tenant are refused.
func TestServeGangwayStartsJobs(t *testing.T) {
	bin := buildProw(t)
	w := newServeWorld(t, "", map[string]string{"unit": "true"})
	w.args = append(w.args, "--gangway-port", fmt.Sprint(freePort(t)))
	port := w.args[len(w.args)-1]
	cfgPath := w.args[indexOf(w.args, "--config-path")+1]
	cfg, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgPath, []byte(gangwayConfig(w.runsLog)+string(cfg)), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	p := startProw(t, ctx, bin, "Serving the job API", w.args...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()
	api := "http://127.0.0.1:" + port
	sha := w.mainSHA()
	body := `{"job_name": "api-post", "job_execution_type": "POSTSUBMIT",
		"refs": {"org": "demo", "repo": "hello", "base_ref": "main", "base_sha": "` + sha + `"},
		"pod_spec_options": {"envs": {"MODE": "from-the-api"}}}`

	var st gangway.Status
	if code := callGangway(t, api, "", http.MethodPost, "/v1/executions", body, &st); code != http.StatusForbidden || st.Code != 7 {
		t.Errorf("a client without headers: %d %+v, want 403", code, st)
	}
	if code := callGangway(t, api, "2", http.MethodPost, "/v1/executions", body, &st); code != http.StatusForbidden ||
		!strings.Contains(st.Message, "not authorized to execute the given job") {
		t.Errorf("a client of another tenant: %d %+v, want 403", code, st)
	}
	var exec gangway.JobExecution
	if code := callGangway(t, api, "1", http.MethodPost, "/v1/executions", body, &exec); code != http.StatusOK || exec.ID == "" {
		t.Fatalf("create: %d %+v", code, exec)
	}
	eventually(t, time.Minute, "the run to succeed", func() bool {
		var got gangway.JobExecution
		callGangway(t, api, "1", http.MethodGet, "/v1/executions/"+exec.ID, "", &got)
		return got.JobStatus == gangway.StatusSuccess
	})
	if runs := w.runs(); strings.Join(runs, " ") != "api-post from-the-api" {
		t.Errorf("runs %q, want the one run with the API's MODE", runs)
	}
	var got gangway.JobExecution
	callGangway(t, api, "1", http.MethodGet, "/v1/executions/"+exec.ID, "", &got)
	if got.JobType != gangway.TypePostsubmit || got.CompletionTime == nil || !strings.HasPrefix(got.GCSPath, "file://") ||
		!strings.Contains(got.JobURL, "/view/local/") {
		t.Errorf("the finished execution: %+v", got)
	}
	var list gangway.JobExecutions
	callGangway(t, api, "1", http.MethodGet, "/v1/executions?job_name=api-post&status=SUCCESS", "", &list)
	if len(list.JobExecution) != 1 || list.JobExecution[0].ID != exec.ID {
		t.Errorf("list: %+v", list)
	}
}

func indexOf(args []string, flag string) int {
	for i, a := range args {
		if a == flag {
			return i
		}
	}
	return -1
}
