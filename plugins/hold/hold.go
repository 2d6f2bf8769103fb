// Package hold is the hold plugin: `/hold` puts a pull request or issue on
// hold with the do-not-merge/hold label, `/hold cancel`, `/unhold` and
// `/remove-hold` take it off. Anyone may use it.
package hold

import (
	"context"
	"regexp"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
)

// Name is the plugin's name in plugins.yaml.
const Name = "hold"

// Label marks a held pull request.
const Label = "do-not-merge/hold"

// LabelClient is what the plugin needs of GitHub.
type LabelClient interface {
	AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error
	RemoveLabel(ctx context.Context, org, repo string, number int, label string) error
}

var _ LabelClient = (*github.Client)(nil)

// Decide says what a comment's hold commands do to a pull request that
// has (or lacks) the label: the last command wins.
func Decide(hasLabel bool, invs []plugins.Invocation) (add, remove bool) {
	want := hasLabel
	for _, inv := range invs {
		switch {
		case inv.Name == "hold" && (inv.Args == "" || !cancelArg.MatchString(inv.Args)):
			want = true
		default:
			want = false
		}
	}
	return want && !hasLabel, !want && hasLabel
}

var cancelArg = regexp.MustCompile(`(?i)^cancel\b`)

// New builds the plugin.
func New(gh LabelClient) plugins.Plugin {
	handle := func(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
		add, remove := Decide(labels.Has(ev.Labels, Label), invs)
		switch {
		case add:
			env.Log.Info("Adding hold label")
			return gh.AddLabels(ctx, ev.Repo.Org, ev.Repo.Name, ev.Number, Label)
		case remove:
			env.Log.Info("Removing hold label")
			return gh.RemoveLabel(ctx, ev.Repo.Org, ev.Repo.Name, ev.Number, Label)
		}
		return nil
	}
	return plugins.Plugin{
		Name:        Name,
		Description: "Puts a pull request on hold so it does not merge: it adds or removes the " + Label + " label.",
		// One command with aliases, so a comment's hold commands arrive
		// together and in order.
		Commands: []plugins.Command{{
			Name: "hold", Aliases: []string{"unhold", "remove-hold"}, Args: regexp.MustCompile(`^.*$`),
			Usage:       "/hold [cancel] | /unhold | /remove-hold",
			Description: "Adds the " + Label + " label, which stops the pull request from merging; /hold cancel, /unhold or /remove-hold removes it.",
			WhoCanUse:   "Anyone", Examples: []string{"/hold", "/hold waiting for the release", "/hold cancel", "/unhold"}, Featured: true, Handle: handle,
		}},
	}
}
