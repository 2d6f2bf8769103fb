package size_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/size"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

func TestSizeThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("bob").Files(sandbox.FileChanges{"README.md": "hi\n", ".gitattributes": "*.gen linguist-generated=true\n"}).
		Pull("bob", "Small", sandbox.FileChanges{"a.txt": "1\n2\n3\n"}).Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [size]\nsize: {s: 5, m: 20, l: 100, xl: 500, xxl: 1000}\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{size.New(c)}
	})
	// The seeded pull request was opened before hook listened; a push
	// (synchronize) makes the plugin look at it.
	push := func(files map[string]string) { env.Push("demo", "hello", 1, files) }
	push(map[string]string{"b.txt": "x\n"})
	if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{"size/XS"}) {
		t.Fatalf("labels %v, want size/XS for 4 lines", got)
	}
	push(map[string]string{"c.txt": strings.Repeat("line\n", 30), "big.gen": strings.Repeat("gen\n", 5000)})
	if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{"size/M"}) {
		t.Fatalf("labels %v, want only size/M: 34 lines, generated file left out", got)
	}
}
