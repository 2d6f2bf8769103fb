package plugins

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/test/testlog"
)

// calls records handler invocations.
type record struct {
	mu    sync.Mutex
	calls []string
}

func (r *record) add(s string) {
	r.mu.Lock()
	r.calls = append(r.calls, s)
	r.mu.Unlock()
}

func (r *record) get() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

type recorderMetrics struct {
	mu     sync.Mutex
	failed map[string]bool
}

func (m *recorderMetrics) Handled(_, _, plugin string, _ bool, _ time.Duration, failed bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failed == nil {
		m.failed = map[string]bool{}
	}
	m.failed[plugin] = m.failed[plugin] || failed
}

func testDispatcher(t *testing.T, cfg *pluginconfig.Configuration, ps []Plugin, m Recorder, timeout time.Duration) *Dispatcher {
	t.Helper()
	d, err := NewDispatcher(DispatcherOptions{
		Plugins: ps, PluginConfig: func() *pluginconfig.Configuration { return cfg },
		BotLogin: func(context.Context) (string, error) { return "the-bot", nil },
		Timeout:  timeout, Recorder: m, Logger: testlog.Discard(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDispatchRunsCommandsOfEnabledPlugins(t *testing.T) {
	rec := &record{}
	lgtm := Plugin{Name: "lgtm", Commands: []Command{{
		Name: "lgtm", Args: regexp.MustCompile(`^(cancel)?$`),
		Handle: func(_ context.Context, env Env, ev GenericCommentEvent, invs []Invocation) error {
			for _, inv := range invs {
				rec.add("lgtm:" + ev.User + ":" + inv.Args + ":" + env.BotLogin)
			}
			return nil
		},
	}}}
	reopen := Plugin{Name: "lifecycle", Commands: []Command{{Name: "reopen", OnClosed: true,
		Handle: func(context.Context, Env, GenericCommentEvent, []Invocation) error { rec.add("reopen"); return nil }}}}
	everything := Plugin{Name: "cat", GenericComment: func(_ context.Context, _ Env, ev GenericCommentEvent) error {
		rec.add("comment:" + ev.User)
		return nil
	}}
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"org": {Plugins: []string{"lgtm", "lifecycle", "cat"}}, "other": {Plugins: []string{"lgtm"}}}}
	d := testDispatcher(t, cfg, []Plugin{lgtm, reopen, everything}, nil, time.Minute)

	cases := []struct {
		name string
		org  string
		ev   GenericCommentEvent
		want []string
	}{
		{"a command runs", "org", GenericCommentEvent{User: "alice", Body: "/lgtm", Action: CommentCreated, IssueState: "open"}, []string{"comment:alice", "lgtm:alice::the-bot"}},
		{"arguments reach the handler", "org", GenericCommentEvent{User: "alice", Body: "/lgtm cancel", Action: CommentCreated, IssueState: "open"}, []string{"comment:alice", "lgtm:alice:cancel:the-bot"}},
		{"unknown arguments do not match", "org", GenericCommentEvent{User: "alice", Body: "/lgtm please", Action: CommentCreated, IssueState: "open"}, []string{"comment:alice"}},
		{"an edited comment runs no command", "org", GenericCommentEvent{User: "alice", Body: "/lgtm", Action: CommentEdited, IssueState: "open"}, []string{"comment:alice"}},
		{"a closed issue runs only commands meant for it", "org", GenericCommentEvent{User: "alice", Body: "/lgtm\n/reopen", Action: CommentCreated, IssueState: "closed"}, []string{"comment:alice", "reopen"}},
		{"the bot's own comments run nothing", "org", GenericCommentEvent{User: "The-Bot", Body: "/lgtm", Action: CommentCreated, IssueState: "open"}, nil},
		{"a quoted command does nothing", "org", GenericCommentEvent{User: "alice", Body: "> /lgtm", Action: CommentCreated, IssueState: "open"}, []string{"comment:alice"}},
		{"plugins not enabled for the repo do not run", "other", GenericCommentEvent{User: "alice", Body: "/reopen", Action: CommentCreated, IssueState: "closed"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec.mu.Lock()
			rec.calls = nil
			rec.mu.Unlock()
			d.Dispatch(context.Background(), Delivery{GUID: "g", EventType: "issue_comment", Org: tc.org, Repo: "repo", Events: []any{tc.ev}})
			got := rec.get()
			if strings.Join(sorted(got), "|") != strings.Join(sorted(tc.want), "|") {
				t.Errorf("calls = %v, want %v", got, tc.want)
			}
		})
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestDispatchSurvivesPanicsAndTimeouts(t *testing.T) {
	rec := &record{}
	panics := Plugin{Name: "panics", PullRequest: func(context.Context, Env, PullRequestEvent) error { panic("boom") }}
	slow := Plugin{Name: "slow", PullRequest: func(ctx context.Context, _ Env, _ PullRequestEvent) error {
		<-ctx.Done()
		return nil
	}}
	fails := Plugin{Name: "fails", PullRequest: func(context.Context, Env, PullRequestEvent) error { return errors.New("nope") }}
	fine := Plugin{Name: "fine", PullRequest: func(_ context.Context, _ Env, ev PullRequestEvent) error { rec.add("fine:" + ev.Action); return nil }}
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"org": {Plugins: []string{"panics", "slow", "fails", "fine"}}}}
	m := &recorderMetrics{}
	d := testDispatcher(t, cfg, []Plugin{panics, slow, fails, fine}, m, 50*time.Millisecond)
	d.Dispatch(context.Background(), Delivery{EventType: "pull_request", Org: "org", Repo: "r", Events: []any{PullRequestEvent{Action: "opened"}}})
	if got := rec.get(); len(got) != 1 || got[0] != "fine:opened" {
		t.Errorf("the healthy plugin should run once: %v", got)
	}
	want := map[string]bool{"panics": true, "slow": true, "fails": true, "fine": false}
	for name, failed := range want {
		if m.failed[name] != failed {
			t.Errorf("plugin %s failed = %v, want %v", name, m.failed[name], failed)
		}
	}
}

func TestNewDispatcherRejectsBadPluginLists(t *testing.T) {
	cfg := func() *pluginconfig.Configuration { return &pluginconfig.Configuration{} }
	if _, err := NewDispatcher(DispatcherOptions{Plugins: []Plugin{{Name: "a"}, {Name: "a"}}, PluginConfig: cfg}); err == nil {
		t.Error("a plugin listed twice should be refused")
	}
	if _, err := NewDispatcher(DispatcherOptions{Plugins: []Plugin{{}}, PluginConfig: cfg}); err == nil {
		t.Error("a plugin without a name should be refused")
	}
}

func TestExternalPluginsGetTheOriginalDelivery(t *testing.T) {
	var mu sync.Mutex
	var got []*http.Request
	var bodies []string
	attempts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		attempts++
		if attempts == 1 { // drop the first connection: the forwarder must retry
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		b, _ := io.ReadAll(r.Body)
		got = append(got, r)
		bodies = append(bodies, string(b))
	}))
	defer srv.Close()
	cfg := &pluginconfig.Configuration{ExternalPlugins: map[string][]pluginconfig.ExternalPlugin{
		"org":      {{Name: "all", Endpoint: srv.URL}},
		"org/repo": {{Name: "pushes-only", Endpoint: srv.URL, Events: []string{"push"}}},
	}}
	f := &ExternalForwarder{PluginConfig: func() *pluginconfig.Configuration { return cfg }, Backoff: time.Millisecond}
	f.Forward(context.Background(), testlog.Discard(), Delivery{EventType: "issue_comment", Org: "org", Repo: "repo", Body: []byte(`{"x":1}`),
		Header: map[string][]string{"X-Hub-Signature-256": {"sha256=abc"}, "X-Github-Event": {"issue_comment"}}})
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("%d deliveries forwarded, want 1 (the push-only plugin skips comments)", len(got))
	}
	r := got[0]
	if r.Header.Get("User-Agent") != "ProwHook" || r.Header.Get("X-Hub-Signature-256") != "sha256=abc" || bodies[0] != `{"x":1}` {
		t.Errorf("forwarded %v %q", r.Header, bodies[0])
	}
}

func TestHelpListsPluginsAndCommands(t *testing.T) {
	p := Plugin{Name: "hold", Description: "Holds PRs.", Commands: []Command{{Name: "hold", Usage: "/hold [cancel]", Description: "Adds the hold label.", WhoCanUse: "Anyone", Featured: true,
		Handle: func(context.Context, Env, GenericCommentEvent, []Invocation) error { return nil }}}}
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"org": {Plugins: []string{"hold"}}},
		ExternalPlugins: map[string][]pluginconfig.ExternalPlugin{"org": {{Name: "needs-rebase", Events: []string{"pull_request"}}}}}
	d := testDispatcher(t, cfg, []Plugin{p}, nil, time.Minute)
	h := d.Help()
	if len(h.AllRepos) != 1 || h.AllRepos[0] != "org" || h.RepoPlugins["org"][0] != "hold" || h.RepoExternalPlugins["org"][0] != "needs-rebase" {
		t.Errorf("help repos: %+v", h)
	}
	ph := h.PluginHelp["hold"]
	if ph.Description != "Holds PRs." || len(ph.Commands) != 1 || ph.Commands[0].Usage != "/hold [cancel]" || ph.Commands[0].WhoCanUse != "Anyone" {
		t.Errorf("plugin help: %+v", ph)
	}
	if h.ExternalPluginHelp["needs-rebase"].Description != "External plugin at http://needs-rebase" {
		t.Errorf("external help: %+v", h.ExternalPluginHelp)
	}
}

func TestFormatResponse(t *testing.T) {
	got := FormatResponse("alice", "you cannot LGTM your own PR.", "https://github.com/o/r/pull/1#c1", "/lgtm\nthanks")
	for _, want := range []string{"@alice: you cannot LGTM your own PR.", "In response to [this](https://github.com/o/r/pull/1#c1):", ">/lgtm\n>thanks\n", "<details>", "</details>"} {
		if !strings.Contains(got, want) {
			t.Errorf("reply lacks %q:\n%s", want, got)
		}
	}
}

func TestWantsSaysWhetherAnyPluginTakesADelivery(t *testing.T) {
	cfg := &pluginconfig.Configuration{
		Plugins: pluginconfig.Plugins{"org": {Plugins: []string{"lgtm"}}, "unbuilt": {Plugins: []string{"not-in-this-binary"}}},
		ExternalPlugins: map[string][]pluginconfig.ExternalPlugin{
			"ext":      {{Name: "pushes", Endpoint: "http://127.0.0.1:1", Events: []string{"push"}}},
			"ext/repo": {{Name: "all", Endpoint: "http://127.0.0.1:1"}},
		},
	}
	d, err := NewDispatcher(DispatcherOptions{
		Plugins: []Plugin{{Name: "lgtm"}}, PluginConfig: func() *pluginconfig.Configuration { return cfg },
		External: &ExternalForwarder{PluginConfig: func() *pluginconfig.Configuration { return cfg }}, Logger: testlog.Discard(),
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, org, repo, event string
		want                   bool
	}{
		{"a plugin enabled for the org", "org", "any", "issue_comment", true},
		{"nothing configured", "elsewhere", "repo", "pull_request", false},
		{"only a plugin this binary lacks", "unbuilt", "repo", "pull_request", false},
		{"an external plugin taking the event", "ext", "other", "push", true},
		{"an external plugin taking other events", "ext", "other", "pull_request", false},
		{"an external plugin of the repo taking every event", "ext", "repo", "pull_request", true},
		{"an org-level event with no plugin", "", "", "organization", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := d.Wants(tc.org, tc.repo, tc.event); got != tc.want {
				t.Errorf("Wants(%q, %q, %q) = %v, want %v", tc.org, tc.repo, tc.event, got, tc.want)
			}
		})
	}
}
