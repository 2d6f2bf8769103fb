package stage

import (
	"context"
	"regexp"
	"strings"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.LabelEditor
}

var _ Client = (*github.Client)(nil)

var stageArg = regexp.MustCompile(`(?i)^(` + strings.Join(Stages, "|") + `)$`)

type handler struct{ gh Client }

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handler{gh: gh}
	return plugins.Plugin{
		Name:        Name,
		Description: "Labels the stage of the feature an issue or pull request tracks: stage/alpha, stage/beta or stage/stable, one at a time.",
		Commands: []plugins.Command{{
			Name:        "stage",
			Args:        stageArg,
			Usage:       "/stage alpha|beta|stable",
			Description: "Sets the stage/<stage> label and removes the other stage labels.",
			WhoCanUse:   "Anyone.",
			Examples:    []string{"/stage alpha", "/stage stable"},
			Handle:      h.stage(false),
		}, {
			Name:        "remove-stage",
			Args:        stageArg,
			Usage:       "/remove-stage alpha|beta|stable",
			Description: "Removes the stage/<stage> label.",
			WhoCanUse:   "Anyone.",
			Examples:    []string{"/remove-stage beta"},
			Handle:      h.stage(true),
		}},
	}
}

func (h handler) stage(remove bool) func(context.Context, plugins.Env, plugins.GenericCommentEvent, []plugins.Invocation) error {
	return func(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
		cmds := make([]Command, 0, len(invs))
		for _, inv := range invs {
			cmds = append(cmds, Command{Remove: remove, Stage: inv.Args})
		}
		c := Decide(ev.Labels, cmds)
		if len(c.Add) > 0 {
			env.Log.WithField("label", strings.Join(c.Add, ",")).Info("Setting stage label")
		}
		return plugins.Relabel(ctx, h.gh, ev.Repo.Org, ev.Repo.Name, ev.Number, c.Add, c.Remove)
	}
}
