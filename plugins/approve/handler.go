package approve

import (
	"context"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
	"github.com/prowbot/prow/prow/owners"
)

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.NoticeClient
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]github.PullRequestChange, error)
	ListReviews(ctx context.Context, org, repo string, number int) ([]github.Review, error)
	ListReviewComments(ctx context.Context, org, repo string, number int) ([]github.IssueComment, error)
}

// OwnersLoader gives the OWNERS of a repository at a base SHA.
type OwnersLoader interface {
	Load(ctx context.Context, org, repo, sha string) (*owners.RepoOwners, error)
}

type handlers struct {
	gh     Client
	owners OwnersLoader
}

// isBot says whether user is the bot, by its login or as a GitHub App
// ("<name>[bot]"); the bot's comments and reviews never approve.
func isBot(user, bot string) bool {
	if bot == "" {
		return false
	}
	return strings.EqualFold(user, bot) || strings.EqualFold(user, bot+"[bot]") || strings.EqualFold(user+"[bot]", bot)
}

// relevant says whether a comment holds a command that can change the
// approval.
func relevant(body string, lgtmCounts bool) bool {
	for _, inv := range plugins.ParseCommands(body) {
		switch inv.Name {
		case "approve", "remove-approve":
			return true
		case "lgtm", "remove-lgtm":
			if lgtmCounts {
				return true
			}
		}
	}
	return false
}

// update recomputes the approval of a pull request from its whole history
// and brings the label and the notification in line.
// manual, when set, says who added the approved label by hand ("" when
// a person removed it); nil keeps what the last notification recorded.
func (h handlers) update(ctx context.Context, env plugins.Env, org, repo string, number int, manual *string) error {
	cfg := env.PluginConfig().ApproveFor(org, repo)
	pr, err := h.gh.GetPullRequest(ctx, org, repo, number)
	if err != nil {
		return err
	}
	changes, err := h.gh.GetPullRequestChanges(ctx, org, repo, number)
	if err != nil {
		return err
	}
	ro, err := h.owners.Load(ctx, org, repo, pr.BaseSHA)
	if err != nil {
		return err
	}
	comments, err := h.gh.ListIssueComments(ctx, org, repo, number)
	if err != nil {
		return err
	}
	reviews, err := h.gh.ListReviews(ctx, org, repo, number)
	if err != nil {
		return err
	}
	var lineComments []github.IssueComment
	if pr.ReviewComments > 0 { // the list costs a call; most pull requests have none
		if lineComments, err = h.gh.ListReviewComments(ctx, org, repo, number); err != nil {
			return err
		}
	}
	var votes []Vote
	for _, c := range append(comments, lineComments...) {
		votes = append(votes, Vote{User: c.User, Body: c.Body, At: c.CreatedAt, FromBot: isBot(c.User, env.BotLogin)})
	}
	for _, r := range reviews {
		votes = append(votes, Vote{User: r.User, Body: r.Body, Review: r.State, At: r.SubmittedAt, FromBot: isBot(r.User, env.BotLogin)})
	}
	files := make([]string, 0, len(changes))
	for _, c := range changes {
		files = append(files, c.Filename)
	}
	approving := Approvers(votes, pr.Author, settingsOf(cfg))
	req := Requirements{IssueRequired: cfg.IssueRequired, Issue: AssociatedIssue(org, repo, pr.Body),
		NoIssueBy: NoIssueApprovers(votes, approving)}
	notes := plugins.BotComments(comments, env.BotLogin, isNotification)
	if manual != nil {
		req.ManualBy = *manual
	} else if len(notes) > 0 {
		req.ManualBy = readMeta(notes[len(notes)-1].Body).ManualBy
	}
	st := req.Apply(Evaluate(ro, files, approving, nil))
	if err := h.label(ctx, env, org, repo, pr, st.Approved); err != nil {
		return err
	}
	return h.notify(ctx, org, repo, number, notes, Notification(org, repo, st, cfg.CommandHelpLink))
}

func settingsOf(a pluginconfig.Approve) Settings {
	return Settings{RequireSelfApproval: a.RequireSelfApproval != nil && *a.RequireSelfApproval,
		LgtmActsAsApprove: a.LgtmActsAsApprove, IgnoreReviewState: a.IgnoreReviewState != nil && *a.IgnoreReviewState}
}

func (h handlers) label(ctx context.Context, env plugins.Env, org, repo string, pr github.PullRequest, approved bool) error {
	has := labels.Has(pr.Labels, Label)
	switch {
	case approved && !has:
		env.Log.Info("Pull request approved")
		return h.gh.AddLabels(ctx, org, repo, pr.Number, Label)
	case !approved && has:
		env.Log.Info("Pull request no longer approved")
		return h.gh.RemoveLabel(ctx, org, repo, pr.Number, Label)
	}
	return nil
}

// isNotification says whether a comment body is a notification.
func isNotification(body string) bool { return strings.HasPrefix(body, NotificationPrefix) }

// notify keeps exactly one notification, given the bot's old ones: left
// alone when current, otherwise the old ones are deleted and a new one
// posted.
func (h handlers) notify(ctx context.Context, org, repo string, number int, old []github.IssueComment, text string) error {
	if len(old) == 1 && old[0].Body == text {
		return nil
	}
	for _, c := range old {
		if err := h.gh.DeleteComment(ctx, org, repo, c.ID); err != nil {
			return err
		}
	}
	_, err := h.gh.CreateComment(ctx, org, repo, number, text)
	return err
}

// New builds the plugin.
func New(gh Client, loader OwnersLoader) plugins.Plugin {
	h := handlers{gh: gh, owners: loader}
	return plugins.Plugin{
		Name:        Name,
		Description: "Adds the approved label once an OWNERS approver of every changed file has approved, and keeps one comment explaining who still needs to.",
		Commands: []plugins.Command{{ // documented here; handled by GenericComment, which also sees /lgtm
			Name: "approve", Aliases: []string{"remove-approve"}, Usage: "/approve [no-issue|cancel] | /remove-approve",
			Description: "Approves the pull request for the OWNERS files you approve, or withdraws your approval.",
			WhoCanUse:   "Approvers listed in OWNERS files; anyone's approval is recorded, only approvers' count.",
			Examples:    []string{"/approve", "/approve cancel"}, Featured: true,
		}},
		GenericComment: func(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent) error {
			if !ev.IsPR || ev.Action != plugins.CommentCreated || ev.IssueState != "open" || ev.Source == plugins.SourceReview {
				return nil
			}
			if !relevant(ev.Body, env.PluginConfig().ApproveFor(ev.Repo.Org, ev.Repo.Name).LgtmActsAsApprove) {
				return nil
			}
			return h.update(ctx, env, ev.Repo.Org, ev.Repo.Name, ev.Number, nil)
		},
		Review: func(ctx context.Context, env plugins.Env, ev plugins.ReviewEvent) error {
			if ev.PR.State != "open" || isBot(ev.Review.Author, env.BotLogin) {
				return nil
			}
			return h.update(ctx, env, ev.Repo.Org, ev.Repo.Name, ev.PR.Number, nil)
		},
		PullRequest: h.pullRequest,
	}
}

// pullRequest recomputes the approval when the change or the label moves.
func (h handlers) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	switch ev.Action {
	case "opened", "reopened", "synchronize":
		return h.update(ctx, env, ev.Repo.Org, ev.Repo.Name, ev.PR.Number, nil)
	case "edited":
		if ev.BodyChanged && env.PluginConfig().ApproveFor(ev.Repo.Org, ev.Repo.Name).IssueRequired {
			return h.update(ctx, env, ev.Repo.Org, ev.Repo.Name, ev.PR.Number, nil)
		}
	case "labeled", "unlabeled":
		// A person adding the label approves by hand; removing it
		// withdraws that. The bot's own changes are its decisions.
		if !labels.Equal(ev.Label, Label) || strings.EqualFold(ev.Sender, env.BotLogin) || ev.PR.State != "open" {
			return nil
		}
		by := ""
		if ev.Action == "labeled" {
			by = ev.Sender
		}
		return h.update(ctx, env, ev.Repo.Org, ev.Repo.Name, ev.PR.Number, &by)
	}
	return nil
}
