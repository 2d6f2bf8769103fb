// Package lgtm is the lgtm plugin: a collaborator's `/lgtm` on a pull
// request adds the lgtm label (and assigns them), `/lgtm cancel` or
// `/remove-lgtm` removes it, the author cannot LGTM their own pull request
// but may cancel, and a new push removes the label.
package lgtm

import (
	"context"
	"regexp"
	"strings"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "lgtm"

// Label marks a pull request a reviewer approved of.
const Label = "lgtm"

// Client is what the plugin needs of GitHub.
type Client interface {
	AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error
	RemoveLabel(ctx context.Context, org, repo string, number int, label string) error
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
	IsCollaborator(ctx context.Context, org, repo, login string) (bool, error)
	AssignIssue(ctx context.Context, org, repo string, number int, logins []string) ([]string, error)
}

// Outcome is what a comment's lgtm commands lead to.
type Outcome struct {
	Add, Remove bool
	Assign      bool   // assign the commenter, who reviewed
	Reply       string // a refusal to explain, or ""
}

// Decide applies the last lgtm command of a comment.
func Decide(commenter, author string, collaborator, hasLabel bool, invs []plugins.Invocation) Outcome {
	if len(invs) == 0 {
		return Outcome{}
	}
	last := invs[len(invs)-1]
	cancel := last.Name == "remove-lgtm" || strings.EqualFold(last.Args, "cancel")
	isAuthor := strings.EqualFold(commenter, author)
	switch {
	case !cancel && isAuthor:
		return Outcome{Reply: "you cannot LGTM your own PR."}
	case !collaborator && (!cancel || !isAuthor):
		return Outcome{Reply: "changing LGTM is restricted to collaborators"}
	case cancel:
		return Outcome{Remove: hasLabel}
	default:
		return Outcome{Add: !hasLabel, Assign: true}
	}
}

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	handle := func(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
		if !ev.IsPR {
			return nil
		}
		org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
		collaborator, err := gh.IsCollaborator(ctx, org, repo, ev.User)
		if err != nil {
			return err
		}
		has := false
		for _, l := range ev.Labels {
			has = has || l == Label
		}
		out := Decide(ev.User, ev.IssueAuthor, collaborator, has, invs)
		if out.Reply != "" {
			_, err := gh.CreateComment(ctx, org, repo, n, plugins.FormatCommentResponse(ev, out.Reply))
			return err
		}
		if out.Assign {
			if _, err := gh.AssignIssue(ctx, org, repo, n, []string{ev.User}); err != nil {
				return err
			}
		}
		switch {
		case out.Add:
			env.Log.Info("Adding lgtm label")
			return gh.AddLabels(ctx, org, repo, n, Label)
		case out.Remove:
			env.Log.Info("Removing lgtm label")
			return gh.RemoveLabel(ctx, org, repo, n, Label)
		}
		return nil
	}
	return plugins.Plugin{
		Name:        Name,
		Description: "Adds the lgtm label when a collaborator says /lgtm on a pull request, and removes it on /lgtm cancel or when new commits are pushed.",
		Commands: []plugins.Command{{
			Name: "lgtm", Aliases: []string{"remove-lgtm"}, Args: regexp.MustCompile(`(?i)^(no-issue|cancel)?$`),
			Usage:       "/lgtm [cancel] | /remove-lgtm",
			Description: "Adds or removes the lgtm label, which tells the merge bot the change looks good.",
			WhoCanUse:   "Collaborators of the repository. The author may only cancel.",
			Examples:    []string{"/lgtm", "/lgtm cancel"}, Featured: true, Handle: handle,
		}},
		PullRequest: func(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
			if ev.Action != "synchronize" || !ev.PR.HasLabel(Label) {
				return nil
			}
			org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.PR.Number
			env.Log.Info("New commits: removing lgtm label")
			if err := gh.RemoveLabel(ctx, org, repo, n, Label); err != nil {
				return err
			}
			_, err := gh.CreateComment(ctx, org, repo, n, "New changes are detected. LGTM label has been removed.")
			return err
		},
	}
}
