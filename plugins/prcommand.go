package plugins

import (
	"context"

	"github.com/prowbot/prow/prow/github"
)

// PullRequestGetter reads a pull request.
type PullRequestGetter interface {
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
}

// OnPullRequest makes the Handle of a command that acts on a pull request
// as GitHub has it now: on an issue the command does nothing; on a pull
// request handle gets the pull request, read afresh (a comment event
// carries little of it).
func OnPullRequest(gh PullRequestGetter, handle func(ctx context.Context, env Env, ev GenericCommentEvent, pr github.PullRequest) error) func(context.Context, Env, GenericCommentEvent, []Invocation) error {
	return func(ctx context.Context, env Env, ev GenericCommentEvent, _ []Invocation) error {
		if !ev.IsPR {
			return nil
		}
		pr, err := gh.GetPullRequest(ctx, ev.Repo.Org, ev.Repo.Name, ev.Number)
		if err != nil {
			return err
		}
		return handle(ctx, env, ev, pr)
	}
}
