package configupdater_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/configupdater"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

// stallComment is the real client whose first comment is posted and then
// hangs until the call's time is up, as if the answer were lost.
type stallComment struct {
	*github.Client
	stall *harness.StallOnce
}

func (s stallComment) CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error) {
	c, err := s.Client.CreateComment(ctx, org, repo, number, body)
	if err == nil {
		err = s.stall.Hang(ctx)
	}
	return c, err
}

// Beside a plugin that panics and one that hangs, config-updater still
// updates; when its call times out after the summary went out, the replay
// of the delivery does not post it again.
func TestConfigUpdaterBesideMisbehavingPluginsAndAfterATimeout(t *testing.T) {
	dir := t.TempDir()
	maps := configupdater.FileMaps{ConfigPath: filepath.Join(dir, "config.yaml"), PluginConfigPath: filepath.Join(dir, "plugins.yaml")}
	seed := harness.NewSeed("alice", "bob").Collaborators("write", "alice").Seed()
	env := harness.StartWithoutPlugins(t, seed)
	n := mergeChange(t, env, "change", map[string]any{"prow/config.yaml": "pod_namespace: ci\n"})
	cfg := pluginconfig.Configuration{ConfigUpdater: pluginconfig.ConfigUpdater{Maps: map[string]pluginconfig.ConfigMapSpec{"prow/config.yaml": {Name: "config"}}}}
	crowd := harness.NewCrowd(t, configupdater.New(stallComment{env.GitHub, &harness.StallOnce{}}, maps), cfg, 2*time.Second)
	ev := plugins.PullRequestEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello", DefaultBranch: "main"}, Action: "closed",
		PR: github.PullRequest{Number: n, State: "closed", Merged: true, Author: "bob", BaseRef: "main", BaseRepo: "demo/hello"}}
	env.DeliverFailing(crowd, configupdater.Name, ev)
	env.Replay(crowd, configupdater.Name, ev)
	if got, err := os.ReadFile(maps.ConfigPath); err != nil || string(got) != "pod_namespace: ci\n" {
		t.Fatalf("config.yaml: %q, %v", got, err)
	}
	if cs := botComments(env, n); len(cs) != 1 {
		t.Fatalf("%d comments of the bot's, want 1: %q", len(cs), cs)
	}
}
