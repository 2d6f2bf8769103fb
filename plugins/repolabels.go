package plugins

import (
	"context"

	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
)

// RepoLabelLister lists the labels a repository has.
type RepoLabelLister interface {
	GetRepoLabels(ctx context.Context, org, repo string) ([]github.Label, error)
}

// RepoLabels is the set of the labels org/repo has.
func RepoLabels(ctx context.Context, gh RepoLabelLister, org, repo string) (labels.Set, error) {
	list, err := gh.GetRepoLabels(ctx, org, repo)
	if err != nil {
		return nil, err
	}
	set := make(labels.Set, len(list))
	for _, l := range list {
		set[labels.Key(l.Name)] = true
	}
	return set, nil
}

// LabelEditor adds and removes the labels of an issue or pull request.
type LabelEditor interface {
	AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error
	RemoveLabel(ctx context.Context, org, repo string, number int, label string) error
}

// Relabel removes the labels remove names from issue or PR number of
// org/repo, then adds those add names in one call (none when add is
// empty).
func Relabel(ctx context.Context, gh LabelEditor, org, repo string, number int, add, remove []string) error {
	for _, l := range remove {
		if err := gh.RemoveLabel(ctx, org, repo, number, l); err != nil {
			return err
		}
	}
	if len(add) == 0 {
		return nil
	}
	return gh.AddLabels(ctx, org, repo, number, add...)
}
