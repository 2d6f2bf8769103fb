package gangway

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/sqlite"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/testlog"
)

const (
	teamA  = "111" // may run team-a's jobs
	teamAB = "222" // may run team-a's and the untenanted jobs
	head   = "0123456789abcdef0123456789abcdef01234567"
)

// api is the job API over a SQLite store, as `prow serve` has it.
type api struct {
	t     *testing.T
	url   string
	store *sqlite.Store
}

func newAPI(t *testing.T) *api {
	t.Helper()
	snap, _, err := config.Load(config.Options{ConfigPath: "testdata/config.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "jobs.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	s := &Server{Jobs: store, Config: func() *config.Config { return snap.Config }, Logger: testlog.Discard()}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return &api{t: t, url: ts.URL, store: store}
}

// call sends a request as the client of that consumer number ("" for
// none); it returns the status and decodes the body into out.
func (a *api) call(client, method, path, body string, out any) int {
	a.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(a.t.Context(), method, a.url+path, r)
	if err != nil {
		a.t.Fatal(err)
	}
	if client != "" {
		req.Header.Set(HeaderConsumerType, "PROJECT")
		req.Header.Set(HeaderConsumerNumber, client)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			a.t.Fatalf("%s %s: %s: %v", method, path, data, err)
		}
	}
	return resp.StatusCode
}

func (a *api) create(client, body string) (int, *JobExecution, Status) {
	a.t.Helper()
	var raw json.RawMessage
	code := a.call(client, http.MethodPost, "/v1/executions", body, &raw)
	var exec JobExecution
	var st Status
	if code == http.StatusOK {
		if err := json.Unmarshal(raw, &exec); err != nil {
			a.t.Fatal(err)
		}
	} else if err := json.Unmarshal(raw, &st); err != nil {
		a.t.Fatal(err)
	}
	return code, &exec, st
}

// TestCreateAuthorisesClientsByTenant: a client not in the allowlist is
// refused every call; a listed client may start only its tenants' jobs.
func TestCreateAuthorisesClientsByTenant(t *testing.T) {
	a := newAPI(t)
	periodic := func(name string) string {
		return `{"job_name": "` + name + `", "job_execution_type": "PERIODIC"}`
	}
	for _, tc := range []struct {
		name, client, body string
		want               int
		wantMessage        string
	}{
		{"a client without the front's headers is refused", "", periodic("nightly-team-a"), http.StatusForbidden, "is not in gangway.allowed_api_clients"},
		{"a client the allowlist does not name is refused", "999", periodic("nightly-team-a"), http.StatusForbidden, "is not in gangway.allowed_api_clients"},
		{"a client starts a job of its tenant", teamA, periodic("nightly-team-a"), http.StatusOK, ""},
		{"a client may not start another tenant's job", teamA, periodic("nightly-team-b"), http.StatusForbidden, `not authorized to execute the given job (tenant "team-b")`},
		{"an untenanted job is of the global default tenant", teamA, periodic("nightly-untenanted"), http.StatusForbidden, `tenant "GlobalDefaultID"`},
		{"a client allowed the default tenant starts it", teamAB, periodic("nightly-untenanted"), http.StatusOK, ""},
		{"no client may start what no filter allows", teamAB, periodic("nightly-team-b"), http.StatusForbidden, "not authorized"},
		{"a repository's tenant comes from prowjob_default_entries", teamA, `{"job_name": "post-repo-push", "job_execution_type": "POSTSUBMIT",
			"refs": {"org": "org", "repo": "repo", "base_ref": "main", "base_sha": "b0"}}`, http.StatusOK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, exec, st := a.create(tc.client, tc.body)
			if code != tc.want {
				t.Fatalf("status %d (%+v), want %d", code, st, tc.want)
			}
			if tc.want != http.StatusOK {
				if st.Code != codePermissionDenied || !strings.Contains(st.Message, tc.wantMessage) {
					t.Errorf("error %+v, want code 7 with %q", st, tc.wantMessage)
				}
				return
			}
			pj, err := a.store.Get(t.Context(), exec.ID)
			if err != nil {
				t.Fatalf("the execution %s is not in the store: %v", exec.ID, err)
			}
			if pj.Status.State != prowapi.TriggeredState || exec.JobStatus != StatusTriggered || exec.JobName != pj.Spec.Job {
				t.Errorf("execution %+v, job %s %s", exec, pj.Spec.Job, pj.Status.State)
			}
		})
	}
	list, err := a.store.List(t.Context(), jobs.Filter{}, jobs.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 3 {
		t.Errorf("the store holds %d jobs, want the 3 allowed ones", len(list.Items))
	}
}

// TestCreateBuildsTheRequestedRun: the refs, type and pod_spec_options
// of the request make the ProwJob; field names may be camelCase and
// enums numbers, as in protobuf's JSON; bad requests are 400 and unknown
// jobs 404.
func TestCreateBuildsTheRequestedRun(t *testing.T) {
	a := newAPI(t)
	code, exec, st := a.create(teamA, `{"jobName": "pull-repo-unit", "jobExecutionType": 3,
		"refs": {"org": "org", "repo": "repo", "baseRef": "main", "baseSha": "b0", "pulls": [{"number": 7, "sha": "`+head+`", "author": "alice"}]},
		"podSpecOptions": {"envs": {"MODE": "slow", "EXTRA": "1"}, "labels": {"someLabel": "v"}, "annotations": {"note": "from the API"}}}`)
	if code != http.StatusOK {
		t.Fatalf("status %d: %+v", code, st)
	}
	if exec.JobType != TypePresubmit || exec.Refs == nil || exec.Refs.Pulls[0].Number != 7 || exec.PodSpecOptions.Envs["MODE"] != "slow" {
		t.Errorf("execution %+v", exec)
	}
	pj, err := a.store.Get(t.Context(), exec.ID)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, e := range pj.Spec.PodSpec.Containers[0].Env {
		env[e.Name] = e.Value
	}
	if pj.Spec.Type != prowapi.PresubmitJob || pj.Spec.Refs.Pulls[0].SHA != head || pj.Labels["someLabel"] != "v" ||
		pj.Labels[prowapi.PullLabel] != "7" || pj.Annotations["note"] != "from the API" || env["MODE"] != "slow" || env["EXTRA"] != "1" {
		t.Errorf("ProwJob labels %v annotations %v env %v refs %+v", pj.Labels, pj.Annotations, env, pj.Spec.Refs)
	}

	for _, tc := range []struct {
		name, body string
		want, code int
		message    string
	}{
		{"an unknown job is not found", `{"job_name": "nightly-team-c", "job_execution_type": "PERIODIC"}`, http.StatusNotFound, codeNotFound, `failed to find the periodic "nightly-team-c"`},
		{"a job of another repository is not found", `{"job_name": "pull-repo-unit", "job_execution_type": "PRESUBMIT",
			"refs": {"org": "org", "repo": "other", "base_ref": "main", "base_sha": "b0", "pulls": [{"number": 1, "sha": "` + head + `"}]}}`, http.StatusNotFound, codeNotFound, "for org/other"},
		{"a name is required", `{"job_execution_type": "PERIODIC"}`, http.StatusBadRequest, codeInvalidArgument, "job_name field cannot be empty"},
		{"a type is required", `{"job_name": "nightly-team-a"}`, http.StatusBadRequest, codeInvalidArgument, "unsupported JobExecutionType"},
		{"an unknown type is refused", `{"job_name": "nightly-team-a", "job_execution_type": "NIGHTLY"}`, http.StatusBadRequest, codeInvalidArgument, `"NIGHTLY" is not one of the enum's names`},
		{"a periodic takes no refs", `{"job_name": "nightly-team-a", "job_execution_type": "PERIODIC", "refs": {"org": "org"}}`, http.StatusBadRequest, codeInvalidArgument, "periodic jobs cannot also have gitRefs"},
		{"a presubmit needs a pull", `{"job_name": "pull-repo-unit", "job_execution_type": "PRESUBMIT",
			"refs": {"org": "org", "repo": "repo", "base_ref": "main", "base_sha": "b0"}}`, http.StatusBadRequest, codeInvalidArgument, "needs a pull request"},
		{"a pull's SHA must be a full SHA", `{"job_name": "pull-repo-unit", "job_execution_type": "PRESUBMIT",
			"refs": {"org": "org", "repo": "repo", "base_ref": "main", "base_sha": "b0", "pulls": [{"number": 1, "sha": "abc"}]}}`, http.StatusBadRequest, codeInvalidArgument, "invalid SHA"},
		{"an invalid label value is refused", `{"job_name": "nightly-team-a", "job_execution_type": "PERIODIC", "pod_spec_options": {"labels": {"a": "no spaces"}}}`, http.StatusBadRequest, codeInvalidArgument, "invalid label"},
		{"an unknown field is refused", `{"job_name": "nightly-team-a", "job_execution_type": "PERIODIC", "priority": 1}`, http.StatusBadRequest, codeInvalidArgument, "unknown field"},
		{"a body that is not JSON is refused", `job_name=x`, http.StatusBadRequest, codeInvalidArgument, "not JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, st := a.create(teamA, tc.body)
			if code != tc.want || st.Code != tc.code || !strings.Contains(st.Message, tc.message) {
				t.Errorf("status %d %+v, want %d code %d with %q", code, st, tc.want, tc.code, tc.message)
			}
		})
	}
}

// TestGetAndListReportRuns: a run's status follows its job; the list
// filters by job name and status.
func TestGetAndListReportRuns(t *testing.T) {
	a := newAPI(t)
	ids := map[string]string{}
	for _, name := range []string{"nightly-team-a", "nightly-untenanted"} {
		code, exec, st := a.create(teamAB, `{"job_name": "`+name+`", "job_execution_type": "PERIODIC"}`)
		if code != http.StatusOK {
			t.Fatalf("create %s: %d %+v", name, code, st)
		}
		ids[name] = exec.ID
	}
	pj, err := a.store.Get(t.Context(), ids["nightly-team-a"])
	if err != nil {
		t.Fatal(err)
	}
	done := metav1.NewTime(time.Now())
	pj.Status.State, pj.Status.CompletionTime, pj.Status.URL = prowapi.SuccessState, &done, "https://deck/view/x"
	if _, err := a.store.Update(t.Context(), pj); err != nil {
		t.Fatal(err)
	}

	var got JobExecution
	if code := a.call(teamA, http.MethodGet, "/v1/executions/"+ids["nightly-team-a"], "", &got); code != http.StatusOK {
		t.Fatalf("get: %d", code)
	}
	if got.JobStatus != StatusSuccess || got.CompletionTime == nil || got.CreateTime == nil || got.JobURL != "https://deck/view/x" || got.JobType != TypePeriodic {
		t.Errorf("execution %+v", got)
	}
	var st Status
	if code := a.call(teamA, http.MethodGet, "/v1/executions/no-such-id", "", &st); code != http.StatusNotFound || st.Code != codeNotFound {
		t.Errorf("get of an unknown id: %d %+v", code, st)
	}
	if code := a.call("", http.MethodGet, "/v1/executions/"+ids["nightly-team-a"], "", nil); code != http.StatusForbidden {
		t.Errorf("get without a client: %d, want 403", code)
	}

	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"all runs", "", []string{"nightly-team-a", "nightly-untenanted"}},
		{"by job name", "?job_name=nightly-untenanted", []string{"nightly-untenanted"}},
		{"by status", "?status=SUCCESS", []string{"nightly-team-a"}},
		{"by status number", "?status=1", []string{"nightly-untenanted"}},
		{"by name and status", "?job_name=nightly-untenanted&status=SUCCESS", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l JobExecutions
			if code := a.call(teamA, http.MethodGet, "/v1/executions"+tc.query, "", &l); code != http.StatusOK {
				t.Fatalf("list: %d", code)
			}
			var names []string
			for _, e := range l.JobExecution {
				names = append(names, e.JobName)
				if e.ID != ids[e.JobName] {
					t.Errorf("execution %s has id %s, want %s", e.JobName, e.ID, ids[e.JobName])
				}
			}
			if strings.Join(slices.Sorted(slices.Values(names)), ",") != strings.Join(tc.want, ",") {
				t.Errorf("listed %v, want %v", names, tc.want)
			}
		})
	}
	var st2 Status
	if code := a.call(teamA, http.MethodGet, "/v1/executions?status=DONE", "", &st2); code != http.StatusBadRequest {
		t.Errorf("a bad status: %d %+v", code, st2)
	}
}
