// Package size is the size plugin: it labels a pull request size/XS to
// size/XXL by the lines it changes (additions plus deletions), leaving out
// generated files (listed in .generated_files or marked
// linguist-generated in .gitattributes), with thresholds from plugins.yaml.
package size

import (
	"context"
	"fmt"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "size"

// Client is what the plugin needs of GitHub.
type Client interface {
	GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]github.PullRequestChange, error)
	GetFile(ctx context.Context, org, repo, path, ref string) ([]byte, error)
	AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error
	RemoveLabel(ctx context.Context, org, repo string, number int, label string) error
}

// LabelFor picks the size label for a number of changed lines.
func LabelFor(lines int, t pluginconfig.Size) string {
	switch {
	case lines < t.S:
		return "size/XS"
	case lines < t.M:
		return "size/S"
	case lines < t.L:
		return "size/M"
	case lines < t.Xl:
		return "size/L"
	case lines < t.Xxl:
		return "size/XL"
	}
	return "size/XXL"
}

// Count adds up the lines changed outside generated files.
func Count(changes []github.PullRequestChange, generated Generated) int {
	n := 0
	for _, c := range changes {
		if !generated.Matches(c.Filename) {
			n += c.Additions + c.Deletions
		}
	}
	return n
}

// Plan says which labels to add and remove so that only want remains of
// the size labels.
func Plan(have []string, want string) (add string, remove []string) {
	present := false
	for _, l := range have {
		switch {
		case l == want:
			present = true
		case strings.HasPrefix(l, "size/"):
			remove = append(remove, l)
		}
	}
	if !present {
		add = want
	}
	return add, remove
}

var actions = map[string]bool{"opened": true, "reopened": true, "synchronize": true, "edited": true}

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	return plugins.Plugin{
		Name:        Name,
		Description: "Labels pull requests size/XS to size/XXL by the lines they change, leaving out generated files.",
		ConfigHelp: func(cfg *pluginconfig.Configuration, _ []string) map[string]string {
			s := cfg.Size
			return map[string]string{"": fmt.Sprintf("Changed lines: S from %d, M from %d, L from %d, XL from %d, XXL from %d.", s.S, s.M, s.L, s.Xl, s.Xxl)}
		},
		PullRequest: func(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
			if !actions[ev.Action] {
				return nil
			}
			org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.PR.Number
			changes, err := gh.GetPullRequestChanges(ctx, org, repo, n)
			if err != nil {
				return err
			}
			gen := LoadGenerated(ctx, gh, org, repo, ev.PR.BaseRef)
			add, remove := Plan(ev.PR.Labels, LabelFor(Count(changes, gen), env.PluginConfig().Size))
			for _, l := range remove {
				if err := gh.RemoveLabel(ctx, org, repo, n, l); err != nil {
					return err
				}
			}
			if add == "" {
				return nil
			}
			env.Log.WithField("label", add).Info("Labeling pull request size")
			return gh.AddLabels(ctx, org, repo, n, add)
		},
	}
}
