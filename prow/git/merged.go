package git

import (
	"context"
	"fmt"
	"strings"
)

// mergeIdentity makes the merge commits MergedFiles builds the same for the
// same inputs, whoever runs them and when.
var mergeIdentity = []string{
	"GIT_AUTHOR_NAME=prow", "GIT_AUTHOR_EMAIL=prow@localhost", "GIT_AUTHOR_DATE=@0 +0000",
	"GIT_COMMITTER_NAME=prow", "GIT_COMMITTER_EMAIL=prow@localhost", "GIT_COMMITTER_DATE=@0 +0000",
}

// MergedFiles returns the files under paths (git pathspecs: a file, or a
// directory and everything below it) of org/repo at base with each of
// heads merged on top in order, as a pull request (or a batch of them) is
// tested. base and heads are commit SHAs; what the clone lacks is fetched
// in one request. The merges are made in the bare clone without a work
// tree; a conflict is an error.
func (c *Client) MergedFiles(ctx context.Context, org, repo, base string, heads []string, paths ...string) (map[string][]byte, error) {
	lock := c.repoLock(org + "/" + repo)
	lock.Lock()
	defer lock.Unlock()
	dir, err := c.ensureAll(ctx, org, repo, append([]string{base}, heads...))
	if err != nil {
		return nil, err
	}
	rev := base
	for _, head := range heads {
		out, err := run(ctx, dir, "merge-tree", "--write-tree", "--no-messages", rev, head)
		if err != nil {
			return nil, fmt.Errorf("merge %s into %s of %s/%s: %w", head, base, org, repo, err)
		}
		tree, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		commit, err := runEnv(ctx, dir, mergeIdentity, "commit-tree", tree, "-p", rev, "-p", head, "-m", "merge "+head)
		if err != nil {
			return nil, fmt.Errorf("record the merge of %s into %s of %s/%s: %w", head, base, org, repo, err)
		}
		rev = strings.TrimSpace(string(commit))
	}
	list, err := run(ctx, dir, append([]string{"ls-tree", "-r", "-z", "--name-only", rev, "--"}, paths...)...)
	if err != nil {
		return nil, fmt.Errorf("list files of %s/%s@%s: %w", org, repo, rev, err)
	}
	files := map[string][]byte{}
	for _, p := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		if p == "" {
			continue
		}
		data, err := run(ctx, dir, "cat-file", "blob", rev+":"+p)
		if err != nil {
			return nil, fmt.Errorf("read %s of %s/%s@%s: %w", p, org, repo, rev, err)
		}
		files[p] = data
	}
	return files, nil
}

// ensureAll makes sure the bare clone of org/repo has every commit of
// shas, fetching the missing ones together.
func (c *Client) ensureAll(ctx context.Context, org, repo string, shas []string) (string, error) {
	dir, err := c.initClone(ctx, org, repo)
	if err != nil {
		return "", err
	}
	var missing []string
	for _, sha := range shas {
		if _, err := run(ctx, dir, "cat-file", "-e", sha+"^{commit}"); err != nil {
			missing = append(missing, sha)
		}
	}
	if len(missing) == 0 {
		return dir, nil
	}
	env, err := c.authEnv(ctx, org)
	if err != nil {
		return "", err
	}
	args := append([]string{"fetch", "-q", "--no-tags", c.RemoteURL(org, repo)}, missing...)
	if _, err := runEnv(ctx, dir, env, args...); err != nil {
		return "", fmt.Errorf("fetch %s of %s/%s: %w", strings.Join(missing, ", "), org, repo, err)
	}
	return dir, nil
}
