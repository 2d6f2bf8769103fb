package cherrypicker

import (
	"context"
	"errors"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/effect"
	"github.com/prowbot/prow/prow/git"
	"github.com/prowbot/prow/prow/github"
)

// pickOrSay cherry-picks merged pull request pr onto r.Target and says
// how it went: the new pull request, the one already there, or why not.
//
// A delivery handled twice (replayed after a crash, or a second request
// for the same branch) opens no second pull request: an open pull request
// from the cherry-pick's branch into the target is looked for first, and
// on a replay it is reported as the one this request opened.
func (h handler) pickOrSay(ctx context.Context, env plugins.Env, c pluginconfig.Cherrypicker, org, repo string, pr github.PullRequest, r Request) error {
	n := pr.Number
	if r.Target == pr.BaseRef {
		return h.reply(ctx, org, repo, n, r, sameBranchMessage(pr.BaseRef))
	}
	if !ValidBranch(r.Target) {
		return h.reply(ctx, org, repo, n, r, noBranchMessage(r.Target))
	}
	log := env.Log.WithFields(logrus.Fields{"target_branch": r.Target, "requester": r.Requester})
	branch := BranchName(n, r.Target)
	existing, err := h.existing(ctx, org, repo, branch, r.Target)
	if err != nil {
		return err
	}
	if existing != nil {
		if s := effect.From(ctx); s != nil && s.Replay {
			// Most likely this request's own, from a run cut short.
			return h.finish(ctx, log, c, org, repo, n, r, *existing)
		}
		return h.reply(ctx, org, repo, n, r, alreadyMessage(n, r.Target, existing.Number))
	}
	bot := env.BotLogin
	_, err = h.git.CherryPick(ctx, git.CherryPick{Org: org, Repo: repo, Number: n, MergeSHA: pr.MergeCommitSHA, BaseSHA: pr.BaseSHA,
		Target: r.Target, Branch: branch, Name: bot, Email: bot + "@users.noreply.github.com"})
	var conflict *git.ConflictError
	switch {
	case errors.Is(err, git.ErrNoBranch):
		return h.reply(ctx, org, repo, n, r, noBranchMessage(r.Target))
	case errors.As(err, &conflict):
		log.WithField("output", conflict.Output).Info("Cherry-pick does not apply")
		return h.reply(ctx, org, repo, n, r, conflictMessage(n, r.Target, conflict.Output))
	case err != nil:
		return h.failed(ctx, org, repo, n, r, err)
	}
	return h.open(ctx, log, c, org, repo, pr, r, branch)
}

// open opens the cherry-pick pull request from branch, links it, labels
// it and assigns the requester.
func (h handler) open(ctx context.Context, log *logrus.Entry, c pluginconfig.Cherrypicker, org, repo string, pr github.PullRequest, r Request, branch string) error {
	n := pr.Number
	created, err := h.gh.CreatePullRequest(ctx, org, repo, Title(r.Target, pr.BaseRef, pr.Title), Body(n, r.Requester, pr.Body), branch, r.Target)
	if err != nil {
		// A create whose answer was lost may have opened it after all.
		found, ferr := h.existing(ctx, org, repo, branch, r.Target)
		if ferr != nil || found == nil {
			return h.failed(ctx, org, repo, n, r, err)
		}
		created = *found
	}
	log.WithField("created", created.Number).Info("Opened cherry-pick pull request")
	return h.finish(ctx, log, c, org, repo, n, r, created)
}

// finish links the cherry-pick, labels it and assigns the requester (all
// idempotent, so a replay completes a run cut short).
func (h handler) finish(ctx context.Context, log *logrus.Entry, c pluginconfig.Cherrypicker, org, repo string, n int, r Request, created github.PullRequest) error {
	if err := h.reply(ctx, org, repo, n, r, createdMessage(r.Target, created.Number)); err != nil {
		return err
	}
	if len(c.Labels) > 0 {
		if err := h.gh.AddLabels(ctx, org, repo, created.Number, c.Labels...); err != nil {
			return err
		}
	}
	if _, err := h.gh.AssignIssue(ctx, org, repo, created.Number, []string{r.Requester}); err != nil {
		// As in Prow: a requester GitHub cannot assign (not a
		// collaborator) still has the /assign in the body.
		log.WithError(err).Info("Could not assign the cherry-pick")
	}
	return nil
}

// existing is the open pull request from branch into target, if any.
func (h handler) existing(ctx context.Context, org, repo, branch, target string) (*github.PullRequest, error) {
	prs, err := h.gh.FindOpenPullRequests(ctx, org, repo, org+":"+branch, target)
	if err != nil || len(prs) == 0 {
		return nil, err
	}
	return &prs[0], nil
}

// failed reports an error of the cherry-pick's own (push, GitHub) and
// returns it; one cut short by the handler's deadline is not reported:
// the reply could not be sent either.
func (h handler) failed(ctx context.Context, org, repo string, n int, r Request, err error) error {
	if ctx.Err() != nil {
		return err
	}
	if rerr := h.reply(ctx, org, repo, n, r, failedMessage(r.Target, err)); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}
