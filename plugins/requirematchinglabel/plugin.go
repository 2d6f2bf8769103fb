package requirematchinglabel

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.NoticeClient
	GetIssueLabels(ctx context.Context, org, repo string, number int) ([]github.Label, error)
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
}

var _ Client = (*github.Client)(nil)

type handler struct {
	gh Client
	// now is the clock, for the grace period.
	now func() time.Time
}

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handler{gh: gh, now: time.Now}
	return plugins.Plugin{
		Name: Name,
		Description: "Adds a configured label (and comment) to issues and pull requests that have no label matching a configured regexp, " +
			"and removes them once one does. Typically used to ask for a kind/, sig/ or priority/ label.",
		ConfigHelp:  configHelp,
		PullRequest: h.pullRequest,
		Issue:       h.issue,
		Commands: []plugins.Command{{
			Name:        "check-required-labels",
			Usage:       "/check-required-labels",
			Description: "Checks the issue or pull request for the labels the require-matching-label configuration asks for, adding or removing the missing-label marker.",
			WhoCanUse:   "Anyone",
			Examples:    []string{"/check-required-labels"},
			Handle:      h.command,
		}},
	}
}

func configHelp(cfg *pluginconfig.Configuration, orgRepos []string) map[string]string {
	return plugins.RepoHelp(orgRepos, func(org, repo string) string {
		var lines []string
		for _, r := range cfg.RequireMatchingLabel {
			if !strings.EqualFold(r.Org, org) || (r.Repo != "" && repo != "" && !strings.EqualFold(r.Repo, repo)) {
				continue
			}
			var kinds []string
			if r.PRs {
				kinds = append(kinds, "pull requests")
			}
			if r.Issues {
				kinds = append(kinds, "issues")
			}
			line := fmt.Sprintf("%s with no label matching %q get the %q label", strings.Join(kinds, " and "), r.Regexp, r.MissingLabel)
			if r.Branch != "" {
				line += fmt.Sprintf(" (pull requests against branches matching %q)", r.Branch)
			}
			lines = append(lines, line+".")
		}
		return strings.Join(lines, "\n")
	})
}

// item is the issue or pull request being checked.
type item struct {
	target  Target
	number  int
	labels  []string
	created time.Time
}

var actions = map[string]bool{"opened": true, "reopened": true, "labeled": true, "unlabeled": true}

func (h handler) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	if !actions[ev.Action] || ev.PR.State != "open" {
		return nil
	}
	it := item{target: Target{Org: ev.Repo.Org, Repo: ev.Repo.Name, IsPR: true, Branch: ev.PR.BaseRef},
		number: ev.PR.Number, labels: ev.PR.Labels, created: ev.PR.CreatedAt}
	return h.check(ctx, env, it, ev.Action == "opened")
}

func (h handler) issue(ctx context.Context, env plugins.Env, ev plugins.IssueEvent) error {
	// Pull requests are checked on their pull_request events.
	if !actions[ev.Action] || ev.Issue.IsPR || ev.Issue.State != "open" {
		return nil
	}
	it := item{target: Target{Org: ev.Repo.Org, Repo: ev.Repo.Name}, number: ev.Issue.Number,
		labels: ev.Issue.Labels, created: ev.Issue.CreatedAt}
	return h.check(ctx, env, it, ev.Action == "opened")
}

func (h handler) command(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, _ []plugins.Invocation) error {
	if ev.IssueState != "open" {
		return nil
	}
	it := item{target: Target{Org: ev.Repo.Org, Repo: ev.Repo.Name, IsPR: ev.IsPR}, number: ev.Number, labels: ev.Labels}
	if ev.IsPR {
		pr, err := h.gh.GetPullRequest(ctx, ev.Repo.Org, ev.Repo.Name, ev.Number)
		if err != nil {
			return err
		}
		it.target.Branch = pr.BaseRef
	}
	return h.check(ctx, env, it, false)
}

// check applies every entry that covers it; a newly opened item is
// checked after the grace period, with its labels read again.
func (h handler) check(ctx context.Context, env plugins.Env, it item, opened bool) error {
	cfgs := Matching(env.PluginConfig().RequireMatchingLabel, it.target)
	if len(cfgs) == 0 {
		return nil
	}
	if opened {
		if err := sleep(ctx, Wait(it.created, h.now(), GracePeriod(cfgs))); err != nil {
			return err
		}
		current, err := h.gh.GetIssueLabels(ctx, it.target.Org, it.target.Repo, it.number)
		if err != nil {
			return err
		}
		it.labels = it.labels[:0:0]
		for _, l := range current {
			it.labels = append(it.labels, l.Name)
		}
	}
	var comments []github.IssueComment
	for _, r := range cfgs {
		var err error
		switch Decide(r, it.labels) {
		case AddMissing:
			err = h.addMissing(ctx, env, it, r)
			it.labels = append(it.labels, r.MissingLabel)
		case RemoveMissing:
			comments, err = h.removeMissing(ctx, env, it, r, comments)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// addMissing adds r's missing label and comment.
func (h handler) addMissing(ctx context.Context, env plugins.Env, it item, r pluginconfig.RequireMatchingLabel) error {
	org, repo := it.target.Org, it.target.Repo
	env.Log.WithField("label", r.MissingLabel).Info("Adding missing-label marker")
	if err := h.gh.AddLabels(ctx, org, repo, it.number, r.MissingLabel); err != nil {
		return err
	}
	if r.MissingComment == "" {
		return nil
	}
	_, err := h.gh.CreateComment(ctx, org, repo, it.number, r.MissingComment)
	return err
}

// removeMissing removes r's missing label and the bot's comment, listing
// the comments once (comments is the list when already read).
func (h handler) removeMissing(ctx context.Context, env plugins.Env, it item, r pluginconfig.RequireMatchingLabel, comments []github.IssueComment) ([]github.IssueComment, error) {
	org, repo := it.target.Org, it.target.Repo
	env.Log.WithField("label", r.MissingLabel).Info("Removing missing-label marker")
	if err := h.gh.RemoveLabel(ctx, org, repo, it.number, r.MissingLabel); err != nil {
		return comments, err
	}
	if r.MissingComment == "" {
		return comments, nil
	}
	if comments == nil {
		var err error
		if comments, err = h.gh.ListIssueComments(ctx, org, repo, it.number); err != nil {
			return nil, err
		}
	}
	return comments, h.deleteComments(ctx, env, org, repo, comments, r.MissingComment)
}

// deleteComments deletes the bot's comments saying text.
func (h handler) deleteComments(ctx context.Context, env plugins.Env, org, repo string, comments []github.IssueComment, text string) error {
	for _, c := range comments {
		if strings.EqualFold(c.User, env.BotLogin) && strings.TrimSpace(c.Body) == strings.TrimSpace(text) {
			if err := h.gh.DeleteComment(ctx, org, repo, c.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for the grace period: %w", ctx.Err())
	}
}
