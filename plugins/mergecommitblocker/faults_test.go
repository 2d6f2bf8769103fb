package mergecommitblocker_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/prowbot/prow/plugins/mergecommitblocker"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// Under injected faults (a third of the bot's requests fail before
// GitHub applies them) the plugin's writes still happen once each.
func TestMergeCommitBlockerWritesOnceUnderFaults(t *testing.T) {
	env := start(t)
	env.PushBranch("alice", "demo", "hello", "main", map[string]string{"c.txt": "c\n"})
	env.Do("bob", http.MethodPut, "/repos/demo/hello/pulls/1/update-branch", nil, nil)
	env.Settle()
	// Take the label and notice away, then let a push (the admin API
	// never fails; the bot's REST calls do) bring them back.
	ctx := context.Background()
	for _, c := range env.Comments("demo", "hello", 1) {
		if mergecommitblocker.IsNotice(c, harness.Bot) {
			if err := env.GitHub.DeleteComment(ctx, "demo", "hello", c.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := env.GitHub.RemoveLabel(ctx, "demo", "hello", 1, mergecommitblocker.Label); err != nil {
		t.Fatal(err)
	}
	env.Settle()
	env.InjectFaults(0.3, 5, sandbox.Fault5xx)
	env.Push("demo", "hello", 1, map[string]string{"d.txt": "d\n"})
	env.Push("demo", "hello", 1, map[string]string{"e.txt": "e\n"})
	env.Sandbox.SetFaults(sandbox.Faults{})
	env.CheckLabelNotice(t, 1, mergecommitblocker.IsNotice, []string{mergecommitblocker.Label}, 1)
	env.CheckFaultsStruck()
}
