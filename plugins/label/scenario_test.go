package label_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/label"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

func TestLabelThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("bob").Labels("kind/bug", "needs-kind", "api-review").Issue("bob", "Broken", "needs-kind").Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [label]\nlabel:\n  additional_labels: [api-review]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{label.New(c)}
	})
	sorted := func() []string { l := env.Labels("demo", "hello", 1); sort.Strings(l); return l }

	env.Comment("bob", "demo", "hello", 1, "/kind bug\n/label api-review")
	if got := sorted(); !reflect.DeepEqual(got, []string{"api-review", "kind/bug"}) {
		t.Fatalf("labels %v", got)
	}
	env.Comment("bob", "demo", "hello", 1, "/kind feature")
	cs := env.Comments("demo", "hello", 1)
	if last := cs[len(cs)-1]; last.User != harness.Bot || !strings.Contains(last.Body, "`kind/feature` cannot be applied, because the repository doesn't have them") {
		t.Fatalf("reply %+v", last)
	}
	env.Comment("bob", "demo", "hello", 1, "/remove-kind bug")
	if got := sorted(); !reflect.DeepEqual(got, []string{"api-review", "needs-kind"}) {
		t.Fatalf("after removing the last kind: %v", got)
	}
}
