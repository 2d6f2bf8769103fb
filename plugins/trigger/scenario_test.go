package trigger_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/memstore"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/trigger"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

const scenarioConfig = `prowjob_namespace: prow
pod_namespace: test-pods
presubmits:
  demo/hello:
  - name: pull-unit
    always_run: true
    spec: {containers: [{image: golang, command: [go, test]}]}
  - name: pull-e2e
    spec: {containers: [{image: golang}]}
  - name: pull-bench
    trigger: '(?m)^/bench\s*$'
    rerun_command: /bench
    optional: true
    spec: {containers: [{image: golang}]}
postsubmits:
  demo/hello:
  - name: post-build
    branches: [main]
    run_if_changed: '\.go$'
    spec: {containers: [{image: golang}]}
`

func scenarioSeed() *sandbox.Seed {
	return harness.NewSeed("member", "newcomer").Members("member").Files(sandbox.FileChanges{"README.md": "hello\n"}).
		Labels(trigger.NeedsOkToTest, trigger.OkToTest, trigger.LGTMLabel).Seed()
}

// runs lists the jobs of PR n (all PRs when 0) as "name:state", sorted.
func runs(t *testing.T, store *memstore.Store, n int) []string {
	t.Helper()
	list, err := store.List(context.Background(), jobs.Filter{Org: "demo", Repo: "hello", Pull: n}, jobs.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, pj := range list.Items {
		out = append(out, pj.Spec.Job+":"+string(pj.Status.State))
	}
	sort.Strings(out)
	return out
}

func TestTriggerThroughHookAndSandbox(t *testing.T) {
	store := memstore.New()
	env := harness.StartWithConfig(t, scenarioSeed(), scenarioConfig, "plugins:\n  demo:\n    plugins: [trigger]\n",
		func(d harness.Deps) []plugins.Plugin { return []plugins.Plugin{trigger.New(d.GitHub, store, nil)} })
	lastComment := func(n int) string {
		cs := env.Comments("demo", "hello", n)
		if len(cs) == 0 {
			return ""
		}
		return cs[len(cs)-1].User + ": " + cs[len(cs)-1].Body
	}

	t.Run("a member's pull request runs its automatic jobs", func(t *testing.T) {
		n := env.OpenPull("member", "demo", "hello", "feature", "main", "Add a feature", map[string]string{"a.go": "package a\n"})
		if got := strings.Join(runs(t, store, n), ","); got != "pull-unit:triggered" {
			t.Fatalf("jobs after opening: %s", got)
		}
		list, _ := store.List(context.Background(), jobs.Filter{Pull: n}, jobs.Page{})
		pj := list.Items[0]
		if pj.Spec.Refs.Pulls[0].Author != "member" || pj.Spec.Refs.BaseRef != "main" || pj.Spec.Refs.BaseSHA == "" ||
			pj.Labels[prowapi.PullLabel] == "" || pj.Spec.Context != "pull-unit" || pj.Namespace != "prow" {
			t.Errorf("the run's record is incomplete: refs %+v labels %v", pj.Spec.Refs, pj.Labels)
		}

		env.Comment("member", "demo", "hello", n, "/test ?")
		if !strings.Contains(lastComment(n), "* `/test pull-e2e`") {
			t.Fatalf("/test ? should list the jobs: %q", lastComment(n))
		}
		env.Comment("member", "demo", "hello", n, "/test pull-e2e")
		if got := strings.Join(runs(t, store, n), ","); got != "pull-e2e:triggered,pull-unit:triggered" {
			t.Fatalf("jobs after /test pull-e2e: %s", got)
		}
		for _, c := range env.Comments("demo", "hello", n) {
			if strings.Contains(c.Body, "trigger required jobs") {
				t.Errorf("the job list should be pruned by the next /test: %q", c.Body)
			}
		}
		env.Comment("member", "demo", "hello", n, "/test nothing-by-this-name")
		if !strings.Contains(lastComment(n), trigger.NoteTargetsNotFound) {
			t.Errorf("an unknown target should be explained: %q", lastComment(n))
		}

		env.Push("demo", "hello", n, map[string]string{"b.go": "package a\n"})
		if got := strings.Join(runs(t, store, n), ","); got != "pull-e2e:aborted,pull-unit:aborted,pull-unit:triggered" {
			t.Fatalf("a push should abort the running jobs and start the automatic ones: %s", got)
		}
	})

	t.Run("a newcomer's pull request waits for ok-to-test", func(t *testing.T) {
		n := env.OpenPull("newcomer", "demo", "hello", "newcomer-patch", "main", "Fix a typo", map[string]string{"README.md": "hi\n"})
		if got := env.Labels("demo", "hello", n); strings.Join(got, ",") != trigger.NeedsOkToTest {
			t.Fatalf("labels: %v", got)
		}
		if !strings.Contains(lastComment(n), "/ok-to-test") || len(runs(t, store, n)) != 0 {
			t.Fatalf("no jobs should run yet, and the bot should explain: %q, %v", lastComment(n), runs(t, store, n))
		}
		env.Comment("newcomer", "demo", "hello", n, "/test all")
		if !strings.Contains(lastComment(n), trigger.UntrustedReply) || len(runs(t, store, n)) != 0 {
			t.Fatalf("the newcomer cannot start jobs: %q, %v", lastComment(n), runs(t, store, n))
		}
		env.Comment("newcomer", "demo", "hello", n, "/ok-to-test")
		if len(runs(t, store, n)) != 0 || strings.Contains(strings.Join(env.Labels("demo", "hello", n), ","), trigger.OkToTest+",") {
			t.Fatalf("the newcomer cannot vouch for themselves: %v", runs(t, store, n))
		}
		env.Comment("member", "demo", "hello", n, "> /ok-to-test\nquoted, so not a command")
		if len(runs(t, store, n)) != 0 {
			t.Fatalf("a quoted command ran jobs: %v", runs(t, store, n))
		}
		env.Comment("member", "demo", "hello", n, "/ok-to-test")
		if got := env.Labels("demo", "hello", n); strings.Join(got, ",") != trigger.OkToTest {
			t.Fatalf("labels after /ok-to-test: %v", got)
		}
		if got := strings.Join(runs(t, store, n), ","); got != "pull-unit:triggered" {
			t.Fatalf("/ok-to-test should run the automatic jobs once: %s", got)
		}
		var pr struct {
			Head struct{ SHA string } `json:"head"`
		}
		env.Do("member", http.MethodGet, fmt.Sprintf("/repos/demo/hello/pulls/%d", n), nil, &pr)
		env.Do(harness.BotToken, http.MethodPost, "/repos/demo/hello/statuses/"+pr.Head.SHA,
			map[string]string{"state": "failure", "context": "pull-unit"}, nil)
		env.Comment("newcomer", "demo", "hello", n, "/retest")
		if got := strings.Join(runs(t, store, n), ","); got != "pull-unit:triggered,pull-unit:triggered" {
			t.Fatalf("/retest on the trusted PR should rerun the failed job: %s", got)
		}
		list, _ := store.List(context.Background(), jobs.Filter{Pull: n}, jobs.Page{Limit: 1})
		if list.Items[0].Labels[prowapi.RetestLabel] != "true" {
			t.Errorf("a retest run carries the retest label: %v", list.Items[0].Labels)
		}
	})

	t.Run("a job's own trigger starts it", func(t *testing.T) {
		n := env.OpenPull("member", "demo", "hello", "bench-me", "main", "Speed up", map[string]string{"c.go": "package a\n"})
		env.Comment("member", "demo", "hello", n, "/bench")
		if got := strings.Join(runs(t, store, n), ","); got != "pull-bench:triggered,pull-unit:triggered" {
			t.Fatalf("jobs after /bench: %s", got)
		}
	})

	t.Run("only a trusted user revokes ok-to-test", func(t *testing.T) {
		n := env.OpenPull("newcomer", "demo", "hello", "newcomer-2", "main", "Another fix", map[string]string{"d.go": "package a\n"})
		env.Comment("member", "demo", "hello", n, "/ok-to-test")
		env.Comment("newcomer", "demo", "hello", n, "/ok-to-test cancel")
		if !strings.Contains(lastComment(n), trigger.RevokeReply) || strings.Join(env.Labels("demo", "hello", n), ",") != trigger.OkToTest {
			t.Fatalf("the newcomer's revocation: reply %q, labels %v", lastComment(n), env.Labels("demo", "hello", n))
		}
		env.Comment("member", "demo", "hello", n, "/ok-to-test cancel")
		if got := strings.Join(env.Labels("demo", "hello", n), ","); got != trigger.NeedsOkToTest {
			t.Fatalf("labels after the member's revocation: %s", got)
		}
	})

	t.Run("the bot's lgtm builds an untrusted pull request once", func(t *testing.T) {
		n := env.OpenPull("newcomer", "demo", "hello", "newcomer-3", "main", "Third fix", map[string]string{"e.go": "package a\n"})
		if got := runs(t, store, n); len(got) != 0 {
			t.Fatalf("jobs before lgtm: %v", got)
		}
		env.Do(harness.BotToken, http.MethodPost, fmt.Sprintf("/repos/demo/hello/issues/%d/labels", n),
			map[string][]string{"labels": {trigger.LGTMLabel}}, nil)
		env.Settle()
		if got := strings.Join(runs(t, store, n), ","); got != "pull-unit:triggered" {
			t.Fatalf("jobs after the bot added lgtm: %s", got)
		}
	})

	t.Run("a push to main runs the postsubmits its files match", func(t *testing.T) {
		env.PushBranch("member", "demo", "hello", "main", map[string]string{"docs.md": "x\n"})
		env.PushBranch("member", "demo", "hello", "main", map[string]string{"main.go": "package main\n"})
		list, err := store.List(context.Background(), jobs.Filter{Type: prowapi.PostsubmitJob}, jobs.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 1 || list.Items[0].Spec.Job != "post-build" || list.Items[0].Spec.Refs.BaseRef != "main" {
			t.Fatalf("postsubmits: %+v", list.Items)
		}
	})
}

func TestTriggerIgnoringOkToTest(t *testing.T) {
	store := memstore.New()
	pluginsYAML := "plugins:\n  demo:\n    plugins: [trigger]\ntriggers:\n- repos: [demo/hello]\n  ignore_ok_to_test: true\n"
	env := harness.StartWithConfig(t, scenarioSeed(), scenarioConfig, pluginsYAML,
		func(d harness.Deps) []plugins.Plugin { return []plugins.Plugin{trigger.New(d.GitHub, store, nil)} })
	n := env.OpenPull("newcomer", "demo", "hello", "newcomer-patch", "main", "Fix a typo", map[string]string{"README.md": "hi\n"})
	cs := env.Comments("demo", "hello", n)
	if len(cs) != 1 || !strings.Contains(cs[0].Body, "does not let `/ok-to-test`") || len(env.Labels("demo", "hello", n)) != 0 {
		t.Fatalf("welcome %+v, labels %v", cs, env.Labels("demo", "hello", n))
	}
	env.Comment("newcomer", "demo", "hello", n, "/test all")
	cs = env.Comments("demo", "hello", n)
	if !strings.Contains(cs[len(cs)-1].Body, trigger.IgnoredOkToTestReply) {
		t.Fatalf("reply to the newcomer: %q", cs[len(cs)-1].Body)
	}
	env.Comment("member", "demo", "hello", n, "/ok-to-test")
	if len(env.Labels("demo", "hello", n)) != 0 || len(runs(t, store, n)) != 0 {
		t.Fatalf("ok-to-test should be ignored: labels %v, jobs %v", env.Labels("demo", "hello", n), runs(t, store, n))
	}
	env.Comment("member", "demo", "hello", n, "/test all")
	if got := strings.Join(runs(t, store, n), ","); got != "pull-unit:triggered" {
		t.Fatalf("a member's /test all: %s", got)
	}
}
