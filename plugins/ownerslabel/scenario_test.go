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
	seed := harness.NewSeed("author").Labels("area/api").
		Files(sandbox.FileChanges{"OWNERS": "approvers: [x]\n", "api/OWNERS": "labels: [area/api, sig/unknown]\n", "api/x.go": "x\n"}).
		Pull("author", "API", sandbox.FileChanges{"README.md": "r\n"}).Seed()
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
