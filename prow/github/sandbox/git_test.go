package sandbox_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/github/sandbox"
)

// gitIn runs git in dir as a developer would; it fails the test unless
// the command succeeds (wantOK) or fails (!wantOK), and returns the
// output.
func gitIn(t *testing.T, dir string, wantOK bool, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir,
		"GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com", "GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com")
	out, err := cmd.CombinedOutput()
	if (err == nil) != wantOK {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestGitCloneAndFetchAPullRequestHead(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	pr := must[*gh.PullRequest](t)(e.client("bot-token").PullRequests.Get(ctx, "demo", "hello", 1))
	dir := t.TempDir()
	gitIn(t, dir, true, "clone", "-q", e.url+"/demo/hello.git", "hello")
	work := filepath.Join(dir, "hello")
	gitIn(t, work, true, "fetch", "-q", "origin", "refs/pull/1/head")
	if sha := gitIn(t, work, true, "rev-parse", "FETCH_HEAD"); sha != pr.GetHead().GetSHA() {
		t.Errorf("refs/pull/1/head is %s, the API says the head is %s", sha, pr.GetHead().GetSHA())
	}

	cases := []struct{ name, rev, path, want string }{
		{"main has the seeded files", "HEAD", "OWNERS", "approvers: [alice]"},
		{"main has what the merged pull request added", "HEAD", "CHANGELOG.md", "v0"},
		{"a seeded branch has its files", "origin/release-1.0", "VERSION", "1.0"},
		{"the pull request head has its change", "FETCH_HEAD", "README.md", "hello world"},
		{"the pull request head has its new file", "FETCH_HEAD", "docs/new.md", "new"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := gitIn(t, work, true, "show", tc.rev+":"+tc.path); got != tc.want {
				t.Errorf("%s:%s = %q, want %q", tc.rev, tc.path, got, tc.want)
			}
		})
	}
	gitIn(t, work, true, "checkout", "-q", "FETCH_HEAD")
	if _, err := os.Stat(filepath.Join(work, "docs", "guide.md")); !os.IsNotExist(err) {
		t.Errorf("the pull request deletes docs/guide.md, yet the checkout has it (%v)", err)
	}
}

func TestGitAccessFollowsPermissions(t *testing.T) {
	e := start(t, func(o *sandbox.Options) { o.GitPush = true })
	host := strings.TrimPrefix(e.url, "http://")
	cases := []struct {
		name, url string
		wantOK    bool
	}{
		{"anyone clones a public repository", "http://" + host + "/demo/hello.git", true},
		{"a private repository needs a token", "http://" + host + "/demo/private.git", false},
		{"a stranger's token does not show a private repository", "http://stranger:stranger-token@" + host + "/demo/private.git", false},
		{"a collaborator clones a private repository with a token", "http://alice:alice-token@" + host + "/demo/private.git", true},
		{"an unknown repository is not found", "http://" + host + "/demo/nope.git", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gitIn(t, t.TempDir(), tc.wantOK, "clone", "-q", tc.url, "repo")
		})
	}
}

func TestGitPushMovesBranchesWithWebhooks(t *testing.T) {
	e := start(t, func(o *sandbox.Options) { o.GitPush = true })
	ctx := context.Background()
	host := strings.TrimPrefix(e.url, "http://")
	dir := t.TempDir()
	gitIn(t, dir, true, "clone", "-q", "http://bob:bob-token@"+host+"/demo/hello.git", "hello")
	work := filepath.Join(dir, "hello")
	gitIn(t, work, true, "checkout", "-q", "bob-patch-1")
	if err := os.WriteFile(filepath.Join(work, "fix.txt"), []byte("fixed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	gitIn(t, work, true, "add", "fix.txt")
	gitIn(t, work, true, "commit", "-q", "-m", "Fix more")
	gitIn(t, work, true, "push", "-q", "origin", "bob-patch-1", "HEAD:refs/heads/new-branch")
	head := gitIn(t, work, true, "rev-parse", "HEAD")

	pr := must[*gh.PullRequest](t)(e.client("bot-token").PullRequests.Get(ctx, "demo", "hello", 1))
	if pr.GetHead().GetSHA() != head {
		t.Errorf("after the push the pull request's head is %s, want %s", pr.GetHead().GetSHA(), head)
	}
	e.flush()
	e.hooks.checkPayloads(t)
	if got := strings.Join(e.hooks.names(0), " "); got != "push pull_request.synchronize push" {
		t.Errorf("webhooks %q, want a push, the pull request's synchronize, and the new branch's push", got)
	}

	t.Run("a push to a pull request ref is refused", func(t *testing.T) {
		gitIn(t, work, false, "push", "-q", "origin", "HEAD:refs/pull/1/head")
	})
	t.Run("a user with read access cannot push", func(t *testing.T) {
		gitIn(t, work, false, "push", "-q", "http://eve:eve-token@"+host+"/demo/hello.git", "HEAD:refs/heads/eve")
	})
	t.Run("without GitPush nobody can push", func(t *testing.T) {
		closed := start(t)
		gitIn(t, work, false, "push", "-q", "http://alice:alice-token@"+strings.TrimPrefix(closed.url, "http://")+"/demo/hello.git", "HEAD:refs/heads/x")
	})
}
