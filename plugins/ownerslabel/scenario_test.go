package ownerslabel_test

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/ownerslabel"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/prow/owners"
	"github.com/prowbot/prow/test/harness"
)

func TestOwnersLabelThroughHookAndSandbox(t *testing.T) {
	seed := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: harness.Bot, Token: harness.BotToken, Bot: true}, {Login: "author", Token: "author"}},
		Orgs:  []sandbox.SeedOrg{{Login: "demo", Members: []string{harness.Bot}}},
		Repos: []sandbox.SeedRepo{{Name: "demo/hello", Collaborators: map[string]string{harness.Bot: "write"},
			Labels: []sandbox.SeedLabel{{Name: "area/api"}},
			Files:  map[string]string{"OWNERS": "approvers: [x]\n", "api/OWNERS": "labels: [area/api, sig/unknown]\n", "api/x.go": "x\n"}}},
		Pulls: []sandbox.SeedPull{{Repo: "demo/hello", Number: 1, Author: "author", Title: "API", Files: map[string]string{"README.md": "r\n"}}},
	}
	env := harness.StartWith(t, seed, "plugins:\n  demo:\n    plugins: [owners-label]\n", func(d harness.Deps) []plugins.Plugin {
		return []plugins.Plugin{ownerslabel.New(d.GitHub, &owners.Loader{Git: d.Git})}
	})
	env.Push("demo", "hello", 1, map[string]string{"README.md": "r2\n"})
	if got := env.Labels("demo", "hello", 1); len(got) != 0 {
		t.Fatalf("a README change got labels %v", got)
	}
	env.Push("demo", "hello", 1, map[string]string{"api/x.go": "y\n"})
	if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{"area/api"}) {
		t.Fatalf("labels %v, want area/api (sig/unknown does not exist in the repo)", got)
	}
}
