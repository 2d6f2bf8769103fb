package branchcleaner_test

import (
	"context"
	"testing"
	"time"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/branchcleaner"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

// stallDelete is the real client whose first deletion goes through and
// then hangs until the call's time is up, as if the answer were lost.
type stallDelete struct {
	*github.Client
	stall *harness.StallOnce
}

func (s stallDelete) DeleteRef(ctx context.Context, org, repo, ref string) error {
	if err := s.Client.DeleteRef(ctx, org, repo, ref); err != nil {
		return err
	}
	return s.stall.Hang(ctx)
}

// Beside a plugin that panics and one that hangs, branchcleaner still
// deletes the branch; a replay after its own call timed out (the branch
// already gone) succeeds.
func TestBranchCleanerBesideMisbehavingPluginsAndAfterATimeout(t *testing.T) {
	seed := harness.NewSeed("alice", "bob").Collaborators("write", "alice", "bob").Seed()
	env := harness.StartWithoutPlugins(t, seed)
	n := env.OpenPull("bob", "demo", "hello", "feature", "main", "Feature", map[string]string{"a.txt": "a\n"})
	merge(env, n)
	crowd := harness.NewCrowd(t, branchcleaner.New(stallDelete{env.GitHub, &harness.StallOnce{}}), pluginconfig.Configuration{}, 2*time.Second)
	ev := plugins.PullRequestEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello", DefaultBranch: "main"}, Action: "closed",
		PR: github.PullRequest{Number: n, State: "closed", Merged: true, Author: "bob",
			BaseRef: "main", BaseRepo: "demo/hello", HeadRef: "feature", HeadRepo: "demo/hello"}}
	env.DeliverFailing(crowd, branchcleaner.Name, ev)
	if exists(t, env, "feature") {
		t.Fatal("the branch is still there")
	}
	env.Replay(crowd, branchcleaner.Name, ev)
}
