package milestonestatus

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/milestone"
	"github.com/prowbot/prow/prow/github"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
	ListTeamMembers(ctx context.Context, org, teamSlug string) ([]string, error)
}

var _ Client = (*github.Client)(nil)

type handler struct{ gh Client }

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handler{gh: gh}
	return plugins.Plugin{
		Name: Name,
		Description: "Lets the milestone maintainers team mark where an issue or pull request stands in its milestone, with the labels " +
			strings.Join(labelList(), ", ") + ".",
		ConfigHelp: configHelp,
		Commands: []plugins.Command{{
			Name:        "status",
			Args:        regexp.MustCompile(`(?i)^(` + strings.Join(Statuses, "|") + `)$`),
			Usage:       "/status " + strings.Join(Statuses, "|"),
			Description: "Adds the matching status/... label to the issue or pull request.",
			WhoCanUse:   "Members of the repository's milestone maintainers team (repo_milestone in plugins.yaml).",
			Examples:    []string{"/status approved-for-milestone", "/status in-progress", "/status in-review"},
			// Release teams also file merged pull requests and closed issues.
			OnClosed: true,
			Handle:   h.status,
		}},
	}
}

func labelList() []string {
	out := make([]string, 0, len(Statuses))
	for _, s := range Statuses {
		out = append(out, Labels[s])
	}
	return out
}

func configHelp(cfg *pluginconfig.Configuration, repos []string) map[string]string {
	return milestone.TeamHelp(cfg, repos, "set status labels", func(m pluginconfig.Milestone) string { return m.MaintainersTeam })
}

func (h handler) status(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	m, configured := milestone.Maintainers(env.PluginConfig(), org, repo)
	maintainer := false
	if configured {
		var err error
		if maintainer, err = milestone.IsMaintainer(ctx, h.gh, org, m, ev.User); err != nil {
			return err
		}
	}
	statuses := make([]string, 0, len(invs))
	for _, inv := range invs {
		statuses = append(statuses, inv.Args)
	}
	d := Decide(statuses, configured, maintainer, ev.Labels)
	var reply string
	switch d.Outcome {
	case Apply:
		if len(d.Add) == 0 {
			return nil
		}
		env.Log.WithField("label", strings.Join(d.Add, ",")).Info("Adding status labels")
		return h.gh.AddLabels(ctx, org, repo, n, d.Add...)
	case NotConfigured:
		reply = milestone.NotConfiguredReply(org, repo, "set status labels here with `/status`")
	case NotAllowed:
		reply = fmt.Sprintf("only members of the %s GitHub team can add status labels. If you think you should be able to, ask the %s to add you to the team.",
			milestone.TeamLink(org, m.MaintainersTeam), m.MaintainersFriendlyName)
	}
	_, err := h.gh.CreateComment(ctx, org, repo, n, plugins.FormatCommentResponse(ev, reply))
	return err
}
