package github

import (
	"context"
	"fmt"
)

// GetCommitParents returns the SHAs of a commit's parents, first parent
// first.
func (c *Client) GetCommitParents(ctx context.Context, org, repo, sha string) ([]string, error) {
	commit, _, err := c.gh.Repositories.GetCommit(ctx, org, repo, sha, nil)
	if err != nil {
		return nil, fmt.Errorf("get commit %s of %s/%s: %w", sha, org, repo, err)
	}
	out := make([]string, 0, len(commit.Parents))
	for _, p := range commit.Parents {
		out = append(out, p.GetSHA())
	}
	return out, nil
}
