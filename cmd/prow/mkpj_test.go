package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/prowbot/prow/jobs/sqlite"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// mkpjWorld is the sandbox with demo/hello, config.yaml with the
// presubmit unit, and a job config with a postsubmit and a periodic.
type mkpjWorld struct {
	*serveWorld
	cfg, jobConfig, token string
}

func newMkpjWorld(t *testing.T) *mkpjWorld {
	w := newServeWorld(t, "", map[string]string{"unit": "true"})
	jobConfig := filepath.Join(w.dir, "more-jobs.yaml")
	if err := os.WriteFile(jobConfig, []byte(`postsubmits:
  demo/hello:
  - name: post-hello-push
    spec: {containers: [{image: alpine, command: ["true"]}]}
periodics:
- name: nightly-hello
  interval: 24h
  spec: {containers: [{image: alpine, command: ["true"]}]}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	return &mkpjWorld{serveWorld: w, cfg: filepath.Join(w.dir, "config.yaml"), jobConfig: jobConfig, token: filepath.Join(w.dir, "token")}
}

// mkpj runs `prow mkpj` with the world's configuration and args; it
// returns the ProwJob printed, or the error.
func (w *mkpjWorld) mkpj(ctx context.Context, args ...string) (*prowapi.ProwJob, string, error) {
	cmd := newMkpjCommand()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(append([]string{"--config-path", w.cfg, "--job-config-path", w.jobConfig}, args...))
	if err := cmd.ExecuteContext(ctx); err != nil {
		return nil, errOut.String(), err
	}
	var pj prowapi.ProwJob
	if err := yaml.UnmarshalStrict(out.Bytes(), &pj); err != nil {
		return nil, errOut.String(), err
	}
	if pj.APIVersion != "prow.k8s.io/v1" || pj.Kind != "ProwJob" {
		w.t.Errorf("mkpj printed %s %s, want a prow.k8s.io/v1 ProwJob:\n%s", pj.APIVersion, pj.Kind, out.String())
	}
	return &pj, errOut.String(), nil
}

func (w *mkpjWorld) mustMkpj(t *testing.T, args ...string) *prowapi.ProwJob {
	t.Helper()
	pj, _, err := w.mkpj(t.Context(), args...)
	if err != nil {
		t.Fatal(err)
	}
	return pj
}

// TestMkpjBuildsJobsFromTheConfiguration: mkpj prints the ProwJob of a
// presubmit (its pull request read from GitHub, or given by flags), of
// a postsubmit (its base read from GitHub) and of a periodic; an unknown
// job is one error naming the close names.
func TestMkpjBuildsJobsFromTheConfiguration(t *testing.T) {
	w := newMkpjWorld(t)
	n, head := w.openPull()
	base := w.baseSHA(n)
	gh := []string{"--github-endpoint", w.gh.URL, "--github-token-path", w.token}

	t.Run("a presubmit's pull request and base are read from GitHub", func(t *testing.T) {
		pj := w.mustMkpj(t, append([]string{"--job", "unit", "--pull", strconv.Itoa(n)}, gh...)...)
		r := pj.Spec.Refs
		if pj.Spec.Type != prowapi.PresubmitJob || pj.Spec.Job != "unit" || pj.Namespace != "prow" || pj.Status.State != prowapi.TriggeredState ||
			r == nil || r.Org != "demo" || r.Repo != "hello" || r.BaseRef != "main" || r.BaseSHA != base ||
			len(r.Pulls) != 1 || r.Pulls[0].Number != n || r.Pulls[0].SHA != head || r.Pulls[0].Author != "member" {
			t.Errorf("ProwJob spec %+v refs %+v", pj.Spec, r)
		}
		if pj.Labels[prowapi.PullLabel] != strconv.Itoa(n) || pj.Spec.Context != "unit" || pj.Spec.ProwJobDefault.TenantID != "GlobalDefaultID" {
			t.Errorf("labels %v, context %q, defaults %+v", pj.Labels, pj.Spec.Context, pj.Spec.ProwJobDefault)
		}
	})
	t.Run("flags give the refs without GitHub", func(t *testing.T) {
		pj := w.mustMkpj(t, "--job", "unit", "--pull-number", "9", "--pull-sha", "abc123", "--pull-author", "zoe",
			"--base-ref", "main", "--base-sha", "def456")
		r := pj.Spec.Refs
		if r.BaseSHA != "def456" || r.Pulls[0].Number != 9 || r.Pulls[0].SHA != "abc123" || r.Pulls[0].Author != "zoe" {
			t.Errorf("refs %+v", r)
		}
	})
	t.Run("a postsubmit's base SHA is read from GitHub", func(t *testing.T) {
		pj := w.mustMkpj(t, append([]string{"--job", "post-hello-push", "--base-ref", "main"}, gh...)...)
		if pj.Spec.Type != prowapi.PostsubmitJob || pj.Spec.Refs.BaseSHA != base || len(pj.Spec.Refs.Pulls) != 0 {
			t.Errorf("postsubmit spec %+v refs %+v", pj.Spec, pj.Spec.Refs)
		}
	})
	t.Run("a periodic needs nothing", func(t *testing.T) {
		if pj := w.mustMkpj(t, "--job", "nightly-hello"); pj.Spec.Type != prowapi.PeriodicJob || pj.Spec.Refs != nil {
			t.Errorf("periodic spec %+v", pj.Spec)
		}
	})
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"an unknown job lists the close names", []string{"--job", "nightly-helo"}, `no job named "nightly-helo" is configured; close names: nightly-hello`},
		{"a presubmit without a pull request is refused", []string{"--job", "unit"}, "presubmit unit of demo/hello needs --pull-number"},
		{"reading GitHub needs credentials", []string{"--job", "unit", "--pull", "1"}, "reading the refs from GitHub (or give them as flags)"},
		{"creating needs a job store", []string{"--job", "nightly-hello", "--create", "--kubeconfig", filepath.Join(w.dir, "missing")}, "no Kubernetes API server"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := w.mkpj(t.Context(), tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("mkpj %v = %v, want one line with %q", tc.args, err, tc.want)
			}
		})
	}
}

// TestMkpjCreatesTheJobInServesStore: --create --job-store writes the
// ProwJob into the SQLite store of `prow serve`, with serve's defaults;
// while serve holds the store it is refused.
func TestMkpjCreatesTheJobInServesStore(t *testing.T) {
	w := newMkpjWorld(t)
	dataDir := filepath.Join(w.dir, "data")
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dataDir, "jobs.db")
	store, err := sqlite.Open(t.Context(), dbPath, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	store.Close()

	pj, errOut, err := w.mkpj(t.Context(), "--job", "nightly-hello", "--create", "--job-store", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "Created ProwJob "+pj.Name) {
		t.Errorf("mkpj said %q", errOut)
	}
	store, err = sqlite.Open(t.Context(), dbPath, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	got, err := store.Get(t.Context(), pj.Name)
	if err != nil {
		t.Fatalf("the created job is not in the store: %v", err)
	}
	if got.Spec.Job != "nightly-hello" || got.Status.State != prowapi.TriggeredState ||
		got.Spec.DecorationConfig == nil || got.Spec.DecorationConfig.GCSConfiguration.Bucket != "file://"+filepath.Join(dataDir, "artifacts") {
		t.Errorf("stored job %+v", got.Spec)
	}

	lock, err := lockDataDir(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if _, _, err := w.mkpj(t.Context(), "--job", "nightly-hello", "--create", "--job-store", dbPath); err == nil ||
		!strings.Contains(err.Error(), "while `prow serve` runs on it") {
		t.Errorf("with serve running, mkpj --create = %v, want a refusal", err)
	}
}
