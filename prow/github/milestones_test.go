package github

import (
	"context"
	"reflect"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

func TestMilestonesAreListedSetAndCleared(t *testing.T) {
	seeded := seed.New().User("the-bot", "bot-token").Members("the-bot").Collaborators("write", "the-bot").
		Milestones("v1.0", "v1.1").Issue("the-bot", "A bug").Seed()
	_, url := serveSandbox(t, sandbox.Options{Seed: seeded})
	c := sandboxClient(t, url, "bot-token", ClientOptions{})
	ctx := context.Background()
	ms, err := c.ListMilestones(ctx, "demo", "hello")
	if err != nil {
		t.Fatal(err)
	}
	want := []Milestone{{Number: 1, Title: "v1.0", State: "open"}, {Number: 2, Title: "v1.1", State: "open"}}
	if !reflect.DeepEqual(ms, want) {
		t.Fatalf("milestones %+v, want %+v", ms, want)
	}
	check := func(step, want string) {
		t.Helper()
		got, err := c.IssueMilestone(ctx, "demo", "hello", 1)
		if err != nil || got != want {
			t.Fatalf("%s: milestone %q, %v; want %q", step, got, err, want)
		}
	}
	check("at first", "")
	if err := c.SetMilestone(ctx, "demo", "hello", 1, 2); err != nil {
		t.Fatal(err)
	}
	check("after setting it", "v1.1")
	if err := c.ClearMilestone(ctx, "demo", "hello", 1); err != nil {
		t.Fatal(err)
	}
	check("after clearing it", "")
	if err := c.SetMilestone(ctx, "demo", "hello", 1, 9); err == nil {
		t.Error("setting a milestone that does not exist should fail")
	}
}
