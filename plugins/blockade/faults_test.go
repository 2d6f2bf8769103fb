package blockade_test

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/blockade"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// Beside a plugin that panics on every event, and with a third of the
// bot's requests failing before GitHub applies them (the admin API never
// fails), the label and one notice come, and go, once each.
func TestBlockadeWritesOnceUnderFaultsAndAPanickingNeighbour(t *testing.T) {
	env := harness.StartBesidePanicker(t, seed(), pluginsYAML, blockade.Name, func(c *github.Client) plugins.Plugin { return blockade.New(c) })
	for i, step := range []struct {
		name   string
		files  map[string]string
		labels []string
		notes  int
	}{
		{"a push changing docs", map[string]string{"docs/guide.md": "v2\n"}, []string{blockade.Label}, 1},
		{"another push changing docs", map[string]string{"docs/guide.md": "v3\n"}, []string{blockade.Label}, 1},
		{"the docs change dropped", map[string]string{"docs/guide.md": sandbox.Deleted}, []string{}, 0},
	} {
		// Each push builds on the one before: a failed step stops the rest.
		if !t.Run(step.name, func(t *testing.T) {
			env.InjectFaults(0.3, uint64(29+i))
			env.Push("demo", "hello", 1, step.files)
			env.Sandbox.SetFaults(sandbox.Faults{})
			if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, step.labels) {
				t.Fatalf("after %s: labels %v, want %v", step.name, got, step.labels)
			}
			if got := notices(env, 1); len(got) != step.notes {
				t.Fatalf("after %s: %d notices, want %d", step.name, len(got), step.notes)
			}
		}) {
			return
		}
	}
	env.CheckFaultsStruck()
}

// Dispatched beside a plugin that hangs until its timeout and one that
// panics, a pull request changing blocked paths gets the label and one
// notice without waiting for them.
func TestBlockadeBesideAStallingAndAPanickingPlugin(t *testing.T) {
	env := harness.StartWithoutPlugins(t, seed())
	cfg := &pluginconfig.Configuration{Blockades: []pluginconfig.Blockade{{Repos: []string{"demo"}, BlockRegexps: []string{"^docs/"}, Explanation: "Frozen."}}}
	ev := plugins.PullRequestEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: "opened",
		PR: github.PullRequest{Number: 1, State: "open", Author: "bob", BaseRef: "main"}}
	harness.DispatchBeside(t, blockade.New(env.GitHub), cfg, plugins.Delivery{GUID: "d1", EventType: "pull_request", Events: []any{ev}})
	if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{blockade.Label}) {
		t.Fatalf("labels %v", got)
	}
	if got := notices(env, 1); len(got) != 1 {
		t.Fatalf("%d notices, want 1", len(got))
	}
}
