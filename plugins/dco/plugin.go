package dco

import (
	"context"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/orgrepo"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.NoticeClient
	plugins.CommentEditor
	ListPullRequestCommits(ctx context.Context, org, repo string, number int) ([]github.PullRequestCommit, error)
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	ListStatuses(ctx context.Context, org, repo, ref string) ([]github.Status, error)
	CreateStatus(ctx context.Context, org, repo, sha string, s github.Status) error
	IsMember(ctx context.Context, org, login string) (bool, error)
	IsCollaborator(ctx context.Context, org, repo, login string) (bool, error)
}

var _ Client = (*github.Client)(nil)

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handler{gh: gh}
	return plugins.Plugin{
		Name: Name,
		Description: "Checks that every commit of a pull request is signed off (a Signed-off-by line, the Developer Certificate of Origin), " +
			"setting the " + Context + " status and the " + LabelYes + " or " + LabelNo + " label, with a comment naming the commits that lack it. " +
			"It checks when a pull request is opened, reopened or pushed to.",
		ConfigHelp:  configHelp,
		PullRequest: h.pullRequest,
		Commands: []plugins.Command{{
			Name:        "check-dco",
			Usage:       "/check-dco",
			Description: "Checks the sign-off of every commit of the pull request again and updates the " + Context + " status, label and comment.",
			WhoCanUse:   "Anyone",
			Examples:    []string{"/check-dco"},
			Handle:      plugins.OnPullRequest(gh, h.command),
		}},
	}
}

func settings(cfg *pluginconfig.Configuration, org, repo string) pluginconfig.DCO {
	if cfg == nil {
		return pluginconfig.DCO{}
	}
	if d, ok := orgrepo.Lookup(cfg.DCO, org, repo); ok && d != nil {
		return *d
	}
	return pluginconfig.DCO{}
}

func configHelp(cfg *pluginconfig.Configuration, orgRepos []string) map[string]string {
	return plugins.RepoHelp(orgRepos, func(org, repo string) string {
		if repo == "" {
			repo = "<repo>"
		}
		d := settings(cfg, org, repo)
		var parts []string
		if d.SkipDCOCheckForMembers || d.SkipDCOCheckForCollaborators {
			who := "members of " + org
			if d.TrustedOrg != "" && !strings.EqualFold(d.TrustedOrg, org) {
				who += " and " + d.TrustedOrg
			}
			if d.SkipDCOCheckForCollaborators {
				who += " and collaborators of the repository"
			}
			parts = append(parts, "Commits by "+who+" need no sign-off.")
		}
		if len(d.TrustedApps) > 0 {
			parts = append(parts, "Commits by the GitHub Apps "+strings.Join(d.TrustedApps, ", ")+" need no sign-off.")
		}
		parts = append(parts, "The status and comment link to "+GuideURL(d, org, repo)+".")
		return strings.Join(parts, " ")
	})
}

type handler struct{ gh Client }

// prActions are the pull request actions that can change the commits.
var prActions = map[string]bool{"opened": true, "reopened": true, "synchronize": true}

func (h handler) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	if !prActions[ev.Action] || ev.PR.State != "open" {
		return nil
	}
	return h.check(ctx, env, target{repo: ev.Repo, number: ev.PR.Number, author: ev.PR.Author, head: ev.PR.HeadSHA, labels: ev.PR.Labels})
}

func (h handler) command(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, pr github.PullRequest) error {
	if ev.IssueState != "open" {
		return nil
	}
	return h.check(ctx, env, target{repo: ev.Repo, number: ev.Number, author: pr.Author, head: pr.HeadSHA, labels: pr.Labels})
}

// target is the pull request being checked.
type target struct {
	repo   plugins.Repo
	number int
	author string
	head   string
	labels []string
}

func (h handler) check(ctx context.Context, env plugins.Env, t target) error {
	org, repo := t.repo.Org, t.repo.Name
	var cfg *pluginconfig.Configuration
	if env.PluginConfig != nil {
		cfg = env.PluginConfig()
	}
	d := settings(cfg, org, repo)
	commits, err := h.gh.ListPullRequestCommits(ctx, org, repo, t.number)
	if err != nil {
		return err
	}
	exempt, err := h.exempt(ctx, d, org, repo, Unsigned(commits, nil))
	if err != nil {
		return err
	}
	unsigned := Unsigned(commits, exempt)
	statuses, err := h.gh.ListStatuses(ctx, org, repo, t.head)
	if err != nil {
		return err
	}
	var current github.Status
	for _, s := range statuses {
		if s.Context == Context {
			current = s
		}
	}
	guide := GuideURL(d, org, repo)
	plan := Decide(len(unsigned), t.labels, current, guide)
	env.Log.WithField("unsigned", len(unsigned)).Debug("Checked the commits' sign-off")
	// The comment first, the labels next, the status last: a run cut
	// short anywhere is completed by the next without repeating a write.
	body := ""
	if plan.Notify {
		body = Notice(t.author, unsigned, guide)
	}
	if err := plugins.SyncNotice(ctx, h.gh, h.gh, env, t.repo, t.number, Marker, body); err != nil {
		return err
	}
	if plan.AddLabel != "" {
		if err := h.gh.AddLabels(ctx, org, repo, t.number, plan.AddLabel); err != nil {
			return err
		}
	}
	if plan.RemoveLabel != "" {
		if err := h.gh.RemoveLabel(ctx, org, repo, t.number, plan.RemoveLabel); err != nil {
			return err
		}
	}
	if plan.Status != nil {
		return h.gh.CreateStatus(ctx, org, repo, t.head, *plan.Status)
	}
	return nil
}

// exempt returns the authors of unsigned commits whose commits need no
// sign-off under d (lower-cased logins).
func (h handler) exempt(ctx context.Context, d pluginconfig.DCO, org, repo string, unsigned []github.PullRequestCommit) (map[string]bool, error) {
	out := map[string]bool{}
	checked := map[string]bool{}
	for _, c := range unsigned {
		login := strings.ToLower(c.Author)
		if login == "" || checked[login] {
			continue
		}
		checked[login] = true
		ok, err := h.trusted(ctx, d, org, repo, c.Author)
		if err != nil {
			return nil, err
		}
		out[login] = ok
	}
	return out, nil
}

// trusted says whether login's commits are exempt from the sign-off.
func (h handler) trusted(ctx context.Context, d pluginconfig.DCO, org, repo, login string) (bool, error) {
	if strings.HasSuffix(login, "[bot]") {
		return TrustedApp(d.TrustedApps, login), nil
	}
	if !d.SkipDCOCheckForMembers && !d.SkipDCOCheckForCollaborators {
		return false, nil
	}
	member, err := h.gh.IsMember(ctx, org, login)
	if err != nil || member {
		return member, err
	}
	if d.SkipDCOCheckForCollaborators {
		collab, err := h.gh.IsCollaborator(ctx, org, repo, login)
		if err != nil || collab {
			return collab, err
		}
	}
	if d.TrustedOrg != "" && !strings.EqualFold(d.TrustedOrg, org) {
		return h.gh.IsMember(ctx, d.TrustedOrg, login)
	}
	return false, nil
}
