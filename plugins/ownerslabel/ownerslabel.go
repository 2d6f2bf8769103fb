// Package ownerslabel is the owners-label plugin: when a pull request
// opens or changes, it adds the labels that the OWNERS files of the
// changed files list (`labels:`), when the repository has them.
package ownerslabel

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
	"github.com/prowbot/prow/prow/owners"
)

// Name is the plugin's name in plugins.yaml.
const Name = "owners-label"

// Client is what the plugin needs of GitHub.
type Client interface {
	GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]github.PullRequestChange, error)
	GetRepoLabels(ctx context.Context, org, repo string) ([]github.Label, error)
	AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error
}

// OwnersLoader gives the OWNERS of a repository at a base SHA.
type OwnersLoader interface {
	Load(ctx context.Context, org, repo, sha string) (*owners.RepoOwners, error)
}

// Missing lists the OWNERS labels of the changed files that the pull
// request lacks and the repository has, sorted.
func Missing(ro *owners.RepoOwners, files []string, have []string, exist labels.Set) []string {
	present := labels.NewSet(have)
	want := map[string]bool{}
	for _, f := range files {
		for _, l := range ro.Labels(f) {
			if exist.Has(l) && !present.Has(l) {
				want[l] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(want))
}

var actions = map[string]bool{"opened": true, "reopened": true, "synchronize": true}

// New builds the plugin.
func New(gh Client, loader OwnersLoader) plugins.Plugin {
	return plugins.Plugin{
		Name:        Name,
		Description: "Adds the labels that the OWNERS files of the changed files list.",
		PullRequest: func(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
			if !actions[ev.Action] {
				return nil
			}
			org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.PR.Number
			changes, err := gh.GetPullRequestChanges(ctx, org, repo, n)
			if err != nil {
				return err
			}
			ro, err := loader.Load(ctx, org, repo, ev.PR.BaseSHA)
			if err != nil {
				return err
			}
			exist, err := plugins.RepoLabels(ctx, gh, org, repo)
			if err != nil {
				return err
			}
			files := make([]string, 0, len(changes))
			for _, c := range changes {
				files = append(files, c.Filename)
			}
			missing := Missing(ro, files, ev.PR.Labels, exist)
			if len(missing) == 0 {
				return nil
			}
			env.Log.WithField("labels", strings.Join(missing, ",")).Info("Adding OWNERS labels")
			return gh.AddLabels(ctx, org, repo, n, missing...)
		},
	}
}
