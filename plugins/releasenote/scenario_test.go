package releasenote_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/releasenote"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
	"github.com/prowbot/prow/test/testlog"
)

const pluginsYAML = "plugins:\n  demo:\n    plugins: [release-note]\nrelease_note:\n  guidelines_url: https://example.com/notes\n"

func sorted(l []string) []string { sort.Strings(l); return l }

// asking counts the bot's comments asking for a release note.
func asking(cs []github.IssueComment) int {
	n := 0
	for _, c := range cs {
		if c.User == harness.Bot && strings.Contains(c.Body, "https://example.com/notes") {
			n++
		}
	}
	return n
}

func TestReleaseNoteThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("alice", "bob", "carol").Members("alice").Collaborators("write", "alice").
		Labels(releasenote.LabelNote, releasenote.LabelNone, releasenote.LabelNeeded, releasenote.LabelActionRequired, releasenote.LabelDeprecation).Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{releasenote.New(c)}
	})
	n := env.OpenPull("bob", "demo", "hello", "change", "main", "Change", map[string]string{"a": "a\n"})
	check := func(step string, labels []string, asks int) {
		t.Helper()
		if got := sorted(env.Labels("demo", "hello", n)); !reflect.DeepEqual(got, sorted(labels)) {
			t.Fatalf("%s: labels %v, want %v", step, got, labels)
		}
		if got := asking(env.Comments("demo", "hello", n)); got != asks {
			t.Fatalf("%s: %d comments asking for a note, want %d", step, got, asks)
		}
	}
	check("opened without a note", []string{releasenote.LabelNeeded}, 1)
	if cs := env.Comments("demo", "hello", n); !strings.HasPrefix(cs[0].Body, "@bob: This pull request needs a release note") {
		t.Fatalf("the comment asking for a note: %q", cs[0].Body)
	}

	env.Comment("carol", "demo", "hello", n, "/release-note-none")
	check("a stranger's /release-note-none", []string{releasenote.LabelNeeded}, 1)
	if cs := env.Comments("demo", "hello", n); !strings.Contains(cs[len(cs)-1].Body, "only the pull request's author and members of demo") {
		t.Fatalf("no refusal for carol: %q", cs[len(cs)-1].Body)
	}

	env.Comment("bob", "demo", "hello", n, "/release-note-none")
	check("the author's /release-note-none", []string{releasenote.LabelNone}, 0)

	env.Do("alice", http.MethodPost, fmt.Sprintf("/repos/demo/hello/issues/%d/labels", n), map[string][]string{"labels": {releasenote.LabelDeprecation}}, nil)
	env.Settle()
	check("labeled kind/deprecation", []string{releasenote.LabelDeprecation, releasenote.LabelNeeded}, 1)
	if cs := env.Comments("demo", "hello", n); !strings.Contains(cs[len(cs)-1].Body, "a deprecation needs a release note") {
		t.Fatalf("the comment does not say why a deprecation needs a note: %q", cs[len(cs)-1].Body)
	}

	env.Comment("carol", "demo", "hello", n, "/release-note-edit\n```release-note\nnope\n```")
	check("a stranger's /release-note-edit", []string{releasenote.LabelDeprecation, releasenote.LabelNeeded}, 1)

	env.Comment("alice", "demo", "hello", n, "/release-note-edit\n```release-note\nThe --foo flag is deprecated.\n```")
	check("a member's /release-note-edit", []string{releasenote.LabelDeprecation, releasenote.LabelNote}, 0)

	env.Do("bob", http.MethodPatch, fmt.Sprintf("/repos/demo/hello/issues/%d", n), map[string]string{"body": "```release-note\nACTION REQUIRED: drop --foo.\n```"}, nil)
	env.Settle()
	check("the author rewrites the note", []string{releasenote.LabelDeprecation, releasenote.LabelActionRequired}, 0)
}

// A delivery replayed after a crash asks for a note once.
func TestReleaseNoteReplayCommentsOnce(t *testing.T) {
	seed := harness.NewSeed("bob").Labels(releasenote.LabelNeeded).Seed()
	env := harness.Start(t, seed, "plugins: {}\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{releasenote.New(c)}
	})
	n := env.OpenPull("bob", "demo", "hello", "change", "main", "Change", map[string]string{"a": "a\n"})
	p := releasenote.New(env.GitHub)
	cfg := &pluginconfig.Configuration{ReleaseNote: pluginconfig.ReleaseNote{GuidelinesURL: "https://example.com/notes"}}
	penv := plugins.Env{Log: testlog.Discard(), PluginConfig: func() *pluginconfig.Configuration { return cfg }, BotLogin: harness.Bot}
	ev := plugins.PullRequestEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: "opened",
		PR: github.PullRequest{Number: n, State: "open", Author: "bob"}}
	// The first run fails half-way under the sandbox's faults, or not;
	// the journal replays the delivery until a run finishes.
	env.ReplayThroughFaults(faultSeed, "release-note/0.0", func(ctx context.Context) error { return p.PullRequest(ctx, penv, ev) })
	if got := asking(env.Comments("demo", "hello", n)); got != 1 {
		t.Fatalf("%d comments asking for a note after a replay, want 1", got)
	}
	if got := env.Labels("demo", "hello", n); !reflect.DeepEqual(got, []string{releasenote.LabelNeeded}) {
		t.Fatalf("labels %v", got)
	}
}

var faultSeed uint64 = 7
