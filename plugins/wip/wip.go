// Package wip is the wip plugin: a pull request whose title starts with
// "WIP" (or "[WIP]", "wip:" ...) or that is a draft gets the
// do-not-merge/work-in-progress label, which comes off when neither holds.
package wip

import (
	"context"
	"regexp"

	"github.com/prowbot/prow/plugins"
)

// Name is the plugin's name in plugins.yaml.
const Name = "wip"

// Label marks a pull request still in progress.
const Label = "do-not-merge/work-in-progress"

var titleRe = regexp.MustCompile(`(?i)^\W?WIP\W`)

// LabelClient is what the plugin needs of GitHub.
type LabelClient interface {
	AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error
	RemoveLabel(ctx context.Context, org, repo string, number int, label string) error
}

// Decide says whether to add or remove the label.
func Decide(title string, draft, hasLabel bool) (add, remove bool) {
	wip := draft || titleRe.MatchString(title)
	return wip && !hasLabel, !wip && hasLabel
}

// actions that can change a pull request's title or draft state.
var actions = map[string]bool{"opened": true, "reopened": true, "edited": true, "ready_for_review": true, "converted_to_draft": true}

// New builds the plugin.
func New(gh LabelClient) plugins.Plugin {
	return plugins.Plugin{
		Name:        Name,
		Description: "Adds the " + Label + " label to pull requests that are drafts or whose title starts with WIP, and removes it when they are neither.",
		PullRequest: func(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
			if !actions[ev.Action] || ev.PR.State != "open" {
				return nil
			}
			add, remove := Decide(ev.PR.Title, ev.PR.Draft, ev.PR.HasLabel(Label))
			switch {
			case add:
				env.Log.Info("Marking pull request work in progress")
				return gh.AddLabels(ctx, ev.Repo.Org, ev.Repo.Name, ev.PR.Number, Label)
			case remove:
				env.Log.Info("Pull request no longer work in progress")
				return gh.RemoveLabel(ctx, ev.Repo.Org, ev.Repo.Name, ev.PR.Number, Label)
			}
			return nil
		},
	}
}
