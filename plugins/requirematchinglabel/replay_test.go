package requirematchinglabel_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/requirematchinglabel"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
	"github.com/prowbot/prow/test/testlog"
)

// A delivery replayed after a crash labels and comments once.
func TestRequireMatchingLabelReplayCommentsOnce(t *testing.T) {
	seed := harness.NewSeed("bob").Labels("needs-kind").Issue("bob", "Broken").Seed()
	env := harness.Start(t, seed, "plugins: {}\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{requirematchinglabel.New(c)}
	})
	cfg := &pluginconfig.Configuration{RequireMatchingLabel: []pluginconfig.RequireMatchingLabel{
		{Org: "demo", Issues: true, Regexp: "^kind/", MissingLabel: "needs-kind", MissingComment: "Add a kind."}}}
	penv := plugins.Env{Log: testlog.Discard(), PluginConfig: func() *pluginconfig.Configuration { return cfg }, BotLogin: harness.Bot}
	ev := plugins.IssueEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: "unlabeled",
		Issue: plugins.Issue{Number: 1, State: "open", Author: "bob"}, Label: "kind/bug"}
	p := requirematchinglabel.New(env.GitHub)
	// The first run fails half-way under the sandbox's faults, or not;
	// the journal replays the delivery until a run finishes.
	env.ReplayThroughFaults(faultSeed, "require-matching-label/0.0", func(ctx context.Context) error { return p.Issue(ctx, penv, ev) })
	if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{"needs-kind"}) {
		t.Fatalf("labels %v, want [needs-kind]", got)
	}
	if cs := env.Comments("demo", "hello", 1); len(cs) != 1 || cs[0].Body != "Add a kind." {
		t.Fatalf("comments %+v, want the one missing-label comment", cs)
	}
}

var faultSeed uint64 = 7
