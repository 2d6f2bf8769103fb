package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
)

// GitHubReporterName is the GitHub reporter's key in prev_report_states
// (the controller marks superseded runs under it).
const GitHubReporterName = "github-reporter"

// GitHubClient is what the GitHub reporter does on GitHub.
type GitHubClient interface {
	BotUser(ctx context.Context) (string, error)
	CreateStatus(ctx context.Context, org, repo, sha string, s github.Status) error
	ListIssueComments(ctx context.Context, org, repo string, number int) ([]github.IssueComment, error)
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
	EditComment(ctx context.Context, org, repo string, id int64, body string) error
	DeleteComment(ctx context.Context, org, repo string, id int64) error
}

// GitHub reports jobs to GitHub as Prow does: a commit status per job
// (or, with github_reporter.report_as: check-runs, a check run), and for
// presubmits one comment per pull request listing the failed tests.
type GitHub struct {
	gh GitHubClient
	// jobs, when set, tells whether all the tests of a pull request
	// passed, for summary_comment_repos.
	jobs    jobs.Lister
	prLocks keyedMutex
	// checks writes check runs (nil: the client cannot).
	checks CheckRunClient
	// buckets opens the artifacts the check runs' JUnit failures are
	// read from (nil: none are read).
	buckets Buckets
	// app: the bot authenticates as a GitHub App, so report_as defaults
	// to check runs.
	app  bool
	runs checkRunCache
}

var _ Reporter = (*GitHub)(nil)

// GitHubOptions configure a GitHub reporter.
type GitHubOptions struct {
	Client GitHubClient
	// Jobs may be nil; with it, the summary comment of
	// summary_comment_repos waits until the latest run of every reported
	// presubmit of the pull request's head passed.
	Jobs jobs.Lister
	// Checks writes check runs; Client when nil and it can.
	Checks CheckRunClient
	// Buckets opens the jobs' artifacts, whose JUnit reports a check
	// run's output lists; nil reads none.
	Buckets Buckets
	// App says the bot authenticates as a GitHub App: unless
	// github_reporter.report_as says otherwise, jobs are reported as
	// check runs.
	App bool
}

// NewGitHub returns a GitHub reporter. lister may be nil; with it, the
// summary comment of summary_comment_repos waits until the latest run of
// every reported presubmit of the pull request's head passed.
func NewGitHub(gh GitHubClient, lister jobs.Lister) *GitHub {
	return NewGitHubWith(GitHubOptions{Client: gh, Jobs: lister})
}

// NewGitHubWith returns a GitHub reporter configured by o.
func NewGitHubWith(o GitHubOptions) *GitHub {
	g := &GitHub{gh: o.Client, jobs: o.Jobs, checks: o.Checks, buckets: o.Buckets, app: o.App}
	if g.checks == nil {
		g.checks, _ = o.Client.(CheckRunClient)
	}
	return g
}

// reportAs is github_reporter.report_as in force.
func (g *GitHub) reportAs(cfg *config.Config) string {
	if cfg == nil {
		return config.GitHubReporter{}.ReportAsFor(g.app)
	}
	return cfg.GitHubReporter.ReportAsFor(g.app)
}

// Name implements Reporter.
func (g *GitHub) Name() string { return GitHubReporterName }

// ShouldReport implements Reporter: report: true jobs of the types in
// github_reporter.job_types_to_report, on at most one pull request, and
// not a run the controller aborted because a newer one replaced it.
func (g *GitHub) ShouldReport(cfg *config.Config, pj *prowapi.ProwJob) bool {
	refs := pj.Spec.Refs
	switch {
	case !pj.Spec.Report, refs == nil, len(refs.Pulls) > 1,
		!slices.Contains(jobTypesToReport(cfg), pj.Spec.Type),
		pj.Status.State == prowapi.AbortedState && pj.Status.PrevReportStates[GitHubReporterName] == prowapi.AbortedState:
		return false
	}
	return statusSHA(refs) != ""
}

// jobTypesToReport is github_reporter.job_types_to_report, presubmit and
// postsubmit when unset.
func jobTypesToReport(cfg *config.Config) []prowapi.ProwJobType {
	if cfg != nil && len(cfg.GitHubReporter.JobTypesToReport) > 0 {
		return cfg.GitHubReporter.JobTypesToReport
	}
	return []prowapi.ProwJobType{prowapi.PresubmitJob, prowapi.PostsubmitJob}
}

// statusSHA is the commit a job's status goes on: the pull's head, or
// the base for a job without a pull.
func statusSHA(refs *prowapi.Refs) string {
	if len(refs.Pulls) > 0 {
		return refs.Pulls[0].SHA
	}
	return refs.BaseSHA
}

// Report implements Reporter: it sets the commit status (or the check
// run), then updates the failure comment of a finished presubmit.
func (g *GitHub) Report(ctx context.Context, log *logrus.Entry, cfg *config.Config, pj *prowapi.ProwJob) error {
	if pj.Spec.Refs == nil {
		return fmt.Errorf("report job %s to GitHub: %w", pj.Name, errNoRefs)
	}
	report := g.reportStatus
	if g.reportAs(cfg) == config.ReportAsCheckRuns {
		report = g.reportCheckRun
	}
	set, err := report(ctx, log, pj)
	if err != nil || !set || !wantsComment(cfg, pj) {
		return err
	}
	return g.reportComment(ctx, log, cfg, pj)
}

// reportStatus sets pj's commit status; false when GitHub refused it for
// good (the commit is gone, too many statuses).
func (g *GitHub) reportStatus(ctx context.Context, log *logrus.Entry, pj *prowapi.ProwJob) (bool, error) {
	refs := pj.Spec.Refs
	state, ok := githubState(pj.Status.State)
	if !ok {
		return false, fmt.Errorf("status of job %s: unknown state %q", pj.Name, pj.Status.State)
	}
	sha := statusSHA(refs)
	err := g.gh.CreateStatus(ctx, refs.Org, refs.Repo, sha, github.Status{
		Context:     pj.Spec.Context,
		State:       state,
		Description: StatusDescription(pj.Status.Description, refs.BaseSHA),
		TargetURL:   pj.Status.URL,
	})
	if err == nil {
		return true, nil
	}
	if swallowedStatusError(err) {
		log.WithError(err).Warn("GitHub refused the job's status for good; not retrying")
		return false, nil
	}
	return false, fmt.Errorf("set status %s of job %s on %s/%s@%s: %w", pj.Spec.Context, pj.Name, refs.Org, refs.Repo, sha, err)
}

// wantsComment says whether pj's end goes in the failure comment: a
// finished presubmit of one pull, outside no_comment_repos.
func wantsComment(cfg *config.Config, pj *prowapi.ProwJob) bool {
	refs := pj.Spec.Refs
	if pj.Spec.Type != prowapi.PresubmitJob || !pj.Status.State.IsFinal() || len(refs.Pulls) != 1 {
		return false
	}
	return cfg == nil || !inRepos(cfg.GitHubReporter.NoCommentRepos, refs)
}

// inRepos says whether refs' repository is in a list of orgs and
// org/repos.
func inRepos(list []string, refs *prowapi.Refs) bool {
	return slices.Contains(list, refs.Org) || slices.Contains(list, refs.OrgRepoString())
}

// reportComment updates the pull request's failure comment, holding the
// pull's lock so two jobs never race on it.
func (g *GitHub) reportComment(ctx context.Context, log *logrus.Entry, cfg *config.Config, pj *prowapi.ProwJob) error {
	refs := pj.Spec.Refs
	pull := refs.Pulls[0]
	pr := fmt.Sprintf("%s/%s#%d", refs.Org, refs.Repo, pull.Number)
	unlock, err := g.prLocks.lock(ctx, pr)
	if err != nil {
		return fmt.Errorf("wait to comment on %s: %w", pr, err)
	}
	defer unlock()

	bot, err := g.gh.BotUser(ctx)
	if err != nil {
		return fmt.Errorf("report job %s on %s: %w", pj.Name, pr, err)
	}
	comments, err := g.gh.ListIssueComments(ctx, refs.Org, refs.Repo, pull.Number)
	if err != nil {
		return fmt.Errorf("report job %s on %s: %w", pj.Name, pr, err)
	}
	u := commentUpdate{Context: pj.Spec.Context}
	if pj.Status.State == prowapi.FailureState {
		row := rowFor(pj)
		u.Failed = &row
	}
	if u.AllPassed, err = g.allPassed(ctx, cfg, pj); err != nil {
		return fmt.Errorf("report job %s on %s: %w", pj.Name, pr, err)
	}
	tagged := taggedComments(comments, bot)
	plan := planComment(tagged, u)
	extra := reportTemplate(log, cfg, pj)
	body := renderFailures(pull.Author, plan.Rows, extra)
	if plan.Passed {
		body = renderPassed(pull.Author, extra)
	}
	return g.apply(ctx, log, refs, pull.Number, tagged, plan, body)
}

// apply carries out a comment plan: the write first, so a crash before
// the deletes loses no row.
func (g *GitHub) apply(ctx context.Context, log *logrus.Entry, refs *prowapi.Refs, number int, tagged []taggedComment, plan commentPlan, body string) error {
	switch {
	case plan.Create:
		if _, err := g.gh.CreateComment(ctx, refs.Org, refs.Repo, number, body); err != nil {
			return err
		}
		log.Info("Created the test report comment")
	case plan.Edit != 0:
		i := slices.IndexFunc(tagged, func(c taggedComment) bool { return c.ID == plan.Edit })
		if i >= 0 && strings.TrimSpace(tagged[i].Body) == strings.TrimSpace(body) {
			break
		}
		if err := g.gh.EditComment(ctx, refs.Org, refs.Repo, plan.Edit, body); err != nil {
			return err
		}
		log.WithField("comment", plan.Edit).Info("Edited the test report comment")
	}
	for _, id := range plan.Delete {
		if err := g.gh.DeleteComment(ctx, refs.Org, refs.Repo, id); err != nil {
			return err
		}
		log.WithField("comment", id).Info("Deleted an old test report comment")
	}
	return nil
}

// taggedComments are the bot's report comments among comments, in
// order.
func taggedComments(comments []github.IssueComment, bot string) []taggedComment {
	var out []taggedComment
	for _, c := range comments {
		if isBot(c.User, bot) && strings.Contains(c.Body, CommentTag) {
			out = append(out, taggedComment{ID: c.ID, Body: c.Body})
		}
	}
	return out
}

// isBot says whether login is the bot (a GitHub App's comments are by
// "<name>[bot]").
func isBot(login, bot string) bool {
	trim := func(s string) string { return strings.TrimSuffix(strings.ToLower(s), "[bot]") }
	return bot != "" && trim(login) == trim(bot)
}

// reportTemplate is the output of the repository's report_template run
// on pj; a template that does not parse or run is logged and left out.
func reportTemplate(log *logrus.Entry, cfg *config.Config, pj *prowapi.ProwJob) string {
	if cfg == nil {
		return ""
	}
	text := cfg.Plank.ReportTemplateFor(pj.Spec.Refs.Org, pj.Spec.Refs.Repo)
	if text == "" {
		return ""
	}
	var b bytes.Buffer
	t, err := template.New("report_template").Parse(text)
	if err == nil {
		err = t.Execute(&b, pj)
	}
	if err != nil {
		log.WithError(err).Warn("The report template failed; leaving it out of the comment")
		return ""
	}
	return b.String()
}

// allPassed says whether pj, in a summary_comment_repos repository,
// completes a pull request head on which every test passed: pj passed
// and, when the reporter has a job lister, so did the latest run of
// every other reported presubmit of the same head.
func (g *GitHub) allPassed(ctx context.Context, cfg *config.Config, pj *prowapi.ProwJob) (bool, error) {
	refs := pj.Spec.Refs
	if cfg == nil || pj.Status.State != prowapi.SuccessState || !inRepos(cfg.GitHubReporter.SummaryCommentRepos, refs) {
		return false, nil
	}
	if g.jobs == nil {
		return true, nil
	}
	f := jobs.Filter{Org: refs.Org, Repo: refs.Repo, Pull: refs.Pulls[0].Number, Type: prowapi.PresubmitJob}
	seen := map[string]bool{pj.Spec.Context: true}
	for page := (jobs.Page{}); ; {
		list, err := g.jobs.List(ctx, f, page)
		if err != nil {
			return false, fmt.Errorf("list the jobs of %s/%s#%d: %w", refs.Org, refs.Repo, refs.Pulls[0].Number, err)
		}
		for i := range list.Items {
			other := &list.Items[i]
			if !other.Spec.Report || seen[other.Spec.Context] || !sameHead(other, pj) {
				continue
			}
			// Newest first: the first run of a context is its latest.
			seen[other.Spec.Context] = true
			if other.Status.State != prowapi.SuccessState {
				return false, nil
			}
		}
		if list.Continue == "" {
			return true, nil
		}
		page.Continue = list.Continue
	}
}

// sameHead says whether two jobs test the same pull request head.
func sameHead(a, b *prowapi.ProwJob) bool {
	ra, rb := a.Spec.Refs, b.Spec.Refs
	return ra != nil && rb != nil && len(ra.Pulls) == 1 && len(rb.Pulls) == 1 && ra.Pulls[0].SHA == rb.Pulls[0].SHA
}

// errNoRefs is returned for a job without refs passed to Report
// directly, bypassing ShouldReport.
var errNoRefs = errors.New("job has no refs")
