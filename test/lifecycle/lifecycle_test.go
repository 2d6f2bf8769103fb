package lifecycle_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/memstore"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/catalog"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/prow/owners"
	"github.com/prowbot/prow/test/harness"
)

const configYAML = `prowjob_namespace: prow
pod_namespace: test-pods
presubmits:
  demo/hello:
  - name: pull-hello-unit
    always_run: true
    spec: {containers: [{image: golang, command: [go, test, ./...]}]}
`

const pluginsYAML = `plugins:
  demo:
    plugins: [trigger, lgtm, approve, hold, wip, size]
`

func seed() *sandbox.Seed {
	return harness.NewSeed("newcomer", "member", "reviewer", "approver").
		Members("member", "reviewer", "approver").Collaborators("write", "reviewer", "approver").
		Labels("needs-ok-to-test", "ok-to-test", "lgtm", "approved", "do-not-merge/hold",
			"do-not-merge/work-in-progress", "size/XS", "size/S").
		Files(sandbox.FileChanges{"OWNERS": "approvers: [approver]\nreviewers: [reviewer]\n", "hello.go": "package hello\n"}).
		Seed()
}

// lifecycle is the script: it returns the job store for checks.
type lifecycle struct {
	tb    testing.TB
	env   *harness.Env
	store *memstore.Store
	pr    int
}

func start(tb testing.TB) *lifecycle {
	store := memstore.New()
	env := harness.StartWithConfig(tb, seed(), configYAML, pluginsYAML, func(d harness.Deps) []plugins.Plugin {
		return catalog.All(catalog.Deps{GitHub: d.GitHub, Owners: &owners.Loader{Git: d.Git}, Git: d.Git, Jobs: store})
	})
	return &lifecycle{tb: tb, env: env, store: store}
}

func (l *lifecycle) labels() []string {
	got := l.env.Labels("demo", "hello", l.pr)
	sort.Strings(got)
	return got
}

func (l *lifecycle) lastBotComment() string {
	cs := l.env.Comments("demo", "hello", l.pr)
	for i := len(cs) - 1; i >= 0; i-- {
		if cs[i].User == harness.Bot {
			return cs[i].Body
		}
	}
	return ""
}

func (l *lifecycle) runs() []prowapi.ProwJob {
	list, err := l.store.List(context.Background(), jobs.Filter{Org: "demo", Repo: "hello", Pull: l.pr}, jobs.Page{Limit: 1000})
	if err != nil {
		l.tb.Fatal(err)
	}
	return list.Items
}

// markRunning does what the controller would: the job's pod started.
func (l *lifecycle) markRunning() {
	for _, pj := range l.runs() {
		if pj.Status.State == prowapi.TriggeredState {
			pj.Status.State = prowapi.PendingState
			if _, err := l.store.Update(context.Background(), &pj); err != nil {
				l.tb.Fatal(err)
			}
		}
	}
}

func has(labels []string, l string) bool { return slices.Contains(labels, l) }

// step is one move of the script and its checks.
type step struct {
	name string
	do   func(t testing.TB, l *lifecycle)
}

// script is the pull request lifecycle the issue describes.
var script = []step{

	{"an untrusted author's pull request waits for ok-to-test", func(t testing.TB, l *lifecycle) {
		l.pr = l.env.OpenPull("newcomer", "demo", "hello", "typo", "main", "Fix a typo", map[string]string{"hello.go": "package hello // hi\n"})
		if got := l.labels(); !has(got, "needs-ok-to-test") || len(l.runs()) != 0 {
			t.Fatalf("labels %v, jobs %d", got, len(l.runs()))
		}
	}},
	{"a member's /ok-to-test requests the jobs", func(t testing.TB, l *lifecycle) {
		l.env.Comment("member", "demo", "hello", l.pr, "/ok-to-test")
		got := l.labels()
		if has(got, "needs-ok-to-test") || !has(got, "ok-to-test") {
			t.Fatalf("labels %v", got)
		}
		runs := l.runs()
		if len(runs) != 1 || runs[0].Spec.Job != "pull-hello-unit" || runs[0].Status.State != prowapi.TriggeredState {
			t.Fatalf("jobs: %+v", runs)
		}
		l.markRunning()
	}},
	{"a reviewer's /lgtm adds lgtm", func(t testing.TB, l *lifecycle) {
		l.env.Comment("reviewer", "demo", "hello", l.pr, "/lgtm")
		if got := l.labels(); !has(got, "lgtm") {
			t.Fatalf("labels %v", got)
		}
	}},
	{"the author's /lgtm is refused with a reply", func(t testing.TB, l *lifecycle) {
		before := len(l.env.Comments("demo", "hello", l.pr))
		l.env.Comment("newcomer", "demo", "hello", l.pr, "/lgtm")
		if !strings.Contains(l.lastBotComment(), "you cannot LGTM your own PR.") || len(l.env.Comments("demo", "hello", l.pr)) != before+2 {
			t.Fatalf("reply %q", l.lastBotComment())
		}
	}},
	{"an OWNERS approver's /approve adds approved and a notification listing approvers", func(t testing.TB, l *lifecycle) {
		l.env.Comment("approver", "demo", "hello", l.pr, "/approve")
		if got := l.labels(); !has(got, "approved") {
			t.Fatalf("labels %v", got)
		}
		var notes []string
		for _, c := range l.env.Comments("demo", "hello", l.pr) {
			if c.User == harness.Bot && strings.HasPrefix(c.Body, "[APPROVALNOTIFIER]") {
				notes = append(notes, c.Body)
			}
		}
		if len(notes) != 1 || !strings.Contains(notes[0], "**APPROVED**") || !strings.Contains(notes[0], "*approver*") {
			t.Fatalf("notifications %q", notes)
		}
	}},
	{"/hold adds do-not-merge/hold", func(t testing.TB, l *lifecycle) {
		l.env.Comment("reviewer", "demo", "hello", l.pr, "/hold")
		if got := l.labels(); !has(got, "do-not-merge/hold") {
			t.Fatalf("labels %v", got)
		}
	}},
	{"a new push removes lgtm, aborts the running presubmit, keeps approved", func(t testing.TB, l *lifecycle) {
		l.env.Push("demo", "hello", l.pr, map[string]string{"hello.go": "package hello // hello\n"})
		got := l.labels()
		if has(got, "lgtm") || !has(got, "approved") || !has(got, "do-not-merge/hold") {
			t.Fatalf("labels %v", got)
		}
		var states []string
		for _, pj := range l.runs() {
			states = append(states, string(pj.Status.State))
		}
		sort.Strings(states)
		if strings.Join(states, ",") != "aborted,triggered" {
			t.Fatalf("the old run should be aborted and a new one requested: %v", states)
		}
	}},
}

func TestPullRequestLifecycle(t *testing.T) {
	l := start(t)
	for _, s := range script {
		if !t.Run(s.name, func(t *testing.T) { s.do(t, l) }) {
			t.FailNow()
		}
	}
}

// BenchmarkPRLifecycle reports the GitHub calls the bot makes for one
// whole lifecycle: the API budget of a pull request.
func BenchmarkPRLifecycle(b *testing.B) {
	var total harness.Counts
	for range b.N {
		l := start(b)
		before := l.env.Calls.Snapshot()
		for _, s := range script {
			s.do(b, l)
		}
		c := l.env.Calls.Snapshot().Sub(before)
		total = harness.Counts{API: total.API + c.API, Charged: total.Charged + c.Charged, Writes: total.Writes + c.Writes, Git: total.Git + c.Git}
	}
	n := float64(b.N)
	b.ReportMetric(float64(total.API)/n, "api-calls/lifecycle")
	b.ReportMetric(float64(total.Charged)/n, "charged-calls/lifecycle")
	b.ReportMetric(float64(total.Writes)/n, "writes/lifecycle")
	b.ReportMetric(float64(total.Git)/n, "git-requests/lifecycle")
}
