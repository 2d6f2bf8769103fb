package lgtm

import (
	"context"
	"fmt"
	"strings"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/labels"
)

// ask is one request to change the label, from a comment or a review.
type ask struct {
	repo         plugins.Repo
	number       int
	want         bool
	user, author string
	assignees    []string
	labels       []string
	// headSHA is the pull request's head when the event says it.
	headSHA string
	// reply formats a refusal for the user.
	reply func(msg string) string
}

// handle reads what Decide needs, then carries out its outcome.
func (p *lgtm) handle(ctx context.Context, env plugins.Env, a ask) error {
	org, repo, n := a.repo.Org, a.repo.Name, a.number
	req := Request{
		Want: a.want, Commenter: a.user, Author: a.author,
		Assigned:          containsFold(a.assignees, a.user),
		SkipCollaborators: env.PluginConfig().SkipCollaborators(org, repo),
		HasLabel:          labels.Has(a.labels, Label),
	}
	if !strings.EqualFold(a.user, a.author) {
		var err error
		if req.SkipCollaborators {
			req.OwnersReviewer, err = p.ownersReviewer(ctx, org, repo, n, a.user)
		} else {
			req.Collaborator, err = p.gh.IsCollaborator(ctx, org, repo, a.user)
		}
		if err != nil {
			return err
		}
	}
	out := Decide(req)
	if out.Reply != "" {
		env.Log.Info("Refusing an lgtm request")
		_, err := p.gh.CreateComment(ctx, org, repo, n, a.reply(out.Reply))
		return err
	}
	if out.Assign {
		if _, err := p.gh.AssignIssue(ctx, org, repo, n, []string{a.user}); err != nil {
			return err
		}
	}
	cfg := env.PluginConfig().LgtmFor(org, repo)
	switch {
	case out.Remove:
		env.Log.Info("Removing lgtm label")
		if err := p.removeLabel(ctx, a.repo, n, a.author, a.assignees, cfg.StoreTreeHash); err != nil {
			return err
		}
		if cfg.StoreTreeHash {
			return plugins.DeleteBotComments(ctx, p.gh, env, a.repo, n, func(body string) bool { return TreeOfNotice(body) != "" })
		}
	case out.Add:
		env.Log.Info("Adding lgtm label")
		if err := p.gh.AddLabels(ctx, org, repo, n, Label); err != nil {
			return err
		}
		return p.added(ctx, env, a)
	}
	return nil
}

// added records the tree the label was given for (store_tree_hash) and
// deletes the notice that a push had removed the label.
func (p *lgtm) added(ctx context.Context, env plugins.Env, a ask) error {
	org, repo, n := a.repo.Org, a.repo.Name, a.number
	cfg := env.PluginConfig().LgtmFor(org, repo)
	sticky, err := p.sticky(ctx, org, cfg.StickyLgtmTeam, a.author)
	if err != nil || sticky {
		return err
	}
	if cfg.StoreTreeHash {
		head := a.headSHA
		if head == "" {
			pr, err := p.gh.GetPullRequest(ctx, org, repo, n)
			if err != nil {
				return err
			}
			head = pr.HeadSHA
		}
		tree, err := p.gh.GetCommitTree(ctx, org, repo, head)
		if err != nil {
			return err
		}
		if _, err := p.gh.CreateComment(ctx, org, repo, n, AddedNotice(tree)); err != nil {
			return err
		}
	}
	return plugins.DeleteBotComments(ctx, p.gh, env, a.repo, n, func(body string) bool { return strings.Contains(body, RemovedNotice) })
}

// removeLabel removes the label and, with store_tree_hash, asks the
// assignees to review again, as Prow does.
func (p *lgtm) removeLabel(ctx context.Context, r plugins.Repo, n int, author string, assignees []string, storeTreeHash bool) error {
	if err := p.gh.RemoveLabel(ctx, r.Org, r.Name, n, Label); err != nil {
		return err
	}
	if !storeTreeHash {
		return nil
	}
	var again []string
	for _, a := range assignees {
		if !strings.EqualFold(a, author) {
			again = append(again, a)
		}
	}
	if len(again) == 0 {
		return nil
	}
	return p.gh.RequestReview(ctx, r.Org, r.Name, n, again, nil)
}

// ownersReviewer says whether login is a reviewer or approver in the
// OWNERS files (at the base) of a file the pull request changes.
func (p *lgtm) ownersReviewer(ctx context.Context, org, repo string, n int, login string) (bool, error) {
	pr, err := p.gh.GetPullRequest(ctx, org, repo, n)
	if err != nil {
		return false, err
	}
	ro, err := p.owners.Load(ctx, org, repo, pr.BaseSHA)
	if err != nil {
		return false, fmt.Errorf("load OWNERS of %s/%s for #%d: %w", org, repo, n, err)
	}
	changes, err := p.gh.GetPullRequestChanges(ctx, org, repo, n)
	if err != nil {
		return false, err
	}
	for _, c := range changes {
		if containsFold(ro.Approvers(c.Filename), login) || containsFold(ro.Reviewers(c.Filename), login) {
			return true, nil
		}
	}
	return false, nil
}

// sticky says whether author belongs to the trusted_team_for_sticky_lgtm
// team (named by its name or slug).
func (p *lgtm) sticky(ctx context.Context, org, team, author string) (bool, error) {
	if team == "" {
		return false, nil
	}
	slug := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(team), " ", "-"))
	in, err := plugins.InTeam(ctx, p.gh, org, slug, author)
	if err != nil {
		return false, fmt.Errorf("list members of team %s/%s for sticky lgtm: %w", org, team, err)
	}
	return in, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
