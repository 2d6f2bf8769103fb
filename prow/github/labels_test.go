package github

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

func TestRepoLabelsAreCreatedRenamedAndDeleted(t *testing.T) {
	seeded := seed.New().User("admin", "admin-token").Collaborators("write", "admin").
		Issue("admin", "Held", "do-not-merge/hold").Issue("admin", "Free").Seed()
	_, url := serveSandbox(t, sandbox.Options{Seed: seeded})
	c := sandboxClient(t, url, "admin-token", ClientOptions{})
	ctx := context.Background()
	labels := func() []Label {
		t.Helper()
		ls, err := c.GetRepoLabels(ctx, "demo", "hello")
		if err != nil {
			t.Fatal(err)
		}
		return ls
	}
	if err := c.CreateRepoLabel(ctx, "demo", "hello", Label{Name: "size/XS", Color: "ee9900", Description: "tiny"}); err != nil {
		t.Fatal(err)
	}
	// A name with a slash is one path segment; the issue keeps the label
	// under its new name.
	if err := c.UpdateRepoLabel(ctx, "demo", "hello", "do-not-merge/hold", Label{Name: "do-not-merge/on-hold", Color: "e11d21"}); err != nil {
		t.Fatal(err)
	}
	want := []Label{{Name: "do-not-merge/on-hold", Color: "e11d21"}, {Name: "size/XS", Color: "ee9900", Description: "tiny"}}
	if got := labels(); !reflect.DeepEqual(got, want) {
		t.Errorf("labels %+v, want %+v", got, want)
	}
	numbers, err := c.ListLabeledIssues(ctx, "demo", "hello", "do-not-merge/on-hold")
	if err != nil || !reflect.DeepEqual(numbers, []int{1}) {
		t.Errorf("issues labeled do-not-merge/on-hold: %v, %v; want [1]", numbers, err)
	}
	if err := c.DeleteRepoLabel(ctx, "demo", "hello", "do-not-merge/on-hold"); err != nil {
		t.Fatal(err)
	}
	if got := labels(); len(got) != 1 || got[0].Name != "size/XS" {
		t.Errorf("after the delete: %+v", got)
	}
	err = c.UpdateRepoLabel(ctx, "demo", "hello", "missing", Label{Name: "x", Color: "000000"})
	if err == nil || !strings.Contains(err.Error(), "update label missing in demo/hello") {
		t.Errorf("updating a missing label: %v", err)
	}
}
