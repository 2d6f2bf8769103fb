package trigger_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/memstore"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/trigger"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
	"github.com/prowbot/prow/test/testlog"
)

// checksPlugins enables trigger for demo, trusting only the org's
// members: outsider has write access (so GitHub shows them "Re-run")
// but is not trusted.
const checksPlugins = "plugins:\n  demo:\n    plugins: [trigger]\ntriggers:\n- repos: [demo]\n  only_org_members: true\n"

// TestCheckRunReRunsThroughHookAndSandbox: "Re-run" on a check run
// (check_run rerequested) reruns its job as /retest would, with the same
// trust rules, and /retest reads the check runs.
func TestCheckRunReRunsThroughHookAndSandbox(t *testing.T) {
	store := memstore.New()
	seed := harness.NewSeed("member", "newcomer", "outsider").Members("member").Collaborators("write", "member", "outsider").
		Labels(trigger.NeedsOkToTest, trigger.OkToTest).Seed()
	cfg := scenarioConfig + "github_reporter:\n  report_as: check-runs\n"
	var p plugins.Plugin
	env := harness.StartWithConfig(t, seed, cfg, checksPlugins, func(d harness.Deps) []plugins.Plugin {
		p = trigger.New(d.GitHub, store, nil)
		return []plugins.Plugin{p}
	})
	ctx := context.Background()
	head := func(n int) string {
		pr, err := env.GitHub.GetPullRequest(ctx, "demo", "hello", n)
		if err != nil {
			t.Fatal(err)
		}
		return pr.HeadSHA
	}
	// failedRun is the bot's check run of context on PR n's head, failed.
	failedRun := func(n int, context string) int64 {
		id, err := env.GitHub.CreateCheckRun(ctx, "demo", "hello", github.CheckRun{Name: context, HeadSHA: head(n), Conclusion: "failure",
			Title: "Job failed.", Summary: "Job failed."})
		if err != nil {
			t.Fatal(err)
		}
		env.Settle()
		return id
	}
	rerun := func(user string, id int64) {
		env.Do(user, http.MethodPost, fmt.Sprintf("/repos/demo/hello/check-runs/%d/rerequest", id), nil, nil)
		env.Settle()
	}

	t.Run("a re-run on a trusted pull request reruns that job as a retest", func(t *testing.T) {
		n := env.OpenPull("member", "demo", "hello", "feature", "main", "Add a feature", map[string]string{"a.go": "package a\n"})
		id := failedRun(n, "pull-e2e")
		// outsider is not trusted, but the pull request is.
		rerun("outsider", id)
		if got := strings.Join(runs(t, store, n), ","); got != "pull-e2e:triggered,pull-unit:triggered" {
			t.Fatalf("jobs after the re-run: %s", got)
		}
		list, _ := store.List(ctx, jobs.Filter{Pull: n, Job: "pull-e2e"}, jobs.Page{})
		if pj := list.Items[0]; pj.Labels[prowapi.RetestLabel] != "true" || pj.Spec.Refs.Pulls[0].SHA != head(n) {
			t.Errorf("the re-run: labels %v, refs %+v", pj.Labels, pj.Spec.Refs)
		}

		// /retest reads the check runs (report_as: check-runs): the failed
		// pull-unit reruns, pull-e2e, whose rerun passed, does not.
		if err := env.GitHub.UpdateCheckRun(ctx, "demo", "hello", github.CheckRun{ID: id, Name: "pull-e2e", Status: "queued"}); err != nil {
			t.Fatal(err)
		}
		if err := env.GitHub.UpdateCheckRun(ctx, "demo", "hello", github.CheckRun{ID: id, Name: "pull-e2e", Conclusion: "success"}); err != nil {
			t.Fatal(err)
		}
		failedRun(n, "pull-unit")
		before := len(runs(t, store, n))
		env.Comment("member", "demo", "hello", n, "/retest")
		if got := runs(t, store, n); len(got) != before+1 || strings.Count(strings.Join(got, ","), "pull-unit") != 2 {
			t.Fatalf("/retest should rerun the failed pull-unit only: %v", got)
		}
	})

	t.Run("a re-run by an untrusted user on an untrusted pull request is refused", func(t *testing.T) {
		n := env.OpenPull("newcomer", "demo", "hello", "newcomer-patch", "main", "Fix a typo", map[string]string{"README.md": "hi\n"})
		id := failedRun(n, "pull-unit")
		rerun("outsider", id)
		if got := runs(t, store, n); len(got) != 0 {
			t.Fatalf("jobs after an untrusted re-run: %v", got)
		}
		cs := env.BotComments("demo", "hello", n)
		if last := cs[len(cs)-1]; !strings.HasPrefix(last, "@outsider: "+trigger.UntrustedReply) || !strings.Contains(last, "re-run pull-unit") {
			t.Errorf("the refusal: %q", last)
		}
		// A member's re-run is trusted.
		rerun("member", id)
		if got := strings.Join(runs(t, store, n), ","); got != "pull-unit:triggered" {
			t.Fatalf("jobs after the member's re-run: %s", got)
		}
	})

	t.Run("a re-run of a check run of no presubmit, or of an old head, does nothing", func(t *testing.T) {
		n := env.OpenPull("member", "demo", "hello", "other", "main", "Other", map[string]string{"b.go": "package a\n"})
		before := runs(t, store, n)
		rerun("member", failedRun(n, "lint-by-someone-else"))
		if got := runs(t, store, n); strings.Join(got, ",") != strings.Join(before, ",") {
			t.Fatalf("jobs changed: %v, then %v", before, got)
		}
		old := failedRun(n, "pull-e2e")
		env.Push("demo", "hello", n, map[string]string{"b.go": "package b\n"})
		before = runs(t, store, n)
		rerun("member", old)
		if got := runs(t, store, n); strings.Join(got, ",") != strings.Join(before, ",") {
			t.Fatalf("jobs changed: %v, then %v", before, got)
		}
	})

	t.Run("re-run all checks reruns the failed ones as /retest", func(t *testing.T) {
		n := env.OpenPull("member", "demo", "hello", "suite", "main", "Suite", map[string]string{"c.go": "package a\n"})
		failedRun(n, "pull-unit")
		before := runs(t, store, n)
		// The sandbox has no check suites: the event as hook decodes it.
		ev := plugins.CheckSuiteEvent{GUID: "suite-1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: "rerequested", Sender: "member",
			Suite: plugins.CheckSuite{ID: 1, HeadSHA: head(n), PullRequests: []int{n}}}
		callPlugin(t, cfg, checksPlugins, func(e plugins.Env) error { return p.CheckSuite(ctx, e, ev) })
		if got := runs(t, store, n); len(got) != len(before)+1 || strings.Count(strings.Join(got, ","), "pull-unit") != 2 {
			t.Fatalf("jobs after re-run all: %v, before %v", got, before)
		}
		// Without the pull request's number (a fork's), it is found by
		// the runs of its head.
		ev.Suite.PullRequests = nil
		callPlugin(t, cfg, checksPlugins, func(e plugins.Env) error { return p.CheckSuite(ctx, e, ev) })
		if got := runs(t, store, n); strings.Count(strings.Join(got, ","), "pull-unit") != 3 {
			t.Fatalf("jobs after re-run all of a fork's pull request: %v", got)
		}
	})
}

// callPlugin calls a handler of p with the configuration of the YAML
// given.
func callPlugin(t *testing.T, cfgYAML, pluginsYAML string, call func(plugins.Env) error) {
	t.Helper()
	dir := t.TempDir()
	cfgPath, plugPath := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "plugins.yaml")
	for path, text := range map[string]string{cfgPath: cfgYAML, plugPath: pluginsYAML} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	snap, _, err := config.Load(config.Options{ConfigPath: cfgPath, PluginConfigPath: plugPath,
		KnownPlugins: append([]string{trigger.Name}, pluginconfig.DefaultKnownPlugins()...)})
	if err != nil {
		t.Fatal(err)
	}
	env := plugins.Env{Log: testlog.Discard(), Config: func() *config.Config { return snap.Config },
		PluginConfig: func() *pluginconfig.Configuration { return snap.Plugins }, BotLogin: harness.Bot}
	if err := call(env); err != nil {
		t.Fatal(err)
	}
}
