package trigger_test

import (
	"context"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/inrepo"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/memstore"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/trigger"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

const inRepoScenarioConfig = `prowjob_namespace: prow
pod_namespace: test-pods
in_repo_config:
  enabled: {"*": false, demo: true}
  allowed_clusters: {"*": [default]}
presubmits:
  demo/hello:
  - name: pull-unit
    always_run: true
    spec: {containers: [{image: golang}]}
`

const baseProwYAML = `presubmits:
- name: pull-inrepo
  always_run: true
  spec: {containers: [{image: alpine, command: [echo, base]}]}
postsubmits:
- name: post-inrepo
  branches: [main]
  spec: {containers: [{image: alpine}]}
`

// command is the command of the latest run of job on PR n.
func command(t *testing.T, store *memstore.Store, n int, job string) string {
	t.Helper()
	list, err := store.List(context.Background(), jobs.Filter{Org: "demo", Repo: "hello", Pull: n}, jobs.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	out := ""
	for _, pj := range list.Items {
		if pj.Spec.Job == job && pj.Spec.PodSpec != nil {
			out = strings.Join(pj.Spec.PodSpec.Containers[0].Command, " ")
		}
	}
	return out
}

// startInRepo starts hook with trigger on demo/hello, whose jobs come
// from its .prow.yaml (baseProwYAML) too, read by a Getter keeping size
// revisions (inrepo.New's default when size <= 0).
func startInRepo(tb testing.TB, size int) (*harness.Env, *memstore.Store, *inrepo.Getter) {
	tb.Helper()
	store := memstore.New()
	seed := harness.NewSeed("member").Members("member").
		Files(sandbox.FileChanges{"README.md": "hello\n", ".prow.yaml": baseProwYAML}).Seed()
	var getter *inrepo.Getter
	env := harness.StartWithConfig(tb, seed, inRepoScenarioConfig, "plugins:\n  demo:\n    plugins: [trigger]\n",
		func(d harness.Deps) []plugins.Plugin {
			getter = inrepo.New(d.Git, size)
			return []plugins.Plugin{trigger.New(d.GitHub, store, getter)}
		})
	return env, store, getter
}

func TestTriggerRunsJobsFromTheRepository(t *testing.T) {
	env, store, getter := startInRepo(t, 16)
	status := func(n int) (string, string) {
		t.Helper()
		pr, err := env.GitHub.GetPullRequest(context.Background(), "demo", "hello", n)
		if err != nil {
			t.Fatal(err)
		}
		list, err := env.GitHub.ListStatuses(context.Background(), "demo", "hello", pr.HeadSHA)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range list {
			if s.Context == trigger.InRepoConfigContext {
				return s.State, s.Description
			}
		}
		return "", ""
	}

	t.Run("the jobs of .prow.yaml on the base run on a pull request", func(t *testing.T) {
		n := env.OpenPull("member", "demo", "hello", "feature", "main", "Add a feature", map[string]string{"a.go": "package a\n"})
		if got := strings.Join(runs(t, store, n), ","); got != "pull-inrepo:triggered,pull-unit:triggered" {
			t.Fatalf("jobs: %s", got)
		}
		if got := command(t, store, n, "pull-inrepo"); got != "echo base" {
			t.Errorf("pull-inrepo runs %q, want the base's version", got)
		}
		if st, _ := status(n); st != "" {
			t.Errorf("a valid configuration should leave no status, got %q", st)
		}
		reads := getter.Reads()
		env.Comment("member", "demo", "hello", n, "/test pull-inrepo")
		if got := strings.Join(runs(t, store, n), ","); got != "pull-inrepo:triggered,pull-inrepo:triggered,pull-unit:triggered" {
			t.Fatalf("/test should run the in-repo job: %s", got)
		}
		if getter.Reads() != reads {
			t.Errorf("the same revision was read again: %d reads, then %d", reads, getter.Reads())
		}
	})

	t.Run("a pull request that changes .prow.yaml runs its own version", func(t *testing.T) {
		changed := strings.Replace(baseProwYAML, "echo, base", "echo, changed", 1) +
			"- name: pull-new\n  always_run: true\n  spec: {containers: [{image: alpine}]}\n"
		changed = strings.Replace(changed, "postsubmits:\n- name: post-inrepo\n  branches: [main]\n  spec: {containers: [{image: alpine}]}\n", "", 1)
		changed += "postsubmits:\n- name: post-inrepo\n  branches: [main]\n  spec: {containers: [{image: alpine}]}\n"
		n := env.OpenPull("member", "demo", "hello", "change-job", "main", "Change the job", map[string]string{".prow.yaml": changed})
		if got := strings.Join(runs(t, store, n), ","); got != "pull-inrepo:triggered,pull-new:triggered,pull-unit:triggered" {
			t.Fatalf("jobs: %s", got)
		}
		if got := command(t, store, n, "pull-inrepo"); got != "echo changed" {
			t.Errorf("pull-inrepo runs %q, want the pull request's version", got)
		}
	})

	broken := []struct {
		name, file, want string
	}{
		{"a syntax error", "presubmits: [\n", ".prow.yaml:"},
		{"a job that redefines a central one", "presubmits:\n- name: pull-unit\n  spec: {containers: [{image: alpine}]}\n", `"pull-unit" is already defined in the central configuration`},
		{"a cluster that is not allowed", "presubmits:\n- name: pull-elsewhere\n  cluster: gpu\n  spec: {containers: [{image: alpine}]}\n", `cluster "gpu" is not allowed`},
		{"both .prow.yaml and .prow/", "", "keep one of them"},
	}
	for i, tc := range broken {
		t.Run("a pull request with "+tc.name+" gets a failing status and no job", func(t *testing.T) {
			files := map[string]string{".prow.yaml": tc.file}
			if tc.file == "" {
				files = map[string]string{".prow/jobs.yaml": baseProwYAML}
			}
			branch := "broken-" + string(rune('a'+i))
			n := env.OpenPull("member", "demo", "hello", branch, "main", "Break it", files)
			if got := runs(t, store, n); len(got) != 0 {
				t.Fatalf("no job may run: %v", got)
			}
			st, desc := status(n)
			if st != "failure" || !strings.Contains(desc, tc.want) {
				t.Fatalf("status %s %q, want failure naming %q", st, desc, tc.want)
			}
			if i > 0 {
				return
			}
			env.Push("demo", "hello", n, map[string]string{".prow.yaml": baseProwYAML})
			if got := strings.Join(runs(t, store, n), ","); got != "pull-inrepo:triggered,pull-unit:triggered" {
				t.Fatalf("fixing the file should run the jobs: %s", got)
			}
			if st, _ := status(n); st == "failure" {
				t.Error("the fixed head should not carry the failure")
			}
		})
	}

	t.Run("a push runs the postsubmits of the pushed commit's .prow.yaml", func(t *testing.T) {
		env.PushBranch("member", "demo", "hello", "main", map[string]string{"b.go": "package b\n"})
		list, err := store.List(context.Background(), jobs.Filter{Org: "demo", Repo: "hello", Type: prowapi.PostsubmitJob}, jobs.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 1 || list.Items[0].Spec.Job != "post-inrepo" {
			t.Fatalf("postsubmits: %+v", list.Items)
		}
	})
}
