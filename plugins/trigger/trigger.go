package trigger

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/inrepo"
	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/plugins"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "trigger"

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.NoticeClient
	TrustClient
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]github.PullRequestChange, error)
	GetRef(ctx context.Context, org, repo, ref string) (string, error)
	ListStatuses(ctx context.Context, org, repo, ref string) ([]github.Status, error)
	ListCheckRuns(ctx context.Context, org, repo, ref string) ([]github.CheckRun, error)
	WorkflowClient
	CreateStatus(ctx context.Context, org, repo, sha string, s github.Status) error
}

// Jobs is what the plugin needs of the job store: create runs, and list
// and update them to abort a pull request's runs.
type Jobs interface {
	jobs.Creator
	jobs.ListUpdater
}

// trigger holds the plugin's dependencies.
type trigger struct {
	gh     Client
	jobs   Jobs
	inrepo JobConfig
}

// New builds the plugin. jc answers for a pull request's or a push's jobs,
// in-repo ones included; nil means the central configuration only.
func New(gh Client, store Jobs, jc JobConfig) plugins.Plugin {
	if jc == nil {
		jc = (*inrepo.Getter)(nil)
	}
	t := &trigger{gh: gh, jobs: store, inrepo: jc}
	return plugins.Plugin{
		Name:        Name,
		Description: "Starts presubmits on pull requests from trusted authors and on request (a command, or \"Re-run\" on a check run), postsubmits on pushes, and aborts runs a new push makes stale.",
		ConfigHelp:  configHelp,
		Commands: []plugins.Command{
			{Name: "ok-to-test", Args: regexp.MustCompile(`^(cancel)?$`), Usage: "/ok-to-test [cancel]",
				Description: "Marks a pull request from an untrusted author safe to test and starts its jobs; cancel withdraws it.",
				WhoCanUse:   "Members of the trusted organization for the repo.", Featured: true, Examples: []string{"/ok-to-test"}},
			{Name: "test", Args: regexp.MustCompile(`.*`), Usage: "/test (<job name>|all|?)",
				Description: "Runs the named jobs, every job that runs by itself (all), or lists the jobs (?).",
				WhoCanUse:   "Anyone on a trusted pull request.", Featured: true, Examples: []string{"/test all", "/test pull-unit"}},
			{Name: "retest", Usage: "/retest", Description: "Reruns the failed jobs and starts jobs that have not run yet.",
				WhoCanUse: "Anyone on a trusted pull request.", Featured: true, Examples: []string{"/retest"}},
			{Name: "retest-required", Usage: "/retest-required", Description: "Like /retest, for required jobs only.",
				WhoCanUse: "Anyone on a trusted pull request.", Examples: []string{"/retest-required"}},
			{Name: "test-manual-required", Usage: "/test-manual-required", Description: "Runs the required jobs that only run when asked for.",
				WhoCanUse: "Anyone on a trusted pull request.", Examples: []string{"/test-manual-required"}},
		},
		PullRequest:    t.pullRequest,
		GenericComment: t.comment,
		Push:           t.push,
		CheckRun:       t.checkRunRerequested,
		CheckSuite:     t.checkSuiteRerequested,
	}
}

func configHelp(cfg *pluginconfig.Configuration, orgRepos []string) map[string]string {
	return plugins.RepoHelp(orgRepos, func(org, repo string) string {
		tc := cfg.TriggerFor(org, repo)
		who := "members of " + org + " and collaborators of the repo"
		if tc.OnlyOrgMembers {
			who = "members of " + org
		}
		if tc.TrustedOrg != "" {
			who += " and members of " + tc.TrustedOrg
		}
		help := "Jobs start by themselves for pull requests by " + who + "."
		if tc.IgnoreOkToTest {
			help += " /ok-to-test is ignored: only trusted users start jobs on other pull requests."
		}
		if tc.TriggerGitHubWorkflows {
			help += " GitHub Actions workflow runs follow: /ok-to-test approves those waiting for approval, /retest reruns the failed ones."
		}
		return help
	})
}

// prRefs builds the refs a pull request's jobs check out.
func (t *trigger) prRefs(ctx context.Context, r plugins.Repo, pr github.PullRequest) (prowapi.Refs, error) {
	return PullRefs(ctx, t.gh, r.Org, r.Name, r.HTMLURL, pr)
}

// RefGetter reads a branch's head.
type RefGetter interface {
	GetRef(ctx context.Context, org, repo, ref string) (string, error)
}

// PullRefs builds the refs a pull request's jobs check out: the base
// branch at its current head, and the pull request's head. repoLink is
// the repository's web address (github.com's when empty).
func PullRefs(ctx context.Context, gh RefGetter, org, repo, repoLink string, pr github.PullRequest) (prowapi.Refs, error) {
	baseSHA, err := gh.GetRef(ctx, org, repo, "heads/"+pr.BaseRef)
	if err != nil {
		return prowapi.Refs{}, err
	}
	link := repoLink
	if link == "" {
		link = "https://github.com/" + org + "/" + repo
	}
	return prowapi.Refs{
		Org: org, Repo: repo, RepoLink: link,
		BaseRef: pr.BaseRef, BaseSHA: baseSHA, BaseLink: link + "/commit/" + baseSHA,
		Pulls: []prowapi.Pull{{
			Number: pr.Number, Author: pr.Author, SHA: pr.HeadSHA, Title: pr.Title,
			Ref: fmt.Sprintf("pull/%d/head", pr.Number), HeadRef: pr.HeadRef,
			Link: pr.HTMLURL, CommitLink: fmt.Sprintf("%s/pull/%d/commits/%s", link, pr.Number, pr.HeadSHA),
			AuthorLink: "https://github.com/" + pr.Author,
		}},
	}, nil
}

// changes reads a pull request's changed files when a job filter asks.
func (t *trigger) changes(ctx context.Context, org, repo string, number int) config.ChangedFiles {
	return ChangedFiles(ctx, t.gh, org, repo, number)
}

// ChangesClient lists a pull request's changed files.
type ChangesClient interface {
	GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]github.PullRequestChange, error)
}

// ChangedFiles reads a pull request's changed files (old names of moved
// files included) when a job filter asks.
func ChangedFiles(ctx context.Context, gh ChangesClient, org, repo string, number int) config.ChangedFiles {
	return func() ([]string, error) {
		files, err := gh.GetPullRequestChanges(ctx, org, repo, number)
		if err != nil {
			return nil, err
		}
		return github.ChangedFileNames(files), nil
	}
}

// start creates a run of each selected presubmit.
func (t *trigger) start(ctx context.Context, env plugins.Env, r plugins.Repo, pr github.PullRequest, selected []Selected) error {
	if len(selected) == 0 {
		return nil
	}
	if pr.Mergeable != nil && !*pr.Mergeable {
		env.Log.Info("Not starting jobs: GitHub reports the pull request cannot be merged")
		return nil
	}
	refs, err := t.prRefs(ctx, r, pr)
	if err != nil {
		return err
	}
	b := jobs.Builder{Namespace: env.Config().ProwJobNamespace}
	var errs []error
	for _, s := range selected {
		var labels map[string]string
		if s.Retest {
			labels = map[string]string{prowapi.RetestLabel: "true"}
		}
		created, err := jobs.CreateOnce(ctx, t.jobs, b.Presubmit(s.Job, refs, labels))
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("start %s for %s#%d: %w", s.Job.Name, r.FullName(), pr.Number, err))
		case created:
			env.Log.WithField("job", s.Job.Name).Info("Started job")
		default:
			env.Log.WithField("job", s.Job.Name).Info("Job was started before the restart")
		}
	}
	return errors.Join(errs...)
}

// abort aborts a pull request's incomplete presubmit runs.
func (t *trigger) abort(ctx context.Context, env plugins.Env, r plugins.Repo, number int) error {
	n, err := jobs.Abort(ctx, t.jobs, jobs.Filter{Org: r.Org, Repo: r.Name, Pull: number, Type: prowapi.PresubmitJob}, jobs.AbortedByTrigger)
	if n > 0 {
		env.Log.WithField("count", n).Info("Aborted stale runs")
	}
	return err
}
