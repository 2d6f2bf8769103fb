package wip_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/wip"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

func TestWIPThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("bob").Collaborators("write", "bob").
		Pull("bob", "Fix", sandbox.FileChanges{"a": "a\n"}).Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [wip]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{wip.New(c)}
	})
	// Each retitling builds on the one before: a failed step stops the rest.
	for _, step := range []struct {
		name  string
		title string
		want  []string
	}{
		{"a WIP: prefix adds the label", "WIP: Fix", []string{wip.Label}},
		{"a [WIP] prefix keeps it", "[WIP] Fix more", []string{wip.Label}},
		{"no marker removes it", "Fix, ready", []string{}},
	} {
		if !t.Run(step.name, func(t *testing.T) {
			env.Do("bob", http.MethodPatch, "/repos/demo/hello/issues/1", map[string]string{"title": step.title}, nil)
			env.Settle()
			if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, step.want) {
				t.Fatalf("after retitling to %q: labels %v, want %v", step.title, got, step.want)
			}
		}) {
			return
		}
	}
}
