package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/effect"
)

const perPage = 100

// notFound is true for a GitHub 404.
func notFound(err error) bool {
	var e *gh.ErrorResponse
	return errors.As(err, &e) && e.Response != nil && e.Response.StatusCode == http.StatusNotFound
}

func toLabels(in []*gh.Label) []Label {
	out := make([]Label, 0, len(in))
	for _, l := range in {
		out = append(out, Label{Name: l.GetName(), Color: l.GetColor(), Description: l.GetDescription()})
	}
	return out
}

// GetRepoLabels lists every label of a repository.
func (c *Client) GetRepoLabels(ctx context.Context, org, repo string) ([]Label, error) {
	var out []Label
	opt := &gh.ListOptions{PerPage: perPage}
	for {
		page, resp, err := c.gh.Issues.ListLabels(ctx, org, repo, opt)
		if err != nil {
			return nil, fmt.Errorf("list labels of %s/%s: %w", org, repo, err)
		}
		out = append(out, toLabels(page)...)
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// GetIssueLabels lists the labels of an issue or pull request.
func (c *Client) GetIssueLabels(ctx context.Context, org, repo string, number int) ([]Label, error) {
	var out []Label
	opt := &gh.ListOptions{PerPage: perPage}
	for {
		page, resp, err := c.gh.Issues.ListLabelsByIssue(ctx, org, repo, number, opt)
		if err != nil {
			return nil, fmt.Errorf("list labels of %s/%s#%d: %w", org, repo, number, err)
		}
		out = append(out, toLabels(page)...)
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// AddLabels adds labels to an issue or pull request.
func (c *Client) AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error {
	if _, _, err := c.gh.Issues.AddLabelsToIssue(ctx, org, repo, number, labels); err != nil {
		return fmt.Errorf("add label %s to %s/%s#%d: %w", strings.Join(labels, ", "), org, repo, number, err)
	}
	return nil
}

// RemoveLabel removes a label; removing one that is not there is no error.
func (c *Client) RemoveLabel(ctx context.Context, org, repo string, number int, label string) error {
	// Escape the name: labels such as do-not-merge/hold hold slashes.
	if _, err := c.gh.Issues.RemoveLabelForIssue(ctx, org, repo, number, url.PathEscape(label)); err != nil && !notFound(err) {
		return fmt.Errorf("remove label %s from %s/%s#%d: %w", label, org, repo, number, err)
	}
	return nil
}

// toComment converts a comment, splitting off the effect marker the bot
// adds to its own comments (see CreateComment).
func toComment(c *gh.IssueComment) IssueComment {
	body, key := effect.Unmark(c.GetBody())
	return IssueComment{ID: c.GetID(), Body: body, User: c.GetUser().GetLogin(), HTMLURL: c.GetHTMLURL(),
		CreatedAt: c.GetCreatedAt().Time, UpdatedAt: c.GetUpdatedAt().Time, effectKey: key}
}

// ListIssueComments lists every comment of an issue or pull request.
func (c *Client) ListIssueComments(ctx context.Context, org, repo string, number int) ([]IssueComment, error) {
	var out []IssueComment
	opt := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: perPage}}
	for {
		page, resp, err := c.gh.Issues.ListComments(ctx, org, repo, number, opt)
		if err != nil {
			return nil, fmt.Errorf("list comments of %s/%s#%d: %w", org, repo, number, err)
		}
		for _, cm := range page {
			out = append(out, toComment(cm))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// CreateComment comments on an issue or pull request.
//
// Inside a plugin's handling of a delivery (ctx has an effect.Scope) the
// comment carries a hidden marker with the next effect key, and when the
// delivery is a replay after a crash, a bot comment that already carries
// that key is returned instead of commenting twice.
func (c *Client) CreateComment(ctx context.Context, org, repo string, number int, body string) (IssueComment, error) {
	if scope := effect.From(ctx); scope != nil {
		key := scope.Key("comment")
		if scope.Replay {
			existing, err := c.ListIssueComments(ctx, org, repo, number)
			if err != nil {
				return IssueComment{}, err
			}
			for _, cm := range existing {
				if cm.effectKey == key {
					return cm, nil
				}
			}
		}
		body = effect.Mark(body, key)
	}
	cm, _, err := c.gh.Issues.CreateComment(ctx, org, repo, number, &gh.IssueComment{Body: &body})
	if err != nil {
		return IssueComment{}, fmt.Errorf("comment on %s/%s#%d: %w", org, repo, number, err)
	}
	return toComment(cm), nil
}

// EditComment replaces a comment's text.
func (c *Client) EditComment(ctx context.Context, org, repo string, id int64, body string) error {
	if _, _, err := c.gh.Issues.EditComment(ctx, org, repo, id, &gh.IssueComment{Body: &body}); err != nil {
		return fmt.Errorf("edit comment %d of %s/%s: %w", id, org, repo, err)
	}
	return nil
}

// DeleteComment deletes a comment; deleting one already gone is no error.
func (c *Client) DeleteComment(ctx context.Context, org, repo string, id int64) error {
	if _, err := c.gh.Issues.DeleteComment(ctx, org, repo, id); err != nil && !notFound(err) {
		return fmt.Errorf("delete comment %d of %s/%s: %w", id, org, repo, err)
	}
	return nil
}

// AssignIssue assigns logins and returns those GitHub did not assign.
func (c *Client) AssignIssue(ctx context.Context, org, repo string, number int, logins []string) ([]string, error) {
	issue, _, err := c.gh.Issues.AddAssignees(ctx, org, repo, number, logins)
	if err != nil {
		return nil, fmt.Errorf("assign %s to %s/%s#%d: %w", strings.Join(logins, ", "), org, repo, number, err)
	}
	assigned := map[string]bool{}
	for _, u := range issue.Assignees {
		assigned[strings.ToLower(u.GetLogin())] = true
	}
	var refused []string
	for _, l := range logins {
		if !assigned[strings.ToLower(l)] {
			refused = append(refused, l)
		}
	}
	return refused, nil
}

// UnassignIssue removes assignees.
func (c *Client) UnassignIssue(ctx context.Context, org, repo string, number int, logins []string) error {
	if _, _, err := c.gh.Issues.RemoveAssignees(ctx, org, repo, number, logins); err != nil {
		return fmt.Errorf("unassign %s from %s/%s#%d: %w", strings.Join(logins, ", "), org, repo, number, err)
	}
	return nil
}

// CloseIssue closes an issue or pull request; reason is GitHub's
// state_reason ("completed", "not_planned") or empty.
func (c *Client) CloseIssue(ctx context.Context, org, repo string, number int, reason string) error {
	req := &gh.IssueRequest{State: gh.String("closed")}
	if reason != "" {
		req.StateReason = gh.String(reason)
	}
	if _, _, err := c.gh.Issues.Edit(ctx, org, repo, number, req); err != nil {
		return fmt.Errorf("close %s/%s#%d: %w", org, repo, number, err)
	}
	return nil
}

// ReopenIssue reopens an issue or pull request.
func (c *Client) ReopenIssue(ctx context.Context, org, repo string, number int) error {
	if _, _, err := c.gh.Issues.Edit(ctx, org, repo, number, &gh.IssueRequest{State: gh.String("open")}); err != nil {
		return fmt.Errorf("reopen %s/%s#%d: %w", org, repo, number, err)
	}
	return nil
}

// EditBody replaces the body of an issue or pull request.
func (c *Client) EditBody(ctx context.Context, org, repo string, number int, body string) error {
	if _, _, err := c.gh.Issues.Edit(ctx, org, repo, number, &gh.IssueRequest{Body: gh.String(body)}); err != nil {
		return fmt.Errorf("edit body of %s/%s#%d: %w", org, repo, number, err)
	}
	return nil
}

// EditTitle changes the title of an issue or pull request.
func (c *Client) EditTitle(ctx context.Context, org, repo string, number int, title string) error {
	if _, _, err := c.gh.Issues.Edit(ctx, org, repo, number, &gh.IssueRequest{Title: gh.String(title)}); err != nil {
		return fmt.Errorf("retitle %s/%s#%d: %w", org, repo, number, err)
	}
	return nil
}
