package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// CherryPick asks for a merged pull request's commits to be applied onto
// another branch and the result pushed to a branch of the same
// repository.
type CherryPick struct {
	Org, Repo string
	// Number is the pull request; its commits are read from
	// refs/pull/<Number>/head.
	Number int
	// MergeSHA is the commit that landed when the pull request merged:
	// its first parent is the base branch as it was, so the pull
	// request's own commits are those of the head not reachable from it.
	// When empty, BaseSHA stands in for that parent.
	MergeSHA, BaseSHA string
	// Target is the branch the commits are applied onto; Branch is where
	// the result is pushed (force-pushed: it is the bot's branch).
	Target, Branch string
	// Name and Email are the committer's; each commit keeps its author.
	Name, Email string
}

// ErrNoBranch is CherryPick's error when the target branch does not exist.
var ErrNoBranch = errors.New("no such branch")

// ConflictError is CherryPick's error when the commits do not apply to
// the target branch; Output is what git said.
type ConflictError struct{ Output string }

func (e *ConflictError) Error() string { return "the commits do not apply: " + e.Output }

// cherryRef is where CherryPick keeps what it fetched, apart from the
// refs other readers of the clone use.
const cherryRef = "refs/prowbot/cherrypick/"

// CherryPick applies the pull request's commits onto the target branch
// (git am --3way of their format-patch, as a patch from GitHub would be
// applied), pushes the result to p.Branch and returns its SHA. The work
// happens in a temporary work tree of the cached clone, removed after.
func (c *Client) CherryPick(ctx context.Context, p CherryPick) (string, error) {
	lock := c.repoLock(p.Org + "/" + p.Repo)
	lock.Lock()
	defer lock.Unlock()
	dir, err := c.initClone(ctx, p.Org, p.Repo)
	if err != nil {
		return "", err
	}
	env, err := c.authEnv(ctx, p.Org)
	if err != nil {
		return "", err
	}
	url := c.RemoteURL(p.Org, p.Repo)
	target := cherryRef + "target"
	if _, err := runEnv(ctx, dir, env, "fetch", "-q", "--no-tags", url, "+refs/heads/"+p.Target+":"+target); err != nil {
		if strings.Contains(err.Error(), "couldn't find remote ref") {
			return "", fmt.Errorf("branch %s of %s/%s: %w", p.Target, p.Org, p.Repo, ErrNoBranch)
		}
		return "", fmt.Errorf("fetch %s of %s/%s: %w", p.Target, p.Org, p.Repo, err)
	}
	head := cherryRef + "head"
	if _, err := runEnv(ctx, dir, env, "fetch", "-q", "--no-tags", url, fmt.Sprintf("+refs/pull/%d/head:%s", p.Number, head)); err != nil {
		return "", fmt.Errorf("fetch the head of %s/%s#%d: %w", p.Org, p.Repo, p.Number, err)
	}
	parent := p.BaseSHA
	if p.MergeSHA != "" {
		parent = p.MergeSHA + "^1"
	}
	if parent != "" {
		sha := strings.TrimSuffix(parent, "^1")
		if _, err := run(ctx, dir, "cat-file", "-e", sha+"^{commit}"); err != nil {
			if _, err := runEnv(ctx, dir, env, "fetch", "-q", "--no-tags", url, sha); err != nil {
				return "", fmt.Errorf("fetch %s of %s/%s: %w", sha, p.Org, p.Repo, err)
			}
		}
	}
	patch, err := c.formatPatch(ctx, dir, parent, head)
	if err != nil {
		return "", fmt.Errorf("patch of %s/%s#%d: %w", p.Org, p.Repo, p.Number, err)
	}
	return applyAndPush(ctx, dir, env, url, p, target, patch)
}

// initClone makes sure the bare clone of org/repo exists.
func (c *Client) initClone(ctx context.Context, org, repo string) (string, error) {
	dir := filepath.Join(c.CacheDir, org, repo+".git")
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if _, err := run(ctx, dir, "init", "--bare", "-q"); err != nil {
		return "", err
	}
	return dir, nil
}

// formatPatch is the mailbox of the commits of head not reachable from
// parent (from the point head forked from it).
func (c *Client) formatPatch(ctx context.Context, dir, parent, head string) ([]byte, error) {
	from := head + "^"
	if parent != "" {
		base, err := run(ctx, dir, "merge-base", parent, head)
		if err != nil {
			return nil, err
		}
		from = strings.TrimSpace(string(base))
	}
	patch, err := run(ctx, dir, "format-patch", "--stdout", "--no-signature", from+".."+head)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(patch)) == 0 {
		return nil, errors.New("the pull request has no commits of its own")
	}
	return patch, nil
}

// applyAndPush applies patch onto target in a temporary work tree and
// pushes the result.
func applyAndPush(ctx context.Context, dir string, env []string, url string, p CherryPick, target string, patch []byte) (string, error) {
	tree, err := os.MkdirTemp("", "cherrypick-")
	if err != nil {
		return "", err
	}
	defer func() {
		_, _ = run(context.WithoutCancel(ctx), dir, "worktree", "remove", "--force", tree)
		_ = os.RemoveAll(tree)
		_, _ = run(context.WithoutCancel(ctx), dir, "worktree", "prune")
	}()
	if _, err := run(ctx, dir, "worktree", "add", "-q", "--force", "--detach", tree, target); err != nil {
		return "", fmt.Errorf("check out %s of %s/%s: %w", p.Target, p.Org, p.Repo, err)
	}
	who := []string{"GIT_COMMITTER_NAME=" + p.Name, "GIT_COMMITTER_EMAIL=" + p.Email}
	cmd := exec.CommandContext(ctx, "git", "am", "--3way", "--keep-cr")
	cmd.Dir = tree
	cmd.Env = append(append(os.Environ(), "GIT_TERMINAL_PROMPT=0"), who...)
	cmd.Stdin = bytes.NewReader(patch)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		_, _ = run(context.WithoutCancel(ctx), tree, "am", "--abort")
		return "", &ConflictError{Output: amOutput(out.String())}
	}
	sha, err := run(ctx, tree, "rev-parse", "HEAD")
	if err != nil {
		return "", err
	}
	if _, err := runEnv(ctx, tree, env, "push", "-q", "--force", url, "HEAD:refs/heads/"+p.Branch); err != nil {
		return "", fmt.Errorf("push %s to %s/%s: %w", p.Branch, p.Org, p.Repo, err)
	}
	return strings.TrimSpace(string(sha)), nil
}

// amOutput keeps what git am said about the failure, without its advice
// on how to go on by hand (which is about a work tree no one sees).
func amOutput(s string) string {
	var keep []string
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		if strings.HasPrefix(line, "hint:") || strings.Contains(line, "The copy of the patch") ||
			strings.HasPrefix(line, "When you have resolved") || strings.HasPrefix(line, "If you prefer to skip") ||
			strings.HasPrefix(line, "To restore the original") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}
