package main

import (
	"strings"
	"testing"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// TestClusterMkpjCreatesAProwJob: `prow mkpj --create --kubeconfig`
// creates the ProwJob resource on a real API server, in
// prowjob_namespace.
func TestClusterMkpjCreatesAProwJob(t *testing.T) {
	env := startKubeenv(t)
	w := newMkpjWorld(t)
	n, head := w.openPull()
	pj, errOut, err := w.mkpj(t.Context(), "--job", "unit", "--pull", "1", "--create", "--kubeconfig", env.Kubeconfig,
		"--github-endpoint", w.gh.URL, "--github-token-path", w.token)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "Created ProwJob "+pj.Name) {
		t.Errorf("mkpj said %q", errOut)
	}
	got, err := openJobs(t, env).Get(t.Context(), pj.Name)
	if err != nil {
		t.Fatalf("the ProwJob is not on the API server: %v", err)
	}
	if got.Namespace != prowJobNS || got.Spec.Type != prowapi.PresubmitJob || got.Spec.Job != "unit" || got.Status.State != prowapi.TriggeredState ||
		got.Spec.Refs.Pulls[0].Number != n || got.Spec.Refs.Pulls[0].SHA != head || got.Labels[prowapi.PullLabel] != "1" {
		t.Errorf("ProwJob %s/%s: spec %+v", got.Namespace, got.Name, got.Spec)
	}
}
