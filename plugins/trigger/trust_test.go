package trigger_test

import (
	"context"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/trigger"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

func TestTrustedUserAsksGitHub(t *testing.T) {
	seed := harness.NewSeed("member", "collab", "partner", "stranger").Members("member").Collaborators("write", "collab").
		Org(sandbox.SeedOrg{Login: "friends", Members: []string{"partner"}}).Seed()
	env := harness.StartWithoutPlugins(t, seed)
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
