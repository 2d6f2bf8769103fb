// Package skip is the skip plugin: `/skip` on a pull request marks the
// failed statuses of optional presubmits as skipped (success, "Skipped"),
// so they stop showing red; required ones are left alone.
package skip

import (
	"context"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "skip"

// Client is what the plugin needs of GitHub.
type Client interface {
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	ListStatuses(ctx context.Context, org, repo, ref string) ([]github.Status, error)
	CreateStatus(ctx context.Context, org, repo, sha string, s github.Status) error
}

// ToSkip lists the failed statuses whose contexts belong to optional
// presubmits.
func ToSkip(statuses []github.Status, optional map[string]bool) []github.Status {
	var out []github.Status
	for _, s := range statuses {
		if (s.State == "failure" || s.State == "error") && optional[s.Context] {
			out = append(out, github.Status{Context: s.Context, State: "success", Description: "Skipped", TargetURL: s.TargetURL})
		}
	}
	return out
}

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	handle := func(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, _ []plugins.Invocation) error {
		if !ev.IsPR {
			return nil
		}
		org, repo := ev.Repo.Org, ev.Repo.Name
		pr, err := gh.GetPullRequest(ctx, org, repo, ev.Number)
		if err != nil {
			return err
		}
		optional := map[string]bool{}
		for _, ps := range env.Config().PresubmitsFor(org, repo) {
			if ps.CouldRun(pr.BaseRef) && !ps.ContextRequired() {
				optional[ps.Context] = true
			}
		}
		statuses, err := gh.ListStatuses(ctx, org, repo, pr.HeadSHA)
		if err != nil {
			return err
		}
		for _, s := range ToSkip(statuses, optional) {
			env.Log.WithField("context", s.Context).Info("Skipping failed optional job")
			if err := gh.CreateStatus(ctx, org, repo, pr.HeadSHA, s); err != nil {
				return err
			}
		}
		return nil
	}
	return plugins.Plugin{
		Name:        Name,
		Description: "Marks the failed statuses of optional presubmits as skipped.",
		Commands: []plugins.Command{{Name: "skip", Usage: "/skip", WhoCanUse: "Anyone",
			Description: "Sets failed optional jobs' statuses to success, described as Skipped.",
			Examples:    []string{"/skip"}, Handle: handle}},
	}
}
