// Package help is the help plugin: `/help` marks an issue "help wanted"
// and explains what that asks of contributors, `/good-first-issue` also
// marks it "good first issue", and their `/remove-` forms take the labels
// off.
package help

import (
	"context"
	"fmt"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
)

// Name is the plugin's name in plugins.yaml.
const Name = "help"

// The labels.
const (
	HelpLabel           = "help wanted"
	GoodFirstIssueLabel = "good first issue"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.LabelEditor
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
}

// Plan says what the last help command of a comment does.
func Plan(cmd string, has labels.Set) (add, remove []string, explain bool) {
	switch cmd {
	case "help":
		if !has.Has(HelpLabel) {
			add, explain = []string{HelpLabel}, true
		}
	case "good-first-issue":
		for _, l := range []string{HelpLabel, GoodFirstIssueLabel} {
			if !has.Has(l) {
				add = append(add, l)
			}
		}
		explain = len(add) > 0
	case "remove-help":
		for _, l := range []string{HelpLabel, GoodFirstIssueLabel} {
			if has.Has(l) {
				remove = append(remove, l)
			}
		}
	case "remove-good-first-issue":
		if has.Has(GoodFirstIssueLabel) {
			remove = []string{GoodFirstIssueLabel}
		}
	}
	return add, remove, explain
}

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	handle := func(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
		if ev.IsPR {
			return nil
		}
		org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
		add, remove, explain := Plan(invs[len(invs)-1].Name, labels.NewSet(ev.Labels))
		if err := plugins.Relabel(ctx, gh, org, repo, n, add, remove); err != nil {
			return err
		}
		if !explain {
			return nil
		}
		cfg := env.PluginConfig().Help
		msg := "This request has been marked as needing help from a contributor."
		if cfg.HelpGuidelinesURL != "" {
			msg += fmt.Sprintf("\n\nPlease check that it meets the [help wanted guidelines](%s).", cfg.HelpGuidelinesURL)
		}
		if cfg.HelpGuidelinesSummary != "" {
			msg += "\n\n" + cfg.HelpGuidelinesSummary
		}
		_, err := gh.CreateComment(ctx, org, repo, n, plugins.FormatCommentResponse(ev, msg))
		return err
	}
	return plugins.Plugin{
		Name:        Name,
		Description: "Marks issues that need a contributor's help: the help wanted and good first issue labels.",
		Commands: []plugins.Command{{
			Name: "help", Aliases: []string{"remove-help", "good-first-issue", "remove-good-first-issue"},
			Usage:       "/[remove-](help|good-first-issue)",
			Description: "Adds or removes the help wanted (and good first issue) labels on an issue.",
			WhoCanUse:   "Anyone", Examples: []string{"/help", "/good-first-issue", "/remove-help"}, Handle: handle,
		}},
	}
}
