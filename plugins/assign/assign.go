// Package assign is the assign plugin: `/assign` and `/unassign` (the
// commenter, or the users named) change assignees; `/cc` and `/uncc`
// request or withdraw pull request reviews from users or org/team.
package assign

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "assign"

// Client is what the plugin needs of GitHub.
type Client interface {
	AssignIssue(ctx context.Context, org, repo string, number int, logins []string) ([]string, error)
	UnassignIssue(ctx context.Context, org, repo string, number int, logins []string) error
	RequestReview(ctx context.Context, org, repo string, number int, users, teams []string) error
	UnrequestReview(ctx context.Context, org, repo string, number int, users, teams []string) error
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
}

// Targets reads who a command names: the logins after it (without @),
// or the commenter when it names no one. Teams ("org/team") are returned
// apart, as their slugs.
func Targets(commenter, args string) (users, teams []string) {
	for _, f := range strings.Fields(args) {
		f = strings.TrimPrefix(f, "@")
		if _, team, ok := strings.Cut(f, "/"); ok {
			teams = append(teams, team)
			continue
		}
		users = append(users, f)
	}
	if len(users) == 0 && len(teams) == 0 {
		users = []string{commenter}
	}
	return users, teams
}

type handlers struct{ gh Client }

func (h handlers) reply(ctx context.Context, ev plugins.GenericCommentEvent, msg string) error {
	_, err := h.gh.CreateComment(ctx, ev.Repo.Org, ev.Repo.Name, ev.Number, plugins.FormatCommentResponse(ev, msg))
	return err
}

func (h handlers) assign(ctx context.Context, _ plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	for _, inv := range invs {
		users, _ := Targets(ev.User, inv.Args)
		if inv.Name == "unassign" {
			if err := h.gh.UnassignIssue(ctx, org, repo, n, users); err != nil {
				return err
			}
			continue
		}
		refused, err := h.gh.AssignIssue(ctx, org, repo, n, users)
		if err != nil {
			return err
		}
		if len(refused) > 0 {
			if err := h.reply(ctx, ev, fmt.Sprintf("GitHub didn't allow me to assign the following users: %s.\n\nNote that only [%s members](https://github.com/orgs/%s/people), repo collaborators and people who have commented on this issue/PR can be assigned.", strings.Join(refused, ", "), org, org)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (h handlers) cc(ctx context.Context, _ plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
	if !ev.IsPR {
		return nil
	}
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	for _, inv := range invs {
		users, teams := Targets(ev.User, inv.Args)
		if inv.Name == "uncc" {
			if err := h.gh.UnrequestReview(ctx, org, repo, n, users, teams); err != nil {
				return err
			}
			continue
		}
		if err := h.gh.RequestReview(ctx, org, repo, n, users, teams); err == nil {
			continue
		}
		// GitHub refuses the whole request for one bad name: find which.
		var refused []string
		for _, u := range users {
			if err := h.gh.RequestReview(ctx, org, repo, n, []string{u}, nil); err != nil {
				refused = append(refused, u)
			}
		}
		for _, t := range teams {
			if err := h.gh.RequestReview(ctx, org, repo, n, nil, []string{t}); err != nil {
				refused = append(refused, org+"/"+t)
			}
		}
		if len(refused) > 0 {
			if err := h.reply(ctx, ev, fmt.Sprintf("GitHub didn't allow me to request PR reviews from the following users: %s.\n\nNote that only [%s members](https://github.com/orgs/%s/people) and repo collaborators can review this PR, and authors cannot review their own PRs.", strings.Join(refused, ", "), org, org)); err != nil {
				return err
			}
		}
	}
	return nil
}

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handlers{gh: gh}
	return plugins.Plugin{
		Name:        Name,
		Description: "Assigns issues and pull requests and requests reviews: /assign, /unassign, /cc, /uncc.",
		Commands: []plugins.Command{
			{Name: "assign", Aliases: []string{"unassign"}, Args: regexp.MustCompile(`^(@?[-\w]+\s*)*$`),
				Usage: "/[un]assign [@user ...]", Description: "Assigns (or unassigns) the users named, or yourself.",
				WhoCanUse: "Anyone; only assignable users are assigned.", Examples: []string{"/assign", "/assign @alice @bob", "/unassign"}, Featured: true, Handle: h.assign},
			{Name: "cc", Aliases: []string{"uncc"}, Args: regexp.MustCompile(`^(@?[-/\w]+\s*)*$`),
				Usage: "/[un]cc [@user|@org/team ...]", Description: "Requests (or withdraws) a review on a pull request from the users or teams named, or yourself.",
				WhoCanUse: "Anyone; only collaborators can be asked to review.", Examples: []string{"/cc @alice", "/cc @demo/maintainers", "/uncc"}, Handle: h.cc},
		},
	}
}
