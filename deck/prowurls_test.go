package deck_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/prowbot/prow/deck"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// parseJobYAML reads an answer of /prowjob or /rerun back into a
// ProwJob, refusing fields the type does not have.
func parseJobYAML(t *testing.T, body string) *prowapi.ProwJob {
	t.Helper()
	var pj prowapi.ProwJob
	if err := yaml.UnmarshalStrict([]byte(body), &pj); err != nil {
		t.Fatalf("the answer is not a ProwJob in YAML: %v\n%s", err, body)
	}
	return &pj
}

func showHidden(o *deck.Options) { o.ShowHidden = true }

func TestProwJobYAML(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, target string
		status       int
		want         string
	}{
		{"a job is its record as YAML", "/prowjob?prowjob=" + finishedPR, 200, ""},
		{"an unknown name is 404 naming it", "/prowjob?prowjob=nope", 404, `Job not found: There is no job "nope".`},
		{"a hidden repo's job is 404 like an unknown one", "/prowjob?prowjob=" + hiddenRepo, 404, `There is no job "` + hiddenRepo + `".`},
		{"a hidden job is 404 like an unknown one", "/prowjob?prowjob=" + hiddenFlag, 404, `There is no job "` + hiddenFlag + `".`},
		{"no name is 400 saying how to ask", "/prowjob", 400, "/prowjob?prowjob=NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.do("GET", tt.target, "", nil)
			body := rec.Body.String()
			if rec.Code != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("GET %s = %d %q, want %d with %q", tt.target, rec.Code, body, tt.status, tt.want)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("Content-Type = %q, want plain text", ct)
			}
			if tt.status != 200 {
				return
			}
			pj := parseJobYAML(t, body)
			stored, err := f.store.Get(context.Background(), finishedPR)
			if err != nil {
				t.Fatal(err)
			}
			if pj.Kind != "ProwJob" || pj.APIVersion != "prow.k8s.io/v1" || pj.Name != finishedPR {
				t.Errorf("kind %q, apiVersion %q, name %q: want a ProwJob resource named %s", pj.Kind, pj.APIVersion, pj.Name, finishedPR)
			}
			if !reflect.DeepEqual(pj.Spec, stored.Spec) || pj.Status.State != stored.Status.State || pj.Status.BuildID != stored.Status.BuildID {
				t.Errorf("the YAML's spec and status differ from the store's:\n%s", body)
			}
		})
	}
	t.Run("ShowHidden shows a hidden repo's job", func(t *testing.T) {
		rec := newFixture(t, showHidden).do("GET", "/prowjob?prowjob="+hiddenRepo, "", nil)
		if rec.Code != 200 || parseJobYAML(t, rec.Body.String()).Spec.Job != "pull-vault" {
			t.Fatalf("GET = %d %s", rec.Code, rec.Body)
		}
	})
}

func TestRerunYAML(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before, err := f.store.List(ctx, jobs.Filter{}, jobs.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	orig, err := f.store.Get(ctx, finishedPR)
	if err != nil {
		t.Fatal(err)
	}
	rec := f.do("GET", "/rerun?prowjob="+finishedPR, allowedUser, nil)
	if rec.Code != 200 {
		t.Fatalf("GET /rerun = %d %s", rec.Code, rec.Body)
	}
	pj := parseJobYAML(t, rec.Body.String())
	t.Run("the job to create is a new triggered run of the same spec", func(t *testing.T) {
		if pj.Kind != "ProwJob" || pj.APIVersion != "prow.k8s.io/v1" {
			t.Errorf("kind %q apiVersion %q: kubectl create needs both", pj.Kind, pj.APIVersion)
		}
		if pj.Name == "" || pj.Name == finishedPR {
			t.Errorf("name %q, want a new name", pj.Name)
		}
		if pj.Status.State != prowapi.TriggeredState || pj.Status.BuildID != "" {
			t.Errorf("status %+v, want triggered without a build", pj.Status)
		}
		if !reflect.DeepEqual(pj.Spec, orig.Spec) {
			t.Errorf("spec differs from the job's:\n%s", rec.Body)
		}
		if got := pj.Annotations[jobs.RerunByAnnotation]; got != allowedUser {
			t.Errorf("rerun-by annotation %q, want the logged-in user %s", got, allowedUser)
		}
	})
	t.Run("nothing is created", func(t *testing.T) {
		after, err := f.store.List(ctx, jobs.Filter{}, jobs.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Items) != len(before.Items) || len(f.reruns) != 0 {
			t.Errorf("%d jobs before, %d after, reruns %v: GET /rerun must not create", len(before.Items), len(after.Items), f.reruns)
		}
	})
	for _, name := range []string{hiddenRepo, hiddenFlag, "nope"} {
		t.Run("a hidden or unknown job is 404: "+name, func(t *testing.T) {
			rec := f.do("GET", "/rerun?prowjob="+name, allowedUser, nil)
			if rec.Code != 404 || !strings.Contains(rec.Body.String(), `There is no job "`+name+`"`) {
				t.Fatalf("GET = %d %q", rec.Code, rec.Body)
			}
		})
	}
	t.Run("POST without a form token is still refused", func(t *testing.T) {
		if rec := f.do("POST", "/rerun", allowedUser, map[string][]string{"job": {finishedPR}}); rec.Code != 403 {
			t.Fatalf("POST = %d", rec.Code)
		}
	})
}

func TestLog(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, target string
		status       int
		want, never  string
	}{
		{"a finished run's log comes from its artifacts", "/log?job=" + prJob + "&id=200", 200, testdata(t, "build-log.txt"), ""},
		{"a running job's log is the live one", "/log?job=pull-widget-e2e&id=201", 200, "live line 1: cloning\nlive line 2: building\n", ""},
		{"a hidden repo's log is 404", "/log?job=pull-vault&id=300", 404, "Log not found: there is no log of job pull-vault build 300", "secret log"},
		{"a hidden job's log is 404", "/log?job=pull-widget-secret-scan&id=301", 404, "Log not found", ""},
		{"an unknown build is 404", "/log?job=" + prJob + "&id=999", 404, "there is no log of job " + prJob + " build 999", ""},
		{"a run without stored artifacts is 404", "/log?job=" + periodicJob + "&id=120", 404, "Log not found", ""},
		{"no id is 400", "/log?job=" + prJob, 400, "/log?job=NAME&id=BUILD_ID", ""},
		{"a glob is 400", "/log?job=pull-*&id=200", 400, "no *", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := f.get(t, tt.target)
			if status != tt.status {
				t.Fatalf("GET %s = %d %q, want %d", tt.target, status, body, tt.status)
			}
			if tt.status == 200 && body != tt.want || tt.status != 200 && !strings.Contains(body, tt.want) {
				t.Errorf("GET %s = %q, want %q", tt.target, body, tt.want)
			}
			if tt.never != "" && strings.Contains(body, tt.never) {
				t.Errorf("GET %s leaks %q", tt.target, tt.never)
			}
		})
	}
	t.Run("a running job's log grows", func(t *testing.T) {
		f.appendLive("live line 3: testing")
		if _, body := f.get(t, "/log?job=pull-widget-e2e&id=201"); !strings.HasSuffix(body, "live line 3: testing\n") {
			t.Errorf("log = %q", body)
		}
	})
}

// TestHiddenAtProwURLs asks every URL for scripts about the fixture's
// hidden repo and hidden job: no answer names them, their builds or
// their plugins, beyond echoing what the request itself said.
func TestHiddenAtProwURLs(t *testing.T) {
	f := newFixture(t)
	secrets := []string{"secret/vault", "secret_vault", "pull-vault", "the secret log", hiddenRepo, hiddenFlag, "pull-widget-secret-scan", "secret-plugin", "launch-missiles"}
	for _, target := range []string{
		"/prowjob?prowjob=" + hiddenRepo, "/prowjob?prowjob=" + hiddenFlag,
		"/rerun?prowjob=" + hiddenRepo, "/rerun?prowjob=" + hiddenFlag,
		"/log?job=pull-vault&id=300", "/log?job=pull-widget-secret-scan&id=301",
		"/prowjobs.js", "/prowjobs.js?var=allBuilds", "/prowjobs.js?repo=secret/vault", "/prowjobs.js?job=pull-vault",
		"/plugin-help.js", "/plugin-help.js?var=allHelp", "/plugin?plugin=secret-plugin", "/plugin?plugin=lgtm&repo=secret/vault", "/plugins",
		"/config",
	} {
		t.Run(target, func(t *testing.T) {
			_, body := f.get(t, target)
			for _, s := range secrets {
				if !strings.Contains(target, s) && strings.Contains(body, s) {
					t.Errorf("GET %s shows %q", target, s)
				}
			}
		})
	}
}
