package blockade

import (
	"context"
	"fmt"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Marker is the hidden HTML comment that starts the bot's notice.
const Marker = "<!-- prow:blockade -->"

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.NoticeClient
	GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]github.PullRequestChange, error)
}

var _ Client = (*github.Client)(nil)

var notice = plugins.LabelNotice{Label: Label, Marker: Marker}

// IsNotice says whether a comment is the bot's notice.
func IsNotice(c github.IssueComment, bot string) bool { return notice.IsNotice(c, bot) }

type handler struct{ gh Client }

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handler{gh: gh}
	return plugins.Plugin{
		Name: Name,
		Description: "Adds " + Label + " (which blocks merging) to pull requests that change paths a blockades entry blocks, " +
			"with a comment giving the explanation; both go once the pull request no longer changes them.",
		ConfigHelp:  configHelp,
		PullRequest: h.pullRequest,
	}
}

func configHelp(cfg *pluginconfig.Configuration, _ []string) map[string]string {
	out := map[string]string{}
	for _, b := range cfg.Blockades {
		line := fmt.Sprintf("Blocks paths matching %s", strings.Join(b.BlockRegexps, ", "))
		if len(b.ExceptionRegexps) > 0 {
			line += fmt.Sprintf(" except %s", strings.Join(b.ExceptionRegexps, ", "))
		}
		if b.BranchRegexp != nil {
			line += fmt.Sprintf(" on branches matching %s", *b.BranchRegexp)
		}
		line += ": " + b.Explanation
		for _, r := range b.Repos {
			out[r] = strings.TrimSpace(out[r] + "\n" + line)
		}
	}
	return out
}

func (h handler) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	if !Relevant(ev.Action, ev.BaseChanged, ev.PR.State) {
		return nil
	}
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.PR.Number
	var covering []pluginconfig.Blockade
	for _, b := range env.PluginConfig().Blockades {
		ok, err := Applies(b, org, repo, ev.PR.BaseRef)
		if err != nil {
			return err
		}
		if ok {
			covering = append(covering, b)
		}
	}
	labeled := ev.PR.HasLabel(Label)
	if len(covering) == 0 && !labeled {
		return nil
	}
	changes, err := h.gh.GetPullRequestChanges(ctx, org, repo, n)
	if err != nil {
		return err
	}
	hits, err := Blocking(covering, org, repo, ev.PR.BaseRef, github.ChangedFileNames(changes))
	if err != nil {
		return err
	}
	switch Decide(len(hits) > 0, labeled) {
	case Block:
		env.Log.WithField("label", Label).Info("Blocking pull request that changes blocked paths")
		return notice.Set(ctx, h.gh, env, ev.Repo, n, Notice(ev.PR.Author, hits))
	case Unblock:
		return notice.Clear(ctx, h.gh, env, ev.Repo, n)
	}
	return nil
}

// Notice is the bot's comment on a pull request by author that runs into
// hits.
func Notice(author string, hits []Hit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n@%s: this pull request changes files that may not be changed here, so it has the `%s` label, which keeps it from merging.\n\n", Marker, author, Label)
	seen := map[string]bool{}
	for _, h := range hits {
		if seen[h.Explanation] {
			continue
		}
		seen[h.Explanation] = true
		var files []string
		for _, other := range hits {
			if other.Explanation == h.Explanation {
				files = append(files, other.Files...)
			}
		}
		fmt.Fprintf(&b, "- %s (`%s`)\n", h.Explanation, strings.Join(files, "`, `"))
	}
	b.WriteString("\nThe label and this comment go away once the pull request no longer changes these files.")
	return b.String()
}
