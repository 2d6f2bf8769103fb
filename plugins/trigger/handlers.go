package trigger

import (
	"context"
	"errors"
	"strings"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/plugins"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
)

const zeroSHA = "0000000000000000000000000000000000000000"

// trustedPR says whether a pull request may be tested: its author is
// trusted or someone trusted said /ok-to-test.
func (t *trigger) trustedPR(ctx context.Context, env plugins.Env, r plugins.Repo, author string, have []string) (bool, error) {
	return TrustedPullRequest(ctx, t.gh, env.PluginConfig().TriggerFor(r.Org, r.Name), env.BotLogin, author, r.Org, r.Name, have)
}

// TrustedPullRequest says whether a pull request by author with labels
// may be tested in org/repo: it carries ok-to-test or its author is
// trusted (TrustedUser). Other components that start presubmits (the
// status reconciler) ask it too.
func TrustedPullRequest(ctx context.Context, gh TrustClient, cfg pluginconfig.Trigger, bot, author, org, repo string, have []string) (bool, error) {
	if labels.Has(have, OkToTest) {
		return true, nil
	}
	return TrustedUser(ctx, gh, cfg, bot, author, org, repo)
}

// runAll starts every job that runs by itself for the pull request.
func (t *trigger) runAll(ctx context.Context, env plugins.Env, r plugins.Repo, pr github.PullRequest) error {
	presubmits, ok, err := t.presubmits(ctx, env, r, pr)
	if err != nil || !ok {
		return err
	}
	selected, err := SelectForComment(Request{TestAll: true}, Selection{
		Presubmits: presubmits,
		Branch:     pr.BaseRef,
		Changes:    t.changes(ctx, r.Org, r.Name, pr.Number),
	})
	if err != nil {
		return err
	}
	return t.start(ctx, env, r, pr, selected)
}

func (t *trigger) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	r, pr := ev.Repo, ev.PR
	switch ev.Action {
	case "opened":
		return t.opened(ctx, env, r, pr)
	case "reopened", "ready_for_review", "synchronize":
		return t.updated(ctx, env, r, pr, ev.Action == "synchronize")
	case "edited":
		if ev.BaseChanged {
			return t.updated(ctx, env, r, pr, true)
		}
	case "closed", "converted_to_draft":
		return t.abort(ctx, env, r, pr.Number)
	case "labeled":
		return t.labeled(ctx, env, ev, pr)
	}
	return nil
}

// opened runs a trusted author's new pull request, or asks for
// /ok-to-test.
func (t *trigger) opened(ctx context.Context, env plugins.Env, r plugins.Repo, pr github.PullRequest) error {
	org, repo, n := r.Org, r.Name, pr.Number
	tc := env.PluginConfig().TriggerFor(org, repo)
	trusted, err := TrustedUser(ctx, t.gh, tc, env.BotLogin, pr.Author, org, repo)
	if err != nil {
		return err
	}
	if !trusted {
		if tc.IgnoreOkToTest {
			env.Log.Info("Not testing: the author is not trusted and ok-to-test is ignored")
			_, err := t.gh.CreateComment(ctx, org, repo, n, WelcomeIgnoringOkToTest(pr.Author))
			return err
		}
		env.Log.Info("Asking for /ok-to-test: the author is not trusted")
		if !labels.Has(pr.Labels, NeedsOkToTest) && !labels.Has(pr.Labels, OkToTest) {
			if err := t.gh.AddLabels(ctx, org, repo, n, NeedsOkToTest); err != nil {
				return err
			}
		}
		_, err := t.gh.CreateComment(ctx, org, repo, n, WelcomeUntrusted(pr.Author, org, tc.JoinOrgURL))
		return err
	}
	if pr.Draft {
		_, err := t.gh.CreateComment(ctx, org, repo, n, DraftSkipped)
		return err
	}
	return t.runAll(ctx, env, r, pr)
}

// updated reruns a trusted pull request that was reopened, marked ready,
// pushed to or moved to another base; stale runs are aborted first.
func (t *trigger) updated(ctx context.Context, env plugins.Env, r plugins.Repo, pr github.PullRequest, abortStale bool) error {
	if abortStale {
		if err := t.abort(ctx, env, r, pr.Number); err != nil {
			return err
		}
	}
	if pr.Draft {
		return nil
	}
	trusted, err := t.trustedPR(ctx, env, r, pr.Author, pr.Labels)
	if err != nil || !trusted {
		return err
	}
	if labels.Has(pr.Labels, NeedsOkToTest) {
		if err := t.gh.RemoveLabel(ctx, r.Org, r.Name, pr.Number, NeedsOkToTest); err != nil {
			return err
		}
	}
	return t.runAll(ctx, env, r, pr)
}

// labeled starts the jobs when a person adds ok-to-test, or lgtm (by
// anyone, the bot included) to a pull request that was not trusted yet.
func (t *trigger) labeled(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent, pr github.PullRequest) error {
	if pr.State != "open" || pr.Draft {
		return nil
	}
	r := ev.Repo
	prTrusted := true
	if labels.Equal(ev.Label, LGTMLabel) {
		var err error
		if prTrusted, err = t.trustedPR(ctx, env, r, pr.Author, pr.Labels); err != nil {
			return err
		}
	}
	if !StartsOnLabel(ev.Label, strings.EqualFold(ev.Sender, env.BotLogin), prTrusted) {
		return nil
	}
	if labels.Equal(ev.Label, OkToTest) && labels.Has(pr.Labels, NeedsOkToTest) {
		if err := t.gh.RemoveLabel(ctx, r.Org, r.Name, pr.Number, NeedsOkToTest); err != nil {
			return err
		}
	}
	var approved error
	if labels.Equal(ev.Label, OkToTest) && env.PluginConfig().TriggerFor(r.Org, r.Name).TriggerGitHubWorkflows {
		approved = t.actOnWorkflows(ctx, env, r, pr.HeadSHA, true, false)
	}
	env.Log.WithField("label", ev.Label).Info("Starting the automatic jobs for a label")
	return errors.Join(t.runAll(ctx, env, r, pr), approved)
}

func (t *trigger) push(ctx context.Context, env plugins.Env, ev plugins.PushEvent) error {
	if ev.Deleted || ev.After == "" || ev.After == zeroSHA {
		return nil
	}
	r := ev.Repo
	branch := ev.Branch()
	files := ev.ChangedFiles()
	cfg := env.Config()
	all, err := t.inrepo.Jobs(ctx, cfg, r.Org, r.Name, ev.After)
	var bad *config.InRepoError
	if errors.As(err, &bad) {
		// A push cannot be refused: run the central jobs and say why the
		// in-repo ones are left out.
		env.Log.WithError(err).Warn("Running the central postsubmits only: the in-repo configuration is invalid")
		all.Postsubmits, err = cfg.PostsubmitsFor(r.Org, r.Name), nil
	}
	if err != nil {
		return err
	}
	posts, err := config.PostsubmitsToRun(all.Postsubmits, branch, func() ([]string, error) { return files, nil })
	if err != nil || len(posts) == 0 {
		return err
	}
	link := r.HTMLURL
	if link == "" {
		link = "https://github.com/" + r.FullName()
	}
	refs := prowapi.Refs{Org: r.Org, Repo: r.Name, RepoLink: link, BaseRef: branch, BaseSHA: ev.After, BaseLink: ev.Compare}
	b := jobs.Builder{Namespace: env.Config().ProwJobNamespace}
	for _, ps := range posts {
		if _, err := jobs.CreateOnce(ctx, t.jobs, b.Postsubmit(ps, refs, nil)); err != nil {
			return err
		}
		env.Log.WithField("job", ps.Name).Info("Started postsubmit")
	}
	return nil
}

// comment handles the trigger commands of a comment on a pull request.
func (t *trigger) comment(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent) error {
	if !ev.IsPR || ev.Action != plugins.CommentCreated || ev.IssueState != "open" {
		return nil
	}
	r := ev.Repo
	req := ParseRequest(ev.Body).MatchTriggers(env.Config().PresubmitsFor(r.Org, r.Name))
	if !req.Asks() {
		return nil
	}
	tc := env.PluginConfig().TriggerFor(r.Org, r.Name)
	trust := Trust{IgnoreOkToTest: tc.IgnoreOkToTest, GitHubWorkflows: tc.TriggerGitHubWorkflows}
	var err error
	if trust.User, err = TrustedUser(ctx, t.gh, tc, env.BotLogin, ev.User, r.Org, r.Name); err != nil {
		return err
	}
	trust.PR = trust.User
	if !trust.PR {
		if trust.PR, err = t.trustedPR(ctx, env, r, ev.IssueAuthor, ev.Labels); err != nil {
			return err
		}
	}
	plan := PlanComment(req, trust, ev.Labels)
	if plan.Reply != "" {
		env.Log.Info("Refusing a trigger command")
		_, err := t.gh.CreateComment(ctx, r.Org, r.Name, ev.Number, plugins.FormatCommentResponse(ev, plan.Reply))
		return err
	}
	if err := t.applyLabels(ctx, ev, plan); err != nil {
		return err
	}
	if !plan.Run && !plan.ApproveWorkflows && !plan.RerunWorkflows {
		return nil
	}
	pr, err := t.gh.GetPullRequest(ctx, r.Org, r.Name, ev.Number)
	if err != nil {
		return err
	}
	var ran error
	if plan.Run {
		ran = t.runRequested(ctx, env, ev, plan.Request, pr)
	}
	return errors.Join(ran, t.actOnWorkflows(ctx, env, r, pr.HeadSHA, plan.ApproveWorkflows, plan.RerunWorkflows))
}

// applyLabels makes a comment plan's label changes.
func (t *trigger) applyLabels(ctx context.Context, ev plugins.GenericCommentEvent, plan CommentPlan) error {
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	if len(plan.AddLabels) > 0 {
		if err := t.gh.AddLabels(ctx, org, repo, n, plan.AddLabels...); err != nil {
			return err
		}
	}
	for _, l := range plan.RemoveLabels {
		if err := t.gh.RemoveLabel(ctx, org, repo, n, l); err != nil {
			return err
		}
	}
	return nil
}

// runRequested starts the jobs a comment asks for, or answers with the
// job list.
func (t *trigger) runRequested(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, req Request, pr github.PullRequest) error {
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	presubmits, ok, err := t.presubmits(ctx, env, ev.Repo, pr)
	if err != nil || !ok {
		return err
	}
	if err := plugins.DeleteBotComments(ctx, t.gh, env, ev.Repo, n, isJobList); err != nil {
		return err
	}
	if !req.RunsJobs() {
		return t.help(ctx, ev, presubmits, pr.BaseRef, req.Note)
	}
	sel := Selection{Presubmits: presubmits, Branch: pr.BaseRef, Changes: t.changes(ctx, org, repo, n)}
	if req.Retest || req.RetestRequired {
		if sel.Statuses, err = t.statuses(ctx, env, org, repo, pr.HeadSHA); err != nil {
			return err
		}
	}
	selected, err := SelectForComment(req, sel)
	if err != nil {
		return err
	}
	if len(selected) == 0 && req.Test {
		note := NoteTargetsNotFound
		if req.TestAll {
			note = NoteNoJobsForTestAll
		}
		return t.help(ctx, ev, presubmits, pr.BaseRef, note)
	}
	return t.start(ctx, env, ev.Repo, pr, selected)
}

func (t *trigger) help(ctx context.Context, ev plugins.GenericCommentEvent, presubmits []config.Presubmit, branch, note string) error {
	_, err := t.gh.CreateComment(ctx, ev.Repo.Org, ev.Repo.Name, ev.Number, plugins.FormatCommentResponse(ev, JobHelp(presubmits, branch, note)))
	return err
}

// isJobList says whether a comment body is a job list (the bot's answer
// to a request that runs no job, deleted at the next request).
func isJobList(body string) bool { return strings.Contains(body, helpMarker) }
