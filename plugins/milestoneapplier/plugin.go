package milestoneapplier

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	ListMilestones(ctx context.Context, org, repo string) ([]github.Milestone, error)
	SetMilestone(ctx context.Context, org, repo string, number, milestone int) error
}

var _ Client = (*github.Client)(nil)

type handler struct{ gh Client }

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handler{gh: gh}
	return plugins.Plugin{
		Name: Name,
		Description: "Puts each merged pull request in the milestone milestone_applier configures for its base branch. " +
			"On the default branch a milestone the pull request already has is kept.",
		ConfigHelp:  configHelp,
		PullRequest: h.pullRequest,
	}
}

func configHelp(cfg *pluginconfig.Configuration, _ []string) map[string]string {
	out := map[string]string{}
	for repo, branches := range cfg.MilestoneApplier {
		var lines []string
		for b, m := range branches {
			lines = append(lines, fmt.Sprintf("merges into %s go to milestone %s", b, m))
		}
		sort.Strings(lines)
		out[repo] = "In " + repo + ", " + strings.Join(lines, "; ") + "."
	}
	return out
}

func (h handler) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	if ev.Action != "closed" || !ev.PR.Merged {
		return nil
	}
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.PR.Number
	want, ok := Configured(env.PluginConfig(), org, repo, ev.PR.BaseRef)
	if !ok {
		return nil
	}
	// The event does not carry the milestone; the pull request does.
	pr, err := h.gh.GetPullRequest(ctx, org, repo, n)
	if err != nil {
		return err
	}
	if !Wants(want, pr.Milestone, ev.PR.BaseRef == ev.Repo.DefaultBranch) {
		return nil
	}
	ms, err := h.gh.ListMilestones(ctx, org, repo)
	if err != nil {
		return err
	}
	number, ok := Find(ms, want)
	if !ok {
		env.Log.WithField("milestone", want).Warn("Configured milestone is not an open milestone of the repository")
		return nil
	}
	env.Log.WithField("milestone", want).Info("Applying milestone to merged pull request")
	return h.gh.SetMilestone(ctx, org, repo, n, number)
}
