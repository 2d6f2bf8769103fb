package milestone

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
	ListTeamMembers(ctx context.Context, org, teamSlug string) ([]string, error)
	ListMilestones(ctx context.Context, org, repo string) ([]github.Milestone, error)
	IssueMilestone(ctx context.Context, org, repo string, number int) (string, error)
	SetMilestone(ctx context.Context, org, repo string, number, milestone int) error
	ClearMilestone(ctx context.Context, org, repo string, number int) error
}

var _ Client = (*github.Client)(nil)

type handler struct{ gh Client }

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handler{gh: gh}
	return plugins.Plugin{
		Name:        Name,
		Description: "Puts issues and pull requests in a milestone, or takes them out, on the word of the repository's milestone maintainers team.",
		ConfigHelp:  configHelp,
		Commands: []plugins.Command{{
			Name:        "milestone",
			Args:        regexp.MustCompile(`^\S.*$`),
			Usage:       "/milestone <title>|clear",
			Description: "Puts the issue or pull request in the open milestone with that exact title; `clear` takes it out of its milestone.",
			WhoCanUse:   "Members of the repository's milestone maintainers team (repo_milestone in plugins.yaml).",
			Examples:    []string{"/milestone v1.10", "/milestone clear"},
			// Release teams also file merged pull requests and closed issues.
			OnClosed: true,
			Handle:   h.milestone,
		}},
	}
}

func configHelp(cfg *pluginconfig.Configuration, repos []string) map[string]string {
	return TeamHelp(cfg, repos, "set milestones", func(m pluginconfig.Milestone) string {
		return m.MaintainersTeam + " (" + m.MaintainersFriendlyName + ")"
	})
}

// TeamHelp is the configuration help of a plugin whose users are the
// milestone maintainers teams of repo_milestone: "Members of the team
// <team> <do>" for the default entry (its team as name gives it) and for
// each of repos that names its own team.
func TeamHelp(cfg *pluginconfig.Configuration, repos []string, do string, name func(pluginconfig.Milestone) string) map[string]string {
	out := map[string]string{}
	if m, ok := Maintainers(cfg, "", ""); ok {
		out[""] = fmt.Sprintf("Members of the team %s %s (repo_milestone default entry).", name(m), do)
	}
	for _, r := range repos {
		if m, ok := cfg.RepoMilestone[r]; ok && m.MaintainersTeam != "" {
			out[r] = fmt.Sprintf("Members of the team %s %s in %s.", m.MaintainersTeam, do, r)
		}
	}
	return out
}

// NotConfiguredReply says that no maintainers team is named for
// org/repo, so nobody can do what.
func NotConfiguredReply(org, repo, what string) string {
	return fmt.Sprintf("no milestone maintainers team is named for %s/%s (repo_milestone.maintainers_team in plugins.yaml; "+
		"the deprecated maintainers_id alone is not supported), so nobody can %s.", org, repo, what)
}

// TeamLink is the Markdown link to an org's team's member list.
func TeamLink(org, team string) string {
	return fmt.Sprintf("[%s/%s](https://github.com/orgs/%s/teams/%s/members)", org, team, org, team)
}

// IsMaintainer reports whether user is in the maintainers team m of org.
func IsMaintainer(ctx context.Context, gh plugins.TeamLister, org string, m pluginconfig.Milestone, user string) (bool, error) {
	return plugins.InTeam(ctx, gh, org, m.MaintainersTeam, user)
}

func (h handler) milestone(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	// The last command of a comment wins.
	req := Request{Arg: invs[len(invs)-1].Args}
	m, ok := Maintainers(env.PluginConfig(), org, repo)
	req.Configured = ok
	var err error
	if ok {
		if req.Maintainer, err = IsMaintainer(ctx, h.gh, org, m, ev.User); err != nil {
			return err
		}
	}
	if req.Maintainer {
		if req.Current, err = h.gh.IssueMilestone(ctx, org, repo, n); err != nil {
			return err
		}
		if req.Milestones, err = h.gh.ListMilestones(ctx, org, repo); err != nil {
			return err
		}
	}
	v := Decide(req)
	var reply string
	switch v.Action {
	case Set:
		env.Log.WithField("milestone", req.Arg).Info("Setting milestone")
		return h.gh.SetMilestone(ctx, org, repo, n, v.Number)
	case Clear:
		return h.gh.ClearMilestone(ctx, org, repo, n)
	case Nothing:
		return nil
	case NotConfigured:
		reply = NotConfiguredReply(org, repo, "set milestones here with `/milestone`")
	case NotAllowed:
		reply = fmt.Sprintf("only members of the %s GitHub team can set milestones. If you think you should be able to, ask the %s to add you to the team.",
			TeamLink(org, m.MaintainersTeam), m.MaintainersFriendlyName)
	case Unknown:
		reply = unknownReply(req.Arg, req.Milestones)
	}
	_, err = h.gh.CreateComment(ctx, org, repo, n, plugins.FormatCommentResponse(ev, reply))
	return err
}

func unknownReply(arg string, ms []github.Milestone) string {
	titles := make([]string, 0, len(ms))
	for _, m := range ms {
		titles = append(titles, "`"+m.Title+"`")
	}
	sort.Strings(titles)
	list := "none"
	if len(titles) > 0 {
		list = strings.Join(titles, ", ")
	}
	return fmt.Sprintf("`%s` is not an open milestone of this repository. Its open milestones: %s.\n\nUse `/milestone clear` to take this out of its milestone.", arg, list)
}
