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
