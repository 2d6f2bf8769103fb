package github

import (
	"context"
	"reflect"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

// protectionSandbox serves demo/hello with main protected and a branch
// dev that is not, to an admin (admin-token) and the bot (write).
func protectionSandbox(t *testing.T) (admin, bot *Client) {
	t.Helper()
	s := seed.New().User("admin", "admin-token").Bot("the-bot", "bot-token").
		Protect("main", sandbox.SeedProtection{RequiredContexts: []string{"unit", "lint"}, Strict: true,
			RequiredApprovingReviewCount: 2, DismissStaleReviews: true}).Seed()
	s.Orgs[0].Admins = []string{"admin"}
	s.Repos[0].Branches = []string{"dev"}
	_, url := serveSandbox(t, sandbox.Options{Seed: s})
	return sandboxClient(t, url, "admin-token", ClientOptions{}), sandboxClient(t, url, "bot-token", ClientOptions{})
}

func TestGetBranchProtection(t *testing.T) {
	admin, bot := protectionSandbox(t)
	full := BranchProtection{Protected: true, RequiredContexts: []string{"unit", "lint"}, Strict: true,
		ReviewsRequired: true, RequiredApprovals: 2, DismissStaleReviews: true}
	for _, tc := range []struct {
		name    string
		c       *Client
		branch  string
		want    BranchProtection
		wantErr bool
	}{
		{"an admin reads the whole rule", admin, "main", full, false},
		{"a writer reads the required contexts from the branch", bot, "main",
			BranchProtection{Protected: true, RequiredContexts: []string{"unit", "lint"}, Partial: true}, false},
		{"an unprotected branch is not protected, not an error", admin, "dev", BranchProtection{}, false},
		{"an unprotected branch read by a writer", bot, "dev", BranchProtection{}, false},
		{"a missing branch is an error", admin, "nope", BranchProtection{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.c.GetBranchProtection(context.Background(), "demo", "hello", tc.branch)
			if (err != nil) != tc.wantErr || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("GetBranchProtection = %+v, %v; want %+v (error %v)", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestUpdateBranchProtection(t *testing.T) {
	ctx := context.Background()
	admin, bot := protectionSandbox(t)
	rule := BranchProtection{Protected: true, RequiredContexts: []string{"e2e"}, ReviewsRequired: true, RequiredApprovals: 1, EnforceAdmins: true}
	if err := bot.UpdateBranchProtection(ctx, "demo", "hello", "dev", rule); err == nil {
		t.Error("a writer protected a branch")
	}
	if err := admin.UpdateBranchProtection(ctx, "demo", "hello", "dev", rule); err != nil {
		t.Fatal(err)
	}
	if got, err := admin.GetBranchProtection(ctx, "demo", "hello", "dev"); err != nil || !reflect.DeepEqual(got, rule) {
		t.Errorf("read back %+v, %v; want %+v", got, err, rule)
	}
	if err := admin.UpdateBranchProtection(ctx, "demo", "hello", "dev", BranchProtection{}); err != nil {
		t.Fatal(err)
	}
	if got, err := admin.GetBranchProtection(ctx, "demo", "hello", "dev"); err != nil || got.Protected {
		t.Errorf("after removal %+v, %v; want unprotected", got, err)
	}
	if err := admin.RemoveBranchProtection(ctx, "demo", "hello", "dev"); err != nil {
		t.Errorf("removing no protection: %v", err)
	}
}
