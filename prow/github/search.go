package github

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// FoundIssue is an issue or pull request a search found.
type FoundIssue struct {
	// Org and Repo name the repository it belongs to.
	Org     string
	Repo    string
	Number  int
	Title   string
	State   string // open or closed
	Author  string
	IsPR    bool
	Labels  []string
	HTMLURL string
}

// SearchClient searches issues and pull requests.
type SearchClient interface {
	// FindIssues returns every issue and pull request matching a GitHub
	// search query (for example "is:pr repo:org/repo author:login"), up
	// to the 1,000 results GitHub's search gives.
	FindIssues(ctx context.Context, query string) ([]FoundIssue, error)
}

var _ SearchClient = (*Client)(nil)

// FindIssues searches issues and pull requests, following every page.
func (c *Client) FindIssues(ctx context.Context, query string) ([]FoundIssue, error) {
	out := []FoundIssue{}
	opt := &gh.SearchOptions{ListOptions: gh.ListOptions{PerPage: perPage}}
	for {
		res, resp, err := c.gh.Search.Issues(ctx, query, opt)
		if err != nil {
			return nil, fmt.Errorf("search issues %q: %w", query, err)
		}
		for _, i := range res.Issues {
			out = append(out, toFoundIssue(i))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

func toFoundIssue(i *gh.Issue) FoundIssue {
	f := FoundIssue{Number: i.GetNumber(), Title: i.GetTitle(), State: i.GetState(), Author: i.GetUser().GetLogin(),
		IsPR: i.IsPullRequest(), HTMLURL: i.GetHTMLURL()}
	for _, l := range i.Labels {
		f.Labels = append(f.Labels, l.GetName())
	}
	f.Org, f.Repo = repoFromURL(i.GetRepositoryURL())
	if f.Org == "" && i.Repository != nil {
		f.Org, f.Repo = i.Repository.GetOwner().GetLogin(), i.Repository.GetName()
	}
	return f
}

// repoFromURL reads org and repo from a repository API URL, which ends
// in /repos/{org}/{repo}.
func repoFromURL(u string) (org, repo string) {
	_, rest, ok := strings.Cut(u, "/repos/")
	if !ok {
		return "", ""
	}
	org, repo, ok = strings.Cut(strings.TrimSuffix(rest, "/"), "/")
	if !ok || strings.Contains(repo, "/") {
		return "", ""
	}
	return org, repo
}
