// Package welcome is the welcome plugin: when someone opens their first
// pull request to a repository, it greets them with a comment.
//
// As in Prow, "first" means a search for `is:pr repo:org/repo
// author:login` finds no pull request but this one. Authors the bot
// trusts (the bot itself, members of the org or of the trigger's
// trusted_org, collaborators unless only_org_members, and trusted_apps)
// are not greeted, unless the repo's welcome entry sets always_post, which
// greets every pull request opened. Bots (`<app>[bot]` logins) and the
// bot itself are never greeted.
//
// The message is the Go text/template `welcome[].message_template` of the
// repo (or its org), with the fields .AuthorLogin, .AuthorName, .Org and
// .Repo; the default is DefaultTemplate. Events carry no display name, so
// .AuthorName is the login.
package welcome

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"text/template"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "welcome"

// DefaultTemplate is the message when the repo configures none.
const DefaultTemplate = "Welcome @{{.AuthorLogin}}! It looks like this is your first PR to {{.Org}}/{{.Repo}} 🎉"

// Client is what the plugin needs of GitHub.
type Client interface {
	FindIssues(ctx context.Context, query string) ([]github.FoundIssue, error)
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
	IsMember(ctx context.Context, org, login string) (bool, error)
	IsCollaborator(ctx context.Context, org, repo, login string) (bool, error)
}

var _ Client = (*github.Client)(nil)

// PRInfo is what a message template sees.
type PRInfo struct {
	Org         string
	Repo        string
	AuthorLogin string
	AuthorName  string
}

// Situation is everything the decision needs about an opened pull request.
type Situation struct {
	Number   int
	Author   string
	BotLogin string
	// Trusted says the bot trusts the author.
	Trusted bool
	// AlwaysPost is the repo's welcome always_post.
	AlwaysPost bool
	// Found are the numbers of the author's pull requests in the repo.
	Found []int
}

// IsBot says whether a login is the bot itself or a GitHub App, whose
// pull requests are never greeted.
func IsBot(login, botLogin string) bool {
	return strings.EqualFold(login, botLogin) || strings.HasSuffix(strings.ToLower(login), "[bot]")
}

// FirstPR says whether the author's pull requests found are at most this
// one: the search index may not hold the new pull request yet.
func FirstPR(found []int, number int) bool {
	return len(found) == 0 || len(found) == 1 && found[0] == number
}

// ShouldWelcome decides whether to greet the author of a newly opened pull
// request.
func ShouldWelcome(s Situation) bool {
	switch {
	case IsBot(s.Author, s.BotLogin):
		return false
	case s.AlwaysPost:
		return true
	case s.Trusted:
		return false
	}
	return FirstPR(s.Found, s.Number)
}

// Template returns the message template for a repo's welcome settings.
func Template(w pluginconfig.Welcome) string {
	if w.MessageTemplate != "" {
		return w.MessageTemplate
	}
	return DefaultTemplate
}

// Message renders a welcome message template.
func Message(tmpl string, info PRInfo) (string, error) {
	t, err := template.New("welcome").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return "", fmt.Errorf("parse welcome template: %w", err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, info); err != nil {
		return "", fmt.Errorf("render welcome template: %w", err)
	}
	return buf.String(), nil
}

// trusted is Prow's trusted user: the bot, a member of the org or of the
// trusted org, a collaborator (unless only org members count) or a
// trusted app. Cheap checks come first.
func trusted(ctx context.Context, gh Client, t pluginconfig.Trigger, org, repo, login, botLogin string) (bool, error) {
	if strings.EqualFold(login, botLogin) {
		return true, nil
	}
	for _, app := range t.TrustedApps {
		if strings.EqualFold(login, strings.TrimSuffix(app, "[bot]")+"[bot]") {
			return true, nil
		}
	}
	if member, err := gh.IsMember(ctx, org, login); err != nil || member {
		return member, err
	}
	if !t.OnlyOrgMembers {
		if collab, err := gh.IsCollaborator(ctx, org, repo, login); err != nil || collab {
			return collab, err
		}
	}
	if t.TrustedOrg != "" && !strings.EqualFold(t.TrustedOrg, org) {
		return gh.IsMember(ctx, t.TrustedOrg, login)
	}
	return false, nil
}

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	return plugins.Plugin{
		Name:        Name,
		Description: "Greets people who open their first pull request to a repository with a welcome message.",
		ConfigHelp:  configHelp,
		PullRequest: func(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
			if ev.Action != "opened" {
				return nil
			}
			org, repo, author := ev.Repo.Org, ev.Repo.Name, ev.PR.Author
			if IsBot(author, env.BotLogin) {
				return nil
			}
			cfg := env.PluginConfig()
			w, _ := cfg.WelcomeFor(org, repo)
			s := Situation{Number: ev.PR.Number, Author: author, BotLogin: env.BotLogin, AlwaysPost: w.AlwaysPost}
			if !s.AlwaysPost {
				var err error
				if s.Trusted, err = trusted(ctx, gh, cfg.TriggerFor(org, repo), org, repo, author, env.BotLogin); err != nil {
					return fmt.Errorf("check whether %s is trusted in %s/%s: %w", author, org, repo, err)
				}
				if s.Trusted {
					return nil
				}
				found, err := gh.FindIssues(ctx, fmt.Sprintf("is:pr repo:%s/%s author:%s", org, repo, author))
				if err != nil {
					return err
				}
				for _, f := range found {
					s.Found = append(s.Found, f.Number)
				}
			}
			if !ShouldWelcome(s) {
				env.Log.WithField("prs", len(s.Found)).Debug("Author has contributed before")
				return nil
			}
			msg, err := Message(Template(w), PRInfo{Org: org, Repo: repo, AuthorLogin: author, AuthorName: author})
			if err != nil {
				return fmt.Errorf("welcome message of %s/%s: %w", org, repo, err)
			}
			env.Log.Info("Welcoming a first-time contributor")
			if _, err := gh.CreateComment(ctx, org, repo, ev.PR.Number, msg); err != nil {
				return err
			}
			return nil
		},
	}
}

func configHelp(cfg *pluginconfig.Configuration, orgRepos []string) map[string]string {
	return plugins.RepoHelp(orgRepos, func(org, repo string) string {
		w, _ := cfg.WelcomeFor(org, repo)
		return fmt.Sprintf("The welcome plugin posts this message on a first pull request: %s", Template(w))
	})
}
