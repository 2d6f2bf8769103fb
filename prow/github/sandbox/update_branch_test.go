package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	gh "github.com/google/go-github/v60/github"
)

func TestUpdateBranch(t *testing.T) {
	t.Run("merges the base into the head with a merge commit the pull request's commits show", func(t *testing.T) {
		e := start(t)
		ctx := context.Background()
		bob := e.client("bob-token")
		before := must[*gh.PullRequest](t)(bob.PullRequests.Get(ctx, "demo", "hello", 1))
		var accepted *gh.AcceptedError
		if _, _, err := bob.PullRequests.UpdateBranch(ctx, "demo", "hello", 1, &gh.PullRequestBranchUpdateOptions{ExpectedHeadSHA: before.GetHead().SHA}); !errors.As(err, &accepted) {
			t.Fatalf("update branch: %v, want 202 Accepted", err)
		}
		after := must[*gh.PullRequest](t)(bob.PullRequests.Get(ctx, "demo", "hello", 1))
		commits := must[[]*gh.RepositoryCommit](t)(bob.PullRequests.ListCommits(ctx, "demo", "hello", 1, nil))
		last := commits[len(commits)-1]
		if last.GetSHA() != after.GetHead().GetSHA() || len(last.Parents) != 2 || last.Parents[0].GetSHA() != before.GetHead().GetSHA() ||
			last.Parents[1].GetSHA() != after.GetBase().GetSHA() {
			t.Errorf("head %s; last commit %s with parents %v; want a merge of %s and the base %s", after.GetHead().GetSHA(), last.GetSHA(),
				last.Parents, before.GetHead().GetSHA(), after.GetBase().GetSHA())
		}
		if e.do("bob-token", http.MethodPut, "/repos/demo/hello/pulls/1/update-branch", nil).code != http.StatusUnprocessableEntity {
			t.Error("a second update with nothing new on the base is accepted, want 422")
		}
	})
	for _, tc := range []struct {
		name, token string
		body        any
		want        int
	}{
		{"a head that moved is refused", "bob-token", map[string]string{"expected_head_sha": "0123456789012345678901234567890123456789"}, http.StatusUnprocessableEntity},
		{"a reader may not update", "stranger-token", nil, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t)
			if a := e.do(tc.token, http.MethodPut, "/repos/demo/hello/pulls/1/update-branch", tc.body); a.code != tc.want {
				t.Errorf("%d %s, want %d", a.code, a.body, tc.want)
			}
		})
	}
	t.Run("a conflict with the base is refused", func(t *testing.T) {
		e := start(t)
		ctx := context.Background()
		if _, _, err := e.client("bot-token").PullRequests.Merge(ctx, "demo", "hello", 1, "", nil); err != nil {
			t.Fatal(err)
		}
		if a := e.do("bob-token", http.MethodPut, "/repos/demo/hello/pulls/2/update-branch", nil); a.code != http.StatusUnprocessableEntity {
			t.Errorf("#2 conflicts with the base: %d %s, want 422", a.code, a.body)
		}
	})
}
