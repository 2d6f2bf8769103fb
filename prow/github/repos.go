package github

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// CreateStatus sets a commit status.
func (c *Client) CreateStatus(ctx context.Context, org, repo, sha string, s Status) error {
	_, _, err := c.gh.Repositories.CreateStatus(ctx, org, repo, sha, &gh.RepoStatus{Context: &s.Context, State: &s.State, Description: &s.Description, TargetURL: &s.TargetURL})
	if err != nil {
		return fmt.Errorf("set status %s on %s/%s@%s: %w", s.Context, org, repo, sha, err)
	}
	return nil
}

// ListStatuses returns the latest status of each context on ref.
func (c *Client) ListStatuses(ctx context.Context, org, repo, ref string) ([]Status, error) {
	var out []Status
	opt := &gh.ListOptions{PerPage: perPage}
	for {
		combined, resp, err := c.gh.Repositories.GetCombinedStatus(ctx, org, repo, ref, opt)
		if err != nil {
			return nil, fmt.Errorf("get statuses of %s/%s@%s: %w", org, repo, ref, err)
		}
		for _, s := range combined.Statuses {
			out = append(out, Status{Context: s.GetContext(), State: s.GetState(), Description: s.GetDescription(), TargetURL: s.GetTargetURL()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// IsCollaborator says whether login collaborates on the repository.
func (c *Client) IsCollaborator(ctx context.Context, org, repo, login string) (bool, error) {
	ok, _, err := c.gh.Repositories.IsCollaborator(ctx, org, repo, login)
	if err != nil {
		return false, fmt.Errorf("check %s collaborates on %s/%s: %w", login, org, repo, err)
	}
	return ok, nil
}

// Permission returns login's permission on the repository.
func (c *Client) Permission(ctx context.Context, org, repo, login string) (string, error) {
	p, _, err := c.gh.Repositories.GetPermissionLevel(ctx, org, repo, login)
	if err != nil {
		if notFound(err) {
			return "none", nil
		}
		return "", fmt.Errorf("get %s's permission on %s/%s: %w", login, org, repo, err)
	}
	return p.GetPermission(), nil
}

// IsMember says whether login is a member of org.
func (c *Client) IsMember(ctx context.Context, org, login string) (bool, error) {
	ok, _, err := c.gh.Organizations.IsMember(ctx, org, login)
	if err != nil {
		return false, fmt.Errorf("check %s is a member of %s: %w", login, org, err)
	}
	return ok, nil
}

// ListTeamMembers lists the logins of a team.
func (c *Client) ListTeamMembers(ctx context.Context, org, teamSlug string) ([]string, error) {
	var out []string
	opt := &gh.TeamListTeamMembersOptions{ListOptions: gh.ListOptions{PerPage: perPage}}
	for {
		page, resp, err := c.gh.Teams.ListTeamMembersBySlug(ctx, org, teamSlug, opt)
		if err != nil {
			return nil, fmt.Errorf("list members of team %s/%s: %w", org, teamSlug, err)
		}
		for _, u := range page {
			out = append(out, u.GetLogin())
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// GetRef returns the SHA a ref ("heads/main") points to.
func (c *Client) GetRef(ctx context.Context, org, repo, ref string) (string, error) {
	r, _, err := c.gh.Git.GetRef(ctx, org, repo, ref)
	if err != nil {
		return "", fmt.Errorf("get ref %s of %s/%s: %w", ref, org, repo, err)
	}
	return r.GetObject().GetSHA(), nil
}

// GetCommitTree returns the SHA of the tree a commit (or branch) records.
func (c *Client) GetCommitTree(ctx context.Context, org, repo, ref string) (string, error) {
	commit, _, err := c.gh.Repositories.GetCommit(ctx, org, repo, ref, nil)
	if err != nil {
		return "", fmt.Errorf("get commit %s of %s/%s: %w", ref, org, repo, err)
	}
	return commit.GetCommit().GetTree().GetSHA(), nil
}

// GetFile returns a file's contents at ref.
func (c *Client) GetFile(ctx context.Context, org, repo, path, ref string) ([]byte, error) {
	f, _, _, err := c.gh.Repositories.GetContents(ctx, org, repo, path, &gh.RepositoryContentGetOptions{Ref: ref})
	if err != nil {
		return nil, fmt.Errorf("get %s of %s/%s@%s: %w", path, org, repo, ref, err)
	}
	if f == nil {
		return nil, fmt.Errorf("get %s of %s/%s@%s: it is a directory", path, org, repo, ref)
	}
	content, err := f.GetContent()
	if err != nil {
		return nil, fmt.Errorf("decode %s of %s/%s@%s: %w", path, org, repo, ref, err)
	}
	return []byte(content), nil
}

// RepoExists says whether org/repo exists and the bot can see it; with
// repo empty, whether org is an org or a user.
func (c *Client) RepoExists(ctx context.Context, org, repo string) (bool, error) {
	var err error
	if repo == "" {
		_, _, err = c.gh.Users.Get(ctx, org)
	} else {
		_, _, err = c.gh.Repositories.Get(ctx, org, repo)
	}
	switch {
	case notFound(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("look up %s: %w", strings.TrimSuffix(org+"/"+repo, "/"), err)
	}
	return true, nil
}
