package trigger_test

import (
	"context"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/trigger"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

func TestTrustedUserAsksGitHub(t *testing.T) {
	seed := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: harness.Bot, Token: harness.BotToken, Bot: true},
			{Login: "member", Token: "member"}, {Login: "collab", Token: "collab"},
			{Login: "partner", Token: "partner"}, {Login: "stranger", Token: "stranger"}},
		Orgs:  []sandbox.SeedOrg{{Login: "demo", Members: []string{harness.Bot, "member"}}, {Login: "friends", Members: []string{"partner"}}},
		Repos: []sandbox.SeedRepo{{Name: "demo/hello", Collaborators: map[string]string{harness.Bot: "write", "collab": "write"}}},
	}
	env := harness.Start(t, seed, "plugins: {}\n", func(*github.Client) []plugins.Plugin { return nil })
	for _, tc := range []struct {
		name, login string
		cfg         pluginconfig.Trigger
		want        bool
	}{
		{"the bot", harness.Bot, pluginconfig.Trigger{}, true},
		{"an org member", "member", pluginconfig.Trigger{}, true},
		{"a collaborator", "collab", pluginconfig.Trigger{}, true},
		{"a collaborator when only members count", "collab", pluginconfig.Trigger{OnlyOrgMembers: true}, false},
		{"a member of the trusted org", "partner", pluginconfig.Trigger{TrustedOrg: "friends"}, true},
		{"a member of an org nobody trusts", "partner", pluginconfig.Trigger{}, false},
		{"a stranger", "stranger", pluginconfig.Trigger{}, false},
		{"a listed app", "renovate[bot]", pluginconfig.Trigger{TrustedApps: []string{"renovate"}}, true},
		{"an unlisted app", "dependabot[bot]", pluginconfig.Trigger{TrustedApps: []string{"renovate"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := trigger.TrustedUser(context.Background(), env.GitHub, tc.cfg, harness.Bot, tc.login, "demo", "hello")
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("TrustedUser(%s) = %v, want %v", tc.login, got, tc.want)
			}
		})
	}
}
