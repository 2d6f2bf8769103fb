package cherrypickunapproved

import (
	"context"
	"fmt"
	"regexp"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.NoticeClient
}

var _ Client = (*github.Client)(nil)

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handler{gh: gh}
	return plugins.Plugin{
		Name: Name,
		Description: "Adds the " + Unapproved + " label, with a comment, to pull requests against release branches (cherry-picks) " +
			"that lack the " + Approved + " label, and removes it once " + Approved + " is added.",
		ConfigHelp:  configHelp,
		PullRequest: h.pullRequest,
	}
}

func settings(cfg *pluginconfig.Configuration) (*regexp.Regexp, string, error) {
	c := pluginconfig.CherryPickUnapproved{}
	if cfg != nil {
		c = cfg.CherryPickUnapproved
	}
	if c.BranchRegexp == "" {
		c.BranchRegexp = `^release-.*$`
	}
	if c.Comment == "" {
		c.Comment = DefaultComment
	}
	re, err := regexp.Compile(c.BranchRegexp)
	if err != nil {
		return nil, "", fmt.Errorf("cherry_pick_unapproved.branchregexp: %w", err)
	}
	return re, c.Comment, nil
}

func configHelp(cfg *pluginconfig.Configuration, _ []string) map[string]string {
	re, comment, err := settings(cfg)
	if err != nil {
		return map[string]string{"": err.Error()}
	}
	return map[string]string{"": fmt.Sprintf("Pull requests against branches matching %q (cherry_pick_unapproved.branchregexp) need the %s label; "+
		"until then the bot comments: %q (cherry_pick_unapproved.comment).", re.String(), Approved, comment)}
}

type handler struct{ gh Client }

var notice = plugins.LabelNotice{Label: Unapproved, Marker: Marker}

func relevant(ev plugins.PullRequestEvent) bool {
	if ev.PR.State != "open" {
		return false
	}
	switch ev.Action {
	case "opened", "reopened", "labeled", "unlabeled":
		return true
	case "edited":
		return ev.BaseChanged
	}
	return false
}

func (h handler) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	if !relevant(ev) {
		return nil
	}
	var cfg *pluginconfig.Configuration
	if env.PluginConfig != nil {
		cfg = env.PluginConfig()
	}
	re, comment, err := settings(cfg)
	if err != nil {
		return err
	}
	r, n := ev.Repo, ev.PR.Number
	switch Decide(re, ev.PR.BaseRef, ev.PR.HasLabel(Approved), ev.PR.HasLabel(Unapproved)) {
	case Block:
		env.Log.WithField("branch", ev.PR.BaseRef).Info("Unapproved cherry-pick: blocking it")
		return notice.Set(ctx, h.gh, env, r, n, Marker+"\n@"+ev.PR.Author+": "+comment)
	case Unblock:
		env.Log.Info("Cherry-pick approved: unblocking it")
		return h.gh.RemoveLabel(ctx, r.Org, r.Name, n, Unapproved)
	}
	return nil
}
