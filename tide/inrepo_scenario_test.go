package tide_test

import (
	"context"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/inrepo"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/prow/git"
	"github.com/prowbot/prow/tide"
)

const inRepoConfig = baseConfig + `in_repo_config:
  enabled: {demo/hello: true}
  allowed_clusters: {"*": [default]}
`

func TestTideTakesPresubmitsFromProwYAML(t *testing.T) {
	w := newWorld(t, inRepoConfig,
		pull{repo: "demo/hello", file: ".prow.yaml", labels: ready,
			content: "presubmits:\n- name: lint\n  always_run: true\n  spec: {containers: [{image: alpine, command: [\"true\"]}]}\n"},
		pull{repo: "demo/hello", file: ".prow.yaml", labels: ready, content: "presubmits:\n- name: lint\n  clusterr: x\n"},
		pull{repo: "demo/hello", file: "a", content: "a\n", labels: ready})
	gitClient := &git.Client{CacheDir: t.TempDir(), RemoteURL: func(org, repo string) string { return w.url + "/" + org + "/" + repo + ".git" }}
	w.opts.InRepo = inrepo.New(gitClient, 0)
	var err error
	w.ctrl, err = tide.New(w.opts)
	must(t, err)
	for n := 1; n <= 3; n++ {
		w.setStatus("demo/hello", n, "ci", "success", "")
	}
	w.sync()
	if w.merged("demo/hello", 1) || w.merged("demo/hello", 2) {
		t.Fatal("neither pull request with a .prow.yaml may merge yet")
	}
	if got := w.tideStatus("demo/hello", 1); got != "pending: Not mergeable. Retesting: lint" {
		t.Errorf("#1, whose .prow.yaml adds lint: %q", got)
	}
	if got := w.tideStatus("demo/hello", 2); !strings.HasPrefix(got, "error: Not mergeable. In-repo config is invalid: .prow.yaml:3") || !strings.Contains(got, "clusterr") {
		t.Errorf("#2, whose .prow.yaml is broken: %q", got)
	}
	if !w.merged("demo/hello", 3) {
		t.Errorf("#3 should merge: a broken .prow.yaml elsewhere does not stop the pool (%q)", w.tideStatus("demo/hello", 3))
	}
	// Next, tide runs #1's lint, as its .prow.yaml defines it.
	w.sync()
	list, err := w.store.List(context.Background(), jobs.Filter{Pull: 1}, jobs.Page{})
	must(t, err)
	if len(list.Items) != 1 || list.Items[0].Spec.Job != "lint" || list.Items[0].Spec.PodSpec.Containers[0].Image != "alpine" {
		t.Errorf("tide's runs for #1: %+v, want lint from its .prow.yaml", list.Items)
	}
}
