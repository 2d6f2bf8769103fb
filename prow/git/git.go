// Package git reads repositories the way the bot needs: it keeps one bare
// clone per repository in a cache directory, fetches what a question
// needs, and answers from it (for example the OWNERS files at a pull
// request's base), without a work tree. CherryPick is the one writer: it
// applies a pull request's commits onto another branch in a temporary work
// tree and pushes the result.
package git

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing/fstest"
)

// Client reads repositories into a cache directory.
type Client struct {
	// CacheDir holds the bare clones.
	CacheDir string
	// RemoteURL returns the clone URL of org/repo (with credentials when
	// needed).
	RemoteURL func(org, repo string) string
	// Credentials, when set, give the user and password for fetching
	// org's repositories over HTTPS (private repositories). They are
	// handed to git in its environment for one command and never written
	// into the clone's configuration.
	Credentials func(ctx context.Context, org string) (user, password string, err error)

	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// repoLock serializes git commands on one repository's clone.
func (c *Client) repoLock(key string) *sync.Mutex {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.locks == nil {
		c.locks = map[string]*sync.Mutex{}
	}
	if c.locks[key] == nil {
		c.locks[key] = &sync.Mutex{}
	}
	return c.locks[key]
}

func run(ctx context.Context, dir string, args ...string) ([]byte, error) {
	return runEnv(ctx, dir, nil, args...)
}

// runEnv runs git with extra environment variables.
func runEnv(ctx context.Context, dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GIT_TERMINAL_PROMPT=0"), env...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out.Bytes(), nil
}

// ensure makes sure the bare clone of org/repo has ref, fetching it when
// missing; it returns the clone's directory.
func (c *Client) ensure(ctx context.Context, org, repo, ref string) (string, error) {
	dir, err := c.initClone(ctx, org, repo)
	if err != nil {
		return "", err
	}
	if _, err := run(ctx, dir, "cat-file", "-e", ref+"^{commit}"); err == nil {
		return dir, nil // already here: a SHA never changes
	}
	env, err := c.authEnv(ctx, org)
	if err != nil {
		return "", err
	}
	if _, err := runEnv(ctx, dir, env, "fetch", "-q", "--no-tags", c.RemoteURL(org, repo), ref); err != nil {
		return "", fmt.Errorf("fetch %s of %s/%s: %w", ref, org, repo, err)
	}
	return dir, nil
}

// Files returns the files of org/repo at ref (a SHA or a branch) whose
// paths keep says to keep, as an in-memory file system.
func (c *Client) Files(ctx context.Context, org, repo, ref string, keep func(path string) bool) (fs.FS, error) {
	lock := c.repoLock(org + "/" + repo)
	lock.Lock()
	defer lock.Unlock()
	dir, err := c.ensure(ctx, org, repo, ref)
	if err != nil {
		return nil, err
	}
	rev := ref
	if len(ref) != 40 {
		rev = "FETCH_HEAD"
	}
	list, err := run(ctx, dir, "ls-tree", "-r", "--name-only", "-z", rev)
	if err != nil {
		return nil, fmt.Errorf("list files of %s/%s@%s: %w", org, repo, ref, err)
	}
	out := fstest.MapFS{}
	for _, p := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		if p == "" || !keep(p) {
			continue
		}
		data, err := run(ctx, dir, "show", rev+":"+p)
		if err != nil {
			return nil, fmt.Errorf("read %s of %s/%s@%s: %w", p, org, repo, ref, err)
		}
		out[p] = &fstest.MapFile{Data: data}
	}
	return out, nil
}

// authEnv passes the credentials of org to git as an HTTP header set
// through its environment (GIT_CONFIG_*), so they appear neither on the
// command line nor in the clone's configuration.
func (c *Client) authEnv(ctx context.Context, org string) ([]string, error) {
	if c.Credentials == nil {
		return nil, nil
	}
	user, password, err := c.Credentials(ctx, org)
	if err != nil || password == "" {
		return nil, err
	}
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	return []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=http.extraHeader", "GIT_CONFIG_VALUE_0=Authorization: Basic " + basic}, nil
}
