package trigger

import (
	"context"
	"fmt"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/plugins"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
)

// checkRunRerequested reruns the job a check run reports when someone
// presses its "Re-run" button (check_run rerequested): the presubmit
// whose context is the run's name, on the pull request whose head the
// run is on, as a retest, if the one who asked may run tests there as
// for /retest.
func (t *trigger) checkRunRerequested(ctx context.Context, env plugins.Env, ev plugins.CheckRunEvent) error {
	if ev.Action != "rerequested" {
		return nil
	}
	cr := ev.CheckRun
	return t.rerequested(ctx, env, ev.Repo, ev.Sender, cr.HeadSHA, cr.PullRequests, "re-run "+cr.Name, func(presubmits []config.Presubmit, pr github.PullRequest) ([]Selected, error) {
		for _, ps := range presubmits {
			if ps.Context == cr.Name && ps.CouldRun(pr.BaseRef) {
				return []Selected{{Job: ps, Retest: true}}, nil
			}
		}
		env.Log.WithField("check", cr.Name).Debug("Ignoring the re-run of a check run no presubmit reports")
		return nil, nil
	})
}

// checkSuiteRerequested reruns the failed jobs of a pull request's head,
// and starts those that never ran, as /retest does, when someone presses
// "Re-run all checks" (check_suite rerequested).
func (t *trigger) checkSuiteRerequested(ctx context.Context, env plugins.Env, ev plugins.CheckSuiteEvent) error {
	if ev.Action != "rerequested" {
		return nil
	}
	s := ev.Suite
	r := ev.Repo
	return t.rerequested(ctx, env, r, ev.Sender, s.HeadSHA, s.PullRequests, "re-run all checks", func(presubmits []config.Presubmit, pr github.PullRequest) ([]Selected, error) {
		states, err := t.statuses(ctx, env, r.Org, r.Name, pr.HeadSHA)
		if err != nil {
			return nil, err
		}
		return SelectForComment(Request{Retest: true}, Selection{Presubmits: presubmits, Branch: pr.BaseRef,
			Changes: t.changes(ctx, r.Org, r.Name, pr.Number), Statuses: states})
	})
}

// rerequested runs the jobs selectJobs picks on the open pull request
// whose head is sha, when sender may run tests on it: the trust rules of
// /retest. asked says what was asked, for the refusal.
func (t *trigger) rerequested(ctx context.Context, env plugins.Env, r plugins.Repo, sender, sha string, pulls []int, asked string,
	selectJobs func([]config.Presubmit, github.PullRequest) ([]Selected, error)) error {
	pr, found, err := t.pullWithHead(ctx, r, sha, pulls)
	if err != nil || !found {
		if err == nil {
			env.Log.WithField("sha", sha).Info("Ignoring a re-run: no open pull request has that head")
		}
		return err
	}
	log := env.Log.WithField("pr", pr.Number)
	tc := env.PluginConfig().TriggerFor(r.Org, r.Name)
	trust := Trust{IgnoreOkToTest: tc.IgnoreOkToTest}
	if trust.User, err = TrustedUser(ctx, t.gh, tc, env.BotLogin, sender, r.Org, r.Name); err != nil {
		return err
	}
	trust.PR = trust.User
	if !trust.PR {
		if trust.PR, err = t.trustedPR(ctx, env, r, pr.Author, pr.Labels); err != nil {
			return err
		}
	}
	plan := PlanComment(Request{Retest: true}, trust, pr.Labels)
	if plan.Reply != "" {
		log.WithField("sender", sender).Info("Refusing a re-run")
		body := fmt.Sprintf("@%s: %s\n\n(In response to the request to %s on %s.)", sender, plan.Reply, asked, sha)
		_, err := t.gh.CreateComment(ctx, r.Org, r.Name, pr.Number, body)
		return err
	}
	selected, err := selectJobs(env.Config().PresubmitsFor(r.Org, r.Name), pr)
	if err != nil {
		return err
	}
	return t.start(ctx, env, r, pr, selected)
}

// pullWithHead finds the open pull request whose head is sha: among the
// numbers the event lists, else (GitHub lists none for a pull request
// from a fork) among the pull requests of the presubmits run on sha.
func (t *trigger) pullWithHead(ctx context.Context, r plugins.Repo, sha string, pulls []int) (github.PullRequest, bool, error) {
	if sha == "" {
		return github.PullRequest{}, false, nil
	}
	if len(pulls) == 0 {
		n, err := t.pullOfRuns(ctx, r, sha)
		if err != nil || n == 0 {
			return github.PullRequest{}, false, err
		}
		pulls = []int{n}
	}
	for _, n := range pulls {
		pr, err := t.gh.GetPullRequest(ctx, r.Org, r.Name, n)
		if err != nil {
			return github.PullRequest{}, false, err
		}
		if pr.State == "open" && pr.HeadSHA == sha {
			return pr, true, nil
		}
	}
	return github.PullRequest{}, false, nil
}

// pullOfRuns is the pull request of the latest presubmits of the
// repository run on sha (0 for none among the latest page).
func (t *trigger) pullOfRuns(ctx context.Context, r plugins.Repo, sha string) (int, error) {
	list, err := t.jobs.List(ctx, jobs.Filter{Org: r.Org, Repo: r.Name, Type: prowapi.PresubmitJob}, jobs.Page{})
	if err != nil {
		return 0, fmt.Errorf("find the pull request of %s in %s's jobs: %w", sha, r.FullName(), err)
	}
	for _, pj := range list.Items {
		if refs := pj.Spec.Refs; refs != nil && len(refs.Pulls) == 1 && refs.Pulls[0].SHA == sha {
			return refs.Pulls[0].Number, nil
		}
	}
	return 0, nil
}

// statuses maps each context of the commit sha to its latest state, for
// /retest and /retest-required: the commit statuses and the check runs
// (GitHub Actions' jobs; the bot's own with github_reporter.report_as:
// check-runs, or as an app when it is unset). Where both name a context,
// the kind the bot reports as wins.
func (t *trigger) statuses(ctx context.Context, env plugins.Env, org, repo, sha string) (map[string]string, error) {
	list, err := t.gh.ListStatuses(ctx, org, repo, sha)
	if err != nil {
		return nil, err
	}
	runs, err := t.gh.ListCheckRuns(ctx, org, repo, sha)
	if err != nil {
		return nil, err
	}
	if cfg := env.Config(); cfg != nil && cfg.GitHubReporter.ReportAs == config.ReportAsCheckRuns {
		return contextStates(nil, runs, list), nil
	}
	return contextStates(list, runs, nil), nil
}
