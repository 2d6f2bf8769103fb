package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/github/sandbox"
)

// protected starts the sandbox with demo/hello's main branch protected by
// rule.
func protected(t *testing.T, rule sandbox.SeedProtection) *env {
	return start(t, func(o *sandbox.Options) {
		for k := range o.Seed.Repos {
			if o.Seed.Repos[k].Name == "demo/hello" {
				o.Seed.Repos[k].Protection = map[string]sandbox.SeedProtection{"main": rule}
			}
		}
	})
}

func TestMergeHonoursBranchProtection(t *testing.T) {
	ctx := context.Background()
	status := func(context, state string) func(*testing.T, *env, string) {
		return func(t *testing.T, e *env, head string) {
			must[*gh.RepoStatus](t)(e.client("bot-token").Repositories.CreateStatus(ctx, "demo", "hello", head,
				&gh.RepoStatus{State: gh.String(state), Context: gh.String(context)}))
		}
	}
	review := func(token, event string) func(*testing.T, *env, string) {
		return func(t *testing.T, e *env, _ string) {
			must[*gh.PullRequestReview](t)(e.client(token).PullRequests.CreateReview(ctx, "demo", "hello", 1,
				&gh.PullRequestReviewRequest{Event: gh.String(event), Body: gh.String("review")}))
		}
	}
	pushToMain := func(t *testing.T, e *env, _ string) {
		must[string](t)(pushed(e.srv.PushToBranch(ctx, "demo/hello", "main", sandbox.Push{Files: sandbox.FileChanges{"NEWS": "news\n"}})))
	}
	pushToPull := func(t *testing.T, e *env, _ string) {
		must[string](t)(pushed(e.srv.PushToPull(ctx, "demo/hello", 1, sandbox.Push{Files: sandbox.FileChanges{"more.txt": "more\n"}})))
	}
	checkRun := func(t *testing.T, e *env, head string) {
		must[*gh.CheckRun](t)(e.client("bot-token").Checks.CreateCheckRun(ctx, "demo", "hello", gh.CreateCheckRunOptions{
			Name: "ci", HeadSHA: head, Status: gh.String("completed"), Conclusion: gh.String("success")}))
	}
	ci := []string{"ci"}
	for _, tc := range []struct {
		name      string
		rule      sandbox.SeedProtection
		setup     []func(*testing.T, *env, string)
		merger    string
		wantCode  int
		wantMsg   string
		wantState string // the pull request's mergeable_state before the merge
	}{
		{"a required context never reported refuses the merge", sandbox.SeedProtection{RequiredContexts: ci}, nil, "bot-token",
			http.StatusMethodNotAllowed, `Required status check "ci" is expected.`, "blocked"},
		{"a failing required context refuses the merge", sandbox.SeedProtection{RequiredContexts: ci},
			[]func(*testing.T, *env, string){status("ci", "failure")}, "bot-token", http.StatusMethodNotAllowed, `Required status check "ci" is failing.`, "blocked"},
		{"several missing contexts are counted", sandbox.SeedProtection{RequiredContexts: []string{"ci", "lint"}}, nil, "bot-token",
			http.StatusMethodNotAllowed, "2 of 2 required status checks are expected.", "blocked"},
		{"green required contexts merge", sandbox.SeedProtection{RequiredContexts: ci},
			[]func(*testing.T, *env, string){status("ci", "success")}, "bot-token", http.StatusOK, "", "clean"},
		{"a successful check run is a green context", sandbox.SeedProtection{RequiredContexts: ci},
			[]func(*testing.T, *env, string){checkRun}, "bot-token", http.StatusOK, "", "clean"},
		{"strict refuses a head behind its base", sandbox.SeedProtection{RequiredContexts: ci, Strict: true},
			[]func(*testing.T, *env, string){status("ci", "success"), pushToMain}, "bot-token",
			http.StatusMethodNotAllowed, "Head branch is out of date. Review and try the merge again.", "behind"},
		{"a missing approval refuses the merge", sandbox.SeedProtection{RequiredApprovingReviewCount: 1}, nil, "bot-token",
			http.StatusMethodNotAllowed, "At least 1 approving review is required by reviewers with write access.", "blocked"},
		{"an approval without write access does not count", sandbox.SeedProtection{RequiredApprovingReviewCount: 1},
			[]func(*testing.T, *env, string){review("eve-token", "APPROVE")}, "bot-token",
			http.StatusMethodNotAllowed, "At least 1 approving review is required by reviewers with write access.", "blocked"},
		{"an approval with write access merges", sandbox.SeedProtection{RequiredApprovingReviewCount: 1},
			[]func(*testing.T, *env, string){review("alice-token", "APPROVE")}, "bot-token", http.StatusOK, "", "clean"},
		{"two approvals are counted", sandbox.SeedProtection{RequiredApprovingReviewCount: 2},
			[]func(*testing.T, *env, string){review("alice-token", "APPROVE")}, "bot-token",
			http.StatusMethodNotAllowed, "At least 2 approving reviews are required by reviewers with write access.", "blocked"},
		{"a standing request for changes refuses the merge", sandbox.SeedProtection{RequiredApprovingReviewCount: 1},
			[]func(*testing.T, *env, string){review("alice-token", "APPROVE"), review("bot-token", "REQUEST_CHANGES")}, "bot-token",
			http.StatusMethodNotAllowed, "At least 1 approving review is required by reviewers with write access.", "blocked"},
		{"an approval of an older head is stale with dismiss_stale_reviews", sandbox.SeedProtection{RequiredApprovingReviewCount: 1, DismissStaleReviews: true},
			[]func(*testing.T, *env, string){review("alice-token", "APPROVE"), pushToPull}, "bot-token",
			http.StatusMethodNotAllowed, "At least 1 approving review is required by reviewers with write access.", "blocked"},
		{"an approval of an older head counts without dismiss_stale_reviews", sandbox.SeedProtection{RequiredApprovingReviewCount: 1},
			[]func(*testing.T, *env, string){review("alice-token", "APPROVE"), pushToPull}, "bot-token", http.StatusOK, "", "clean"},
		{"an admin merges past the rule", sandbox.SeedProtection{RequiredContexts: ci}, nil, "alice-token", http.StatusOK, "", "blocked"},
		{"a push restriction naming others refuses the merge", sandbox.SeedProtection{PushUsers: []string{"alice"}}, nil, "bot-token",
			http.StatusMethodNotAllowed, "You're not authorized to push to this branch. Visit https://docs.github.com/articles/about-protected-branches/ for more information.", "clean"},
		{"a user the restriction names merges", sandbox.SeedProtection{PushUsers: []string{"The-Bot"}}, nil, "bot-token", http.StatusOK, "", "clean"},
		{"a member of a team the restriction names merges", sandbox.SeedProtection{PushTeams: []string{"triagers"}, EnforceAdmins: true}, nil, "alice-token",
			http.StatusOK, "", "clean"},
		{"enforce_admins binds admins too", sandbox.SeedProtection{RequiredContexts: ci, EnforceAdmins: true}, nil, "alice-token",
			http.StatusMethodNotAllowed, `Required status check "ci" is expected.`, "blocked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := protected(t, tc.rule)
			bot := e.client("bot-token")
			for _, s := range tc.setup {
				head := must[*gh.PullRequest](t)(bot.PullRequests.Get(ctx, "demo", "hello", 1)).GetHead().GetSHA()
				s(t, e, head)
			}
			pr := must[*gh.PullRequest](t)(bot.PullRequests.Get(ctx, "demo", "hello", 1))
			if got := pr.GetMergeableState(); got != tc.wantState {
				t.Errorf("mergeable_state %q, want %q", got, tc.wantState)
			}
			a := e.do(tc.merger, http.MethodPut, "/repos/demo/hello/pulls/1/merge", map[string]string{"sha": pr.GetHead().GetSHA()})
			var body struct{ Message string }
			if err := json.Unmarshal(a.body, &body); err != nil {
				t.Fatal(err)
			}
			if a.code != tc.wantCode || (tc.wantMsg != "" && body.Message != tc.wantMsg) {
				t.Errorf("merge answered %d %q, want %d %q", a.code, body.Message, tc.wantCode, tc.wantMsg)
			}
		})
	}
}

func TestDismissStaleReviewsDismissesApprovalsWhenTheHeadMoves(t *testing.T) {
	ctx := context.Background()
	e := protected(t, sandbox.SeedProtection{RequiredApprovingReviewCount: 1, DismissStaleReviews: true})
	alice := e.client("alice-token")
	must[*gh.PullRequestReview](t)(alice.PullRequests.CreateReview(ctx, "demo", "hello", 1, &gh.PullRequestReviewRequest{Event: gh.String("APPROVE")}))
	must[string](t)(pushed(e.srv.PushToPull(ctx, "demo/hello", 1, sandbox.Push{Files: sandbox.FileChanges{"more.txt": "more\n"}})))
	reviews := must[[]*gh.PullRequestReview](t)(alice.PullRequests.ListReviews(ctx, "demo", "hello", 1, nil))
	if len(reviews) != 1 || reviews[0].GetState() != "DISMISSED" {
		t.Fatalf("reviews after the push: %v", reviews)
	}
	e.flush()
	dismissed := 0
	for _, d := range e.srv.Deliveries() {
		if d.Event == "pull_request_review" && d.Action == "dismissed" {
			dismissed++
		}
	}
	if dismissed != 1 {
		t.Errorf("%d pull_request_review dismissed deliveries, want 1", dismissed)
	}
}

func TestBranchProtectionAPI(t *testing.T) {
	ctx := context.Background()
	e := start(t)
	alice, bob := e.client("alice-token"), e.client("bob-token")

	if _, _, err := alice.Repositories.GetBranchProtection(ctx, "demo", "hello", "main"); !errors.Is(err, gh.ErrBranchNotProtected) {
		t.Errorf("protection of an unprotected branch: %v, want 404 Branch not protected", err)
	}
	req := &gh.ProtectionRequest{RequiredStatusChecks: &gh.RequiredStatusChecks{Strict: true, Contexts: &[]string{"ci", "lint"}}}
	if _, _, err := bob.Repositories.UpdateBranchProtection(ctx, "demo", "hello", "main", req); !isGitHubError(err, http.StatusForbidden, "") {
		t.Errorf("protection set by a writer: %v, want 403", err)
	}
	if _, _, err := alice.Repositories.UpdateBranchProtection(ctx, "demo", "hello", "nope", req); !isGitHubError(err, http.StatusNotFound, "Branch not found") {
		t.Errorf("protection of a missing branch: %v, want 404 Branch not found", err)
	}
	must[*gh.Protection](t)(alice.Repositories.UpdateBranchProtection(ctx, "demo", "hello", "main", req))
	p := must[*gh.Protection](t)(alice.Repositories.GetBranchProtection(ctx, "demo", "hello", "main"))
	if c := p.GetRequiredStatusChecks(); !c.Strict || len(*c.Contexts) != 2 || p.RequiredPullRequestReviews != nil {
		t.Errorf("protection read back: %+v", p)
	}
	a := e.do("bob-token", http.MethodGet, "/repos/demo/hello/branches/main", nil)
	var b struct {
		Protected  bool
		Protection struct {
			RequiredStatusChecks struct{ Contexts []string } `json:"required_status_checks"`
		}
	}
	if err := json.Unmarshal(a.body, &b); err != nil || !b.Protected || len(b.Protection.RequiredStatusChecks.Contexts) != 2 {
		t.Errorf("branch as a writer sees it: %s (%v)", a.body, err)
	}
	if _, _, err := bob.Repositories.GetBranchProtection(ctx, "demo", "hello", "main"); !isGitHubError(err, http.StatusNotFound, "Not Found") {
		t.Errorf("protection read by a writer: %v, want 404 Not Found", err)
	}
	ok(t)(alice.Repositories.RemoveBranchProtection(ctx, "demo", "hello", "main"))
	if b := must[*gh.Branch](t)(bob.Repositories.GetBranch(ctx, "demo", "hello", "main", 0)); b.GetProtected() {
		t.Error("branch still protected after the protection was removed")
	}
}

func TestSeedProtectionNamesABranchOfTheRepository(t *testing.T) {
	_, err := sandbox.ParseSeed([]byte("users: [{login: o}]\nrepos:\n- name: o/r\n  protection:\n    nope: {required_contexts: [ci]}\n"))
	if err == nil || !strings.Contains(err.Error(), `protection: branch "nope" is not a branch of the repository`) {
		t.Errorf("ParseSeed = %v, want a complaint about branch nope", err)
	}
}

func isGitHubError(err error, code int, message string) bool {
	var ge *gh.ErrorResponse
	if !errors.As(err, &ge) {
		return false
	}
	return ge.Response.StatusCode == code && (message == "" || ge.Message == message)
}
