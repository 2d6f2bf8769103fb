package invalidcommitmsg

import (
	"context"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.NoticeClient
	plugins.CommentEditor
	ListPullRequestCommits(ctx context.Context, org, repo string, number int) ([]github.PullRequestCommit, error)
}

var _ Client = (*github.Client)(nil)

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handler{gh: gh}
	return plugins.Plugin{
		Name: Name,
		Description: "Adds the " + Label + " label, with a comment saying what to fix, to pull requests whose commit messages or title hold an @mention " +
			"or a keyword that closes an issue (such as \"Fixes #12\"), or whose commits are fixup!, amend! or squash! commits, " +
			"and removes both once the messages are fixed. It checks when a pull request is opened, reopened, pushed to or edited.",
		ConfigHelp:  configHelp,
		PullRequest: h.pullRequest,
	}
}

func configHelp(cfg *pluginconfig.Configuration, orgRepos []string) map[string]string {
	return plugins.RepoHelp(orgRepos, func(org, repo string) string {
		m := cfg.InvalidCommitMsgFor(org, repo)
		var off []string
		for _, name := range []string{CheckClosingKeywords, CheckFixupPrefix} {
			if m.CheckDisabled(name) {
				off = append(off, name)
			}
		}
		if len(off) == 0 {
			return ""
		}
		return "These checks are off (invalid_commit_msg): " + strings.Join(off, ", ") + "."
	})
}

type handler struct{ gh Client }

var actions = map[string]bool{"opened": true, "reopened": true, "synchronize": true, "edited": true}

func (h handler) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	if !actions[ev.Action] || ev.PR.State != "open" || (ev.Action == "edited" && !ev.TitleChanged) {
		return nil
	}
	r, n := ev.Repo, ev.PR.Number
	var cfg pluginconfig.InvalidCommitMsg
	if env.PluginConfig != nil {
		if c := env.PluginConfig(); c != nil {
			cfg = c.InvalidCommitMsgFor(r.Org, r.Name)
		}
	}
	commits, err := h.gh.ListPullRequestCommits(ctx, r.Org, r.Name, n)
	if err != nil {
		return err
	}
	res := Check(commits, ev.PR.Title, cfg)
	switch Decide(res.Invalid(), ev.PR.HasLabel(Label)) {
	case Block:
		env.Log.WithField("commits", len(res.Commits)).Info("Invalid commit messages: blocking the pull request")
		// The comment before the label: a replay finds it and adds only
		// the label.
		if err := plugins.SyncNotice(ctx, h.gh, h.gh, env, r, n, Marker, Notice(ev.PR.Author, res)); err != nil {
			return err
		}
		if ev.PR.HasLabel(Label) {
			return nil
		}
		return h.gh.AddLabels(ctx, r.Org, r.Name, n, Label)
	case Unblock:
		env.Log.Info("Commit messages fixed: unblocking the pull request")
		if err := plugins.SyncNotice(ctx, h.gh, h.gh, env, r, n, Marker, ""); err != nil {
			return err
		}
		return h.gh.RemoveLabel(ctx, r.Org, r.Name, n, Label)
	}
	return nil
}
