package sigmention

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	GetRepoLabels(ctx context.Context, org, repo string) ([]github.Label, error)
	AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error
	IsMember(ctx context.Context, org, login string) (bool, error)
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
}

var _ Client = (*github.Client)(nil)

type handler struct{ gh Client }

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handler{gh: gh}
	return plugins.Plugin{
		Name: Name,
		Description: "Adds sig/<name> (and a kind/... label for -bugs, -feature-requests, -api-reviews and -proposals teams) to issues and pull requests " +
			"whose comments mention a SIG team, and repeats the mentions of people outside the org so the teams are notified.",
		ConfigHelp:     configHelp,
		GenericComment: h.comment,
	}
}

func configHelp(cfg *pluginconfig.Configuration, _ []string) map[string]string {
	return map[string]string{"": fmt.Sprintf("Mentions matching %s (sigmention.regexp) label the SIG named by the first group.", "`"+cfg.SigMention.Regexp+"`")}
}

// regexpOf compiles the configured regexp (validated when the
// configuration was loaded).
func regexpOf(cfg *pluginconfig.Configuration) (*regexp.Regexp, error) {
	expr := cfg.SigMention.Regexp
	if expr == "" {
		var d pluginconfig.Configuration
		d.ApplyDefaults()
		expr = d.SigMention.Regexp
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("sigmention.regexp %q: %w", expr, err)
	}
	return re, nil
}

func (h handler) comment(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent) error {
	if ev.Action != plugins.CommentCreated {
		return nil
	}
	re, err := regexpOf(env.PluginConfig())
	if err != nil {
		return err
	}
	matches := re.FindAllStringSubmatch(ev.Body, -1)
	if len(matches) == 0 {
		return nil
	}
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	repoLabels, err := h.gh.GetRepoLabels(ctx, org, repo)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(repoLabels))
	for _, l := range repoLabels {
		names = append(names, l.Name)
	}
	member, err := h.gh.IsMember(ctx, org, ev.User)
	if err != nil {
		return err
	}
	p := Decide(matches, names, ev.Labels, member)
	if len(p.Add) > 0 {
		env.Log.WithField("label", strings.Join(p.Add, ",")).Info("Adding labels for SIG mentions")
		if err := h.gh.AddLabels(ctx, org, repo, n, p.Add...); err != nil {
			return err
		}
	}
	if len(p.Repeat) == 0 {
		return nil
	}
	msg := "GitHub does not notify teams of mentions by people outside the org, so here they are again: " + strings.Join(p.Repeat, ", ")
	_, err = h.gh.CreateComment(ctx, org, repo, n, plugins.FormatCommentResponse(ev, msg))
	return err
}
