package cherrypicker_test

import (
	"net/http"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/cherrypicker"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// merged starts the bot with pull request 1 merged; it returns the git
// cache too.
func merged(t *testing.T, yaml string) (*harness.Env, cherrypicker.Git) {
	var g cherrypicker.Git
	env := harness.StartWith(t, seed(), yaml, func(d harness.Deps) []plugins.Plugin {
		g = d.Git
		return []plugins.Plugin{cherrypicker.New(d.GitHub, d.Git), harness.Panicker("panics")}
	})
	env.Do("alice", http.MethodPut, "/repos/demo/hello/pulls/1/merge", map[string]string{"merge_method": "merge"}, nil)
	env.Settle()
	return env, g
}

// Beside a plugin that panics on every event, and with a third of the
// bot's requests failing or dropped before GitHub applies them, a
// cherry-pick is opened once and linked once.
func TestCherrypickUnderFaultsAndAPanickingNeighbour(t *testing.T) {
	env, _ := merged(t, "plugins:\n  demo:\n    plugins: [cherrypicker, panics]\ncherrypicker:\n  labels: [area/release]\n")
	env.InjectFaults(0.3, 7)
	env.CommentThroughFaults("alice", "demo", "hello", 1, "/cherrypick release-1.0")
	env.Sandbox.SetFaults(sandbox.Faults{})
	if !env.FaultsStruck() {
		t.Fatal("no fault struck: the test shows nothing")
	}
	checkPick(t, env, "release-1.0", "alice")
	if said := botSaid(env, "release-1.0"); len(said) != 1 {
		t.Errorf("the bot said %d things about release-1.0: %q", len(said), said)
	}
}

// Beside a plugin that hangs and one that panics, with GitHub answering
// a share of the bot's requests with its secondary rate limit (a second's
// wait each), the plugin's own run may be cut off by its timeout; the
// journal hands the delivery over again until a run finishes, and the
// pull request ends with one cherry-pick and one reply about it.
func TestCherrypickCutOffAndReplayedRepliesOnce(t *testing.T) {
	env, g := merged(t, "plugins: {}\n")
	cfg := &pluginconfig.Configuration{Cherrypicker: pluginconfig.Cherrypicker{Labels: []string{"area/release"}}}
	ev := plugins.GenericCommentEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: plugins.CommentCreated,
		Body: "/cherrypick release-1.0", HTMLURL: "https://example.com/c1", User: "alice", Number: 1, IsPR: true, IssueState: "closed"}
	env.InjectFaults(0.4, 3, sandbox.FaultSecondary)
	p := cherrypicker.New(env.GitHub, g)
	for run := 0; ; run++ {
		if run == 3 {
			env.Sandbox.SetFaults(sandbox.Faults{})
		}
		if run == 12 {
			t.Fatal("no run finished")
		}
		harness.DispatchBeside(t, p, cfg, plugins.Delivery{GUID: "d1", EventType: "issue_comment", Events: []any{ev}, Replayed: run > 0})
		env.Settle()
		// The assignment is the last step of a run.
		if prs := picks(t, env, "release-1.0"); len(prs) == 1 && len(assignees(env, prs[0].Number)) == 1 {
			if run == 0 {
				t.Fatal("the first run finished: the faults cut nothing short")
			}
			break
		}
	}
	checkPick(t, env, "release-1.0", "alice")
	// Once more, as if the process died before journaling the success.
	harness.DispatchBeside(t, p, cfg, plugins.Delivery{GUID: "d1", EventType: "issue_comment", Events: []any{ev}, Replayed: true})
	env.Settle()
	if n := len(picks(t, env, "release-1.0")); n != 1 {
		t.Errorf("%d cherry-picks", n)
	}
	if said := botSaid(env, "release-1.0"); len(said) != 1 {
		t.Errorf("the bot said %d things about release-1.0: %q", len(said), said)
	}
}
