package tide_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

// protectedConfig requires ci; from-branch-protection adds what the
// branch's protection requires.
const protectedConfig = `tide:
  queries:
  - repos: [demo/hello]
    labels: [lgtm, approved]
  context_options:
    required-contexts: [ci]
`

// newProtectedWorld seeds demo/hello, its main branch protected by rule,
// with n ready pull requests whose ci is green, and a second writer,
// reviewer (token reviewer-token).
func newProtectedWorld(t *testing.T, configYAML string, rule sandbox.SeedProtection, n int) *world {
	t.Helper()
	b := seed.New().Bot("the-bot", botToken).User("dev", devToken).User("reviewer", "reviewer-token").Members("dev").
		Collaborators("write", "dev", "reviewer").Files(sandbox.FileChanges{"README.md": "hello\n"}).Protect("main", rule)
	for i := 1; i <= n; i++ {
		b.PullWith(sandbox.SeedPull{Title: "Change", Author: "dev", Labels: ready, Files: sandbox.FileChanges{string(rune('a'+i)) + ".txt": "x\n"}})
	}
	w := newSeededWorld(t, b.Seed(), configYAML)
	for i := 1; i <= n; i++ {
		w.setStatus("demo/hello", i, "ci", "success", "")
	}
	return w
}

func TestFromBranchProtectionRequiresTheBranchsContexts(t *testing.T) {
	cfg := protectedConfig + "    orgs:\n      demo:\n        repos:\n          hello:\n            branches:\n              main:\n                from-branch-protection: true\n"
	w := newProtectedWorld(t, cfg, sandbox.SeedProtection{RequiredContexts: []string{"e2e"}}, 2)
	var mu sync.Mutex
	reads := 0
	w.intercept(func(r *http.Request) {
		if r.Header.Get("Authorization") == "Bearer "+botToken && strings.Contains(r.URL.Path, "/branches/main") {
			mu.Lock()
			reads++
			mu.Unlock()
		}
	})
	w.sync()
	for n := 1; n <= 2; n++ {
		if got := w.tideStatus("demo/hello", n); got != "pending: Not mergeable. Job e2e has not succeeded." {
			t.Errorf("#%d: %q", n, got)
		}
	}
	mu.Lock()
	// Without admin permission the bot reads the protection (404) and
	// then the branch: two requests for the pool, not two per pull.
	if reads != 2 {
		t.Errorf("the pool's protection cost %d reads in one sync, want 2", reads)
	}
	mu.Unlock()
	w.setStatus("demo/hello", 1, "e2e", "success", "")
	w.sync()
	if !w.merged("demo/hello", 1) || w.merged("demo/hello", 2) {
		t.Errorf("merged #1 %v, #2 %v; want only #1, whose e2e is green", w.merged("demo/hello", 1), w.merged("demo/hello", 2))
	}
}

func TestFromBranchProtectionAlsoReadsTheConfigsBranchProtection(t *testing.T) {
	cfg := "branch-protection:\n  protect: true\n  required_status_checks:\n    contexts: [cla]\n" + protectedConfig +
		"    from-branch-protection: true\n"
	w := newProtectedWorld(t, cfg, sandbox.SeedProtection{RequiredContexts: []string{"e2e"}}, 1)
	w.sync()
	if got := w.tideStatus("demo/hello", 1); got != "pending: Not mergeable. Jobs cla, e2e have not succeeded." {
		t.Errorf("status: %q", got)
	}
	w.setStatus("demo/hello", 1, "cla", "success", "")
	w.setStatus("demo/hello", 1, "e2e", "success", "")
	w.sync()
	if !w.merged("demo/hello", 1) {
		t.Errorf("not merged with every context green: %q", w.tideStatus("demo/hello", 1))
	}
}

func TestWithoutFromBranchProtectionGitHubRefusesTheMerge(t *testing.T) {
	w := newProtectedWorld(t, protectedConfig, sandbox.SeedProtection{RequiredContexts: []string{"e2e"}}, 1)
	w.sync()
	if w.merged("demo/hello", 1) {
		t.Fatal("merged past the branch's protection")
	}
	if got := w.tideStatus("demo/hello", 1); got != `error: Not mergeable. GitHub refused the merge: Required status check "e2e" is expected.` {
		t.Errorf("status: %q", got)
	}
}

func TestGitHubMergeBlocksPolicy(t *testing.T) {
	approve := func(w *world) {
		_, _, err := w.apiAs("reviewer-token").PullRequests.CreateReview(context.Background(), "demo", "hello", 1,
			&gh.PullRequestReviewRequest{Event: gh.String("APPROVE")})
		must(w.t, err)
	}
	reviews := sandbox.SeedProtection{RequiredApprovingReviewCount: 1}
	t.Run("block keeps a blocked pull request out of the pool until GitHub lets it merge", func(t *testing.T) {
		w := newProtectedWorld(t, protectedConfig+"  github_merge_blocks_policy:\n    '*': block\n", reviews, 1)
		w.sync()
		if got := w.tideStatus("demo/hello", 1); w.merged("demo/hello", 1) || got != "error: Not mergeable. Merging is blocked by GitHub." {
			t.Errorf("merged %v, status %q", w.merged("demo/hello", 1), got)
		}
		approve(w)
		w.sync()
		if !w.merged("demo/hello", 1) {
			t.Errorf("not merged once approved: %q", w.tideStatus("demo/hello", 1))
		}
	})
	t.Run("permit tries the merge and reports GitHub's refusal", func(t *testing.T) {
		w := newProtectedWorld(t, protectedConfig+"  github_merge_blocks_policy:\n    demo/hello: permit\n", reviews, 1)
		w.sync()
		want := "error: Not mergeable. GitHub refused the merge: At least 1 approving review is required by reviewers with write access."
		if got := w.tideStatus("demo/hello", 1); w.merged("demo/hello", 1) || got != want {
			t.Errorf("merged %v, status %q; want %q", w.merged("demo/hello", 1), got, want)
		}
	})
}

// apiAs is a go-github client acting with token.
func (w *world) apiAs(token string) *gh.Client {
	c, err := gh.NewClient(nil).WithAuthToken(token).WithEnterpriseURLs(w.url+"/", w.url+"/")
	must(w.t, err)
	return c
}
