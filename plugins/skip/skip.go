// Package skip is the skip plugin: `/skip` on a pull request marks the
// failed statuses of optional presubmits as skipped (success, "Skipped"),
// so they stop showing red; required ones are left alone. An optional job
// reported as a check run gets a new check run of the same name,
// concluded skipped.
package skip

import (
	"context"
	"errors"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/inrepo"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "skip"

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.ContextClient
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	GetRef(ctx context.Context, org, repo, ref string) (string, error)
}

// JobConfig answers for a repository's jobs at a base with heads merged on
// top, in-repo ones included (config/inrepo's Getter; a nil *inrepo.Getter
// answers with the central jobs).
type JobConfig interface {
	Jobs(ctx context.Context, cfg *config.Config, org, repo, baseSHA string, heads ...string) (config.InRepoJobs, error)
	Enabled(cfg *config.Config, org, repo string) bool
}

// presubmits are the pull request's presubmits: with in-repo
// configuration, those of its base with its head merged. A broken in-repo
// configuration leaves the central ones.
func presubmits(ctx context.Context, gh Client, jc JobConfig, cfg *config.Config, org, repo string, pr github.PullRequest) ([]config.Presubmit, error) {
	if !jc.Enabled(cfg, org, repo) {
		return cfg.PresubmitsFor(org, repo), nil
	}
	base, err := gh.GetRef(ctx, org, repo, "heads/"+pr.BaseRef)
	if err != nil {
		return nil, err
	}
	jobs, err := jc.Jobs(ctx, cfg, org, repo, base, pr.HeadSHA)
	var bad *config.InRepoError
	if errors.As(err, &bad) {
		return cfg.PresubmitsFor(org, repo), nil
	}
	return jobs.Presubmits, err
}

// ToSkip gives what skips the failed contexts of optional presubmits on
// the head sha: a successful status for a failed status, a check run
// concluded skipped for a failed check run no status shares a name with.
// statuses and checks are newest first, as GitHub lists them: only a
// context's newest counts.
func ToSkip(statuses []github.Status, checks []github.CheckRun, optional map[string]bool, sha string) ([]github.Status, []github.CheckRun) {
	var out []github.Status
	seen := map[string]bool{}
	for _, s := range statuses {
		if seen[s.Context] {
			continue
		}
		seen[s.Context] = true
		if (s.State == "failure" || s.State == "error") && optional[s.Context] {
			out = append(out, github.Status{Context: s.Context, State: "success", Description: "Skipped", TargetURL: s.TargetURL})
		}
	}
	var runs []github.CheckRun
	for _, c := range checks {
		if seen[c.Name] {
			continue
		}
		seen[c.Name] = true
		if optional[c.Name] && github.CheckRunState(c.Status, c.Conclusion) == "failure" {
			runs = append(runs, github.CheckRun{Name: c.Name, HeadSHA: sha, Status: "completed", Conclusion: "skipped",
				DetailsURL: c.DetailsURL, Title: "Skipped", Summary: "An optional job, skipped with /skip."})
		}
	}
	return out, runs
}

// New builds the plugin; jc gives the in-repo jobs too (nil: the central
// configuration only).
func New(gh Client, jc JobConfig) plugins.Plugin {
	if jc == nil {
		jc = (*inrepo.Getter)(nil)
	}
	handle := func(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, pr github.PullRequest) error {
		org, repo := ev.Repo.Org, ev.Repo.Name
		all, err := presubmits(ctx, gh, jc, env.Config(), org, repo, pr)
		if err != nil {
			return err
		}
		optional := map[string]bool{}
		for _, ps := range all {
			if ps.CouldRun(pr.BaseRef) && !ps.ContextRequired() {
				optional[ps.Context] = true
			}
		}
		return plugins.ContextRewrite{
			Plan: func(statuses []github.Status, checks []github.CheckRun) ([]github.Status, []github.CheckRun) {
				return ToSkip(statuses, checks, optional, pr.HeadSHA)
			},
			StatusLog: "Skipping failed optional job", RunLog: "Skipping failed optional job's check run",
		}.Apply(ctx, env, gh, ev.Repo, pr.HeadSHA)
	}
	return plugins.Plugin{
		Name:        Name,
		Description: "Marks the failed statuses of optional presubmits as skipped.",
		Commands: []plugins.Command{{Name: "skip", Usage: "/skip", WhoCanUse: "Anyone",
			Description: "Sets failed optional jobs' statuses to success, described as Skipped.",
			Examples:    []string{"/skip"}, Handle: plugins.OnPullRequest(gh, handle)}},
	}
}
