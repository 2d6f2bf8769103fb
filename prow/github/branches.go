package github

import (
	"context"
	"fmt"

	gh "github.com/google/go-github/v60/github"
)

// Branch is a branch of a repository as its list shows it.
type Branch struct {
	Name      string
	Protected bool
}

// RepoSummary is a repository of an organization as its list shows it.
type RepoSummary struct {
	Name     string
	Archived bool
	Private  bool
}

// ListBranches lists the branches of org/repo.
func (c *Client) ListBranches(ctx context.Context, org, repo string) ([]Branch, error) {
	var out []Branch
	opt := &gh.BranchListOptions{ListOptions: gh.ListOptions{PerPage: perPage}}
	for {
		bs, resp, err := c.gh.Repositories.ListBranches(ctx, org, repo, opt)
		if err != nil {
			return nil, fmt.Errorf("list branches of %s/%s: %w", org, repo, err)
		}
		for _, b := range bs {
			out = append(out, Branch{Name: b.GetName(), Protected: b.GetProtected()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// OrgRepoLister lists the repositories of an org (Client does).
type OrgRepoLister interface {
	ListOrgRepos(ctx context.Context, org string) ([]RepoSummary, error)
}

// EachActiveRepo calls add with org and the name of each of org's
// repositories that is not archived, in the order ListOrgRepos gives them
// (none when the listing fails).
func EachActiveRepo(ctx context.Context, gh OrgRepoLister, org string, add func(org, repo string)) error {
	rs, err := gh.ListOrgRepos(ctx, org)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if !r.Archived {
			add(org, r.Name)
		}
	}
	return nil
}

// ListOrgRepos lists the repositories of org the client can see.
func (c *Client) ListOrgRepos(ctx context.Context, org string) ([]RepoSummary, error) {
	var out []RepoSummary
	opt := &gh.RepositoryListByOrgOptions{ListOptions: gh.ListOptions{PerPage: perPage}}
	for {
		rs, resp, err := c.gh.Repositories.ListByOrg(ctx, org, opt)
		if err != nil {
			return nil, fmt.Errorf("list repositories of %s: %w", org, err)
		}
		for _, r := range rs {
			out = append(out, RepoSummary{Name: r.GetName(), Archived: r.GetArchived(), Private: r.GetPrivate()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}
