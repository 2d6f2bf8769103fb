package branchcleaner

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
	ListOpenPullRequests(ctx context.Context, org, repo, branch string) ([]github.PullRequest, error)
	DeleteRef(ctx context.Context, org, repo, ref string) error
}

var _ Client = (*github.Client)(nil)

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handler{gh: gh}
	return plugins.Plugin{
		Name: Name,
		Description: "Deletes the branch of a merged pull request when the branch lives in the repository itself (not in a fork), " +
			"except the default branch, the branches branch_cleaner.preserved_branches lists, and branches open pull requests target.",
		ConfigHelp:  configHelp,
		PullRequest: h.pullRequest,
	}
}

func configHelp(cfg *pluginconfig.Configuration, orgRepos []string) map[string]string {
	return plugins.RepoHelp(orgRepos, func(org, repo string) string {
		keep := append([]string(nil), cfg.BranchCleaner.PreservedBranches[org]...)
		if repo != "" {
			keep = append(keep, cfg.BranchCleaner.PreservedBranches[org+"/"+repo]...)
		}
		if len(keep) == 0 {
			return ""
		}
		sort.Strings(keep)
		return "These branches are never deleted (branch_cleaner.preserved_branches): " + strings.Join(keep, ", ") + "."
	})
}

type handler struct{ gh Client }

func (h handler) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	var cfg pluginconfig.BranchCleaner
	if env.PluginConfig != nil {
		if c := env.PluginConfig(); c != nil {
			cfg = c.BranchCleaner
		}
	}
	r := ev.Repo
	in := Input{Action: ev.Action, Merged: ev.PR.Merged, Org: r.Org, Repo: r.Name, BaseRepo: ev.PR.BaseRepo, HeadRepo: ev.PR.HeadRepo,
		Branch: ev.PR.HeadRef, DefaultBranch: r.DefaultBranch}
	v := Decide(in, cfg)
	log := env.Log.WithField("branch", in.Branch)
	if v != Delete {
		if v != NotMerged {
			log.WithField("reason", v.String()).Debug("Keeping the merged pull request's branch")
		}
		return nil
	}
	open, err := h.gh.ListOpenPullRequests(ctx, r.Org, r.Name, in.Branch)
	if err != nil {
		return err
	}
	if len(open) > 0 {
		log.WithField("open_pulls", len(open)).Info("Keeping the merged pull request's branch: open pull requests target it")
		return nil
	}
	log.Info("Deleting the merged pull request's branch")
	if err := h.gh.DeleteRef(ctx, r.Org, r.Name, "heads/"+in.Branch); err != nil {
		return fmt.Errorf("clean up after %s#%d: %w", r.FullName(), ev.PR.Number, err)
	}
	return nil
}
