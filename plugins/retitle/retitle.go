// Package retitle is the retitle plugin: `/retitle <title>` changes the
// title of an issue or pull request, for collaborators, on open ones (and
// closed issues when plugins.yaml allows).
package retitle

import (
	"context"
	"regexp"
	"strings"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "retitle"

// Client is what the plugin needs of GitHub.
type Client interface {
	IsCollaborator(ctx context.Context, org, repo, login string) (bool, error)
	EditTitle(ctx context.Context, org, repo string, number int, title string) error
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
}

// Decide says what a /retitle does: the new title, or a reply refusing it.
func Decide(args string, collaborator, closed, isPR, allowClosedIssues bool) (title, reply string) {
	title = strings.TrimSpace(args)
	switch {
	case !collaborator:
		return "", "Titles may only be changed by collaborators."
	case closed && (isPR || !allowClosedIssues):
		return "", "Closed issues and pull requests cannot be retitled."
	case title == "":
		return "", "Titles may not be empty."
	case strings.Contains(title, "/retitle"):
		return "", "Titles may not contain the /retitle command."
	}
	return title, ""
}

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	handle := func(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
		org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
		collaborator, err := gh.IsCollaborator(ctx, org, repo, ev.User)
		if err != nil {
			return err
		}
		allowClosed := env.PluginConfig().Retitle.AllowClosedIssues
		title, reply := Decide(invs[len(invs)-1].Args, collaborator, ev.IssueState == "closed", ev.IsPR, allowClosed)
		if reply != "" {
			_, err := gh.CreateComment(ctx, org, repo, n, plugins.FormatCommentResponse(ev, reply))
			return err
		}
		env.Log.Info("Retitling")
		return gh.EditTitle(ctx, org, repo, n, title)
	}
	return plugins.Plugin{
		Name:        Name,
		Description: "Lets collaborators change the title of an issue or pull request with /retitle.",
		Commands: []plugins.Command{{
			Name: "retitle", Args: regexp.MustCompile(`^.*$`), Usage: "/retitle <title>",
			Description: "Changes the title.", WhoCanUse: "Collaborators of the repository.",
			Examples: []string{"/retitle Fix the flaky e2e test"}, OnClosed: true, Handle: handle,
		}},
	}
}
