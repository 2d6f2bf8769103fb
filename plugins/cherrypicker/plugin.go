package cherrypicker

import (
	"context"
	"regexp"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/git"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml (Prow's external plugin's).
const Name = "cherrypicker"

// Client is what the plugin needs of GitHub.
type Client interface {
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
	ListIssueComments(ctx context.Context, org, repo string, number int) ([]github.IssueComment, error)
	IsMember(ctx context.Context, org, login string) (bool, error)
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	FindOpenPullRequests(ctx context.Context, org, repo, head, base string) ([]github.PullRequest, error)
	CreatePullRequest(ctx context.Context, org, repo, title, body, head, base string) (github.PullRequest, error)
	AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error
	AssignIssue(ctx context.Context, org, repo string, number int, logins []string) ([]string, error)
}

var _ Client = (*github.Client)(nil)

// Git applies a pull request's commits onto another branch and pushes
// the result.
type Git interface {
	CherryPick(ctx context.Context, p git.CherryPick) (string, error)
}

var _ Git = (*git.Client)(nil)

type handler struct {
	gh  Client
	git Git
}

// New builds the plugin.
func New(gh Client, g Git) plugins.Plugin {
	h := handler{gh: gh, git: g}
	return plugins.Plugin{
		Name: Name,
		Description: "Cherry-picks merged pull requests onto other branches: for each branch asked for, the bot applies the pull request's commits " +
			"onto that branch, pushes them to a branch cherry-pick-<number>-to-<branch> and opens a pull request titled \"[<branch>] <title>\", " +
			"assigned to whoever asked, with the original's release note. A label " + DefaultLabelPrefix + "<branch> (the prefix is configurable) " +
			"asks for the same on behalf of the pull request's author. When the commits do not apply, the bot says why.",
		ConfigHelp:  configHelp,
		PullRequest: h.pullRequest,
		Commands: []plugins.Command{{
			Name:    "cherrypick",
			Aliases: []string{"cherry-pick"},
			Args:    regexp.MustCompile(`^.+$`),
			Usage:   "/cherrypick <branch>",
			Description: "Asks for the pull request to be cherry-picked onto <branch>: at once on a merged pull request, " +
				"as soon as it merges on an open one. The new pull request is assigned to you.",
			WhoCanUse: "Members of the repository's organization (anyone when cherrypicker.allow_all is set).",
			Examples:  []string{"/cherrypick release-1.0", "/cherry-pick release-2.3"},
			Featured:  true,
			OnClosed:  true,
			Handle:    h.command,
		}},
	}
}

func configHelp(cfg *pluginconfig.Configuration, _ []string) map[string]string {
	c := cfg.Cherrypicker
	who := "Only members of the organization can ask for cherry-picks."
	if c.AllowAll {
		who = "Anyone can ask for cherry-picks (cherrypicker.allow_all)."
	}
	help := who + " Labels starting with " + labelPrefix(c) + " ask for a cherry-pick to the branch they name."
	if len(c.Labels) > 0 {
		help += " Cherry-pick pull requests get the labels " + strings.Join(c.Labels, ", ") + "."
	}
	return map[string]string{"": help}
}

func labelPrefix(c pluginconfig.Cherrypicker) string {
	if c.LabelPrefix == "" {
		return DefaultLabelPrefix
	}
	return c.LabelPrefix
}

// settings are the plugin's configuration in force.
func settings(env plugins.Env) pluginconfig.Cherrypicker {
	if env.PluginConfig == nil {
		return pluginconfig.Cherrypicker{}
	}
	if cfg := env.PluginConfig(); cfg != nil {
		return cfg.Cherrypicker
	}
	return pluginconfig.Cherrypicker{}
}

// allowed reports whether login may ask for cherry-picks in org, asking
// GitHub once per login and call (cache).
func (h handler) allowed(ctx context.Context, c pluginconfig.Cherrypicker, org, login string, cache map[string]bool) (bool, error) {
	if c.AllowAll {
		return true, nil
	}
	if ok, seen := cache[login]; seen {
		return ok, nil
	}
	ok, err := h.gh.IsMember(ctx, org, login)
	if err != nil {
		return false, err
	}
	cache[login] = ok
	return ok, nil
}

// command handles /cherrypick comments.
func (h handler) command(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
	targets := Targets(invs)
	if !ev.IsPR || len(targets) == 0 {
		return nil
	}
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	c := settings(env)
	req := func(t string) Request {
		return Request{Target: t, Requester: ev.User, CommentURL: ev.HTMLURL, CommentBody: ev.Body}
	}
	ok, err := h.allowed(ctx, c, org, ev.User, map[string]bool{})
	if err != nil {
		return err
	}
	open := ev.IssueState != "closed"
	var pr github.PullRequest
	if ok && !open {
		if pr, err = h.gh.GetPullRequest(ctx, org, repo, n); err != nil {
			return err
		}
	}
	switch Decide(open, pr.Merged, ok, pr.BaseRef, targets[0]) {
	case Refuse:
		return h.reply(ctx, org, repo, n, req(targets[0]), refusedMessage(org))
	case Remember:
		return h.reply(ctx, org, repo, n, req(targets[0]), rememberMessage(targets))
	case Unmerged:
		return h.reply(ctx, org, repo, n, req(targets[0]), unmergedMessage)
	}
	for _, t := range targets {
		if err := h.pickOrSay(ctx, env, c, org, repo, pr, req(t)); err != nil {
			return err
		}
	}
	return nil
}

// pullRequest acts on the requests of a pull request as it merges, and
// on a request label added to a merged one.
func (h handler) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	if !ev.PR.Merged || (ev.Action != "closed" && ev.Action != "labeled") {
		return nil
	}
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.PR.Number
	c := settings(env)
	var reqs []Request
	if ev.Action == "labeled" {
		r, ok := FromLabel(ev.Label, ev.PR.Author, labelPrefix(c))
		if !ok {
			return nil
		}
		reqs = []Request{r}
	} else {
		comments, err := h.gh.ListIssueComments(ctx, org, repo, n)
		if err != nil {
			return err
		}
		list := make([]Comment, 0, len(comments))
		for _, cm := range comments {
			list = append(list, Comment{User: cm.User, Body: cm.Body, HTMLURL: cm.HTMLURL})
		}
		reqs = Requests(list, ev.PR.Labels, ev.PR.Author, labelPrefix(c), env.BotLogin)
	}
	members := map[string]bool{}
	var allowed []Request
	for _, r := range reqs {
		ok, err := h.allowed(ctx, c, org, r.Requester, members)
		if err != nil {
			return err
		}
		if ok {
			allowed = append(allowed, r)
		}
	}
	if len(allowed) == 0 {
		return nil
	}
	pr, err := h.gh.GetPullRequest(ctx, org, repo, n)
	if err != nil {
		return err
	}
	for _, r := range Unique(allowed) {
		if err := h.pickOrSay(ctx, env, c, org, repo, pr, r); err != nil {
			return err
		}
	}
	return nil
}

// reply answers the request: quoting its comment, or naming its label.
func (h handler) reply(ctx context.Context, org, repo string, n int, r Request, msg string) error {
	body := plugins.FormatResponse(r.Requester, msg, r.CommentURL, r.CommentBody)
	if r.CommentURL == "" {
		body = "@" + r.Requester + ": " + msg + "\n\n(In response to the label `" + r.Label + "`.)"
	}
	_, err := h.gh.CreateComment(ctx, org, repo, n, body)
	return err
}
