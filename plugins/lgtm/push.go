package lgtm

import (
	"context"

	"github.com/prowbot/prow/plugins"
)

// pullRequest removes the label when new commits arrive, unless the
// author's team keeps it or (store_tree_hash) the code is what was
// approved, and says so.
func (p *lgtm) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	if ev.Action != "synchronize" || ev.PR.Merged || !ev.PR.HasLabel(Label) {
		return nil
	}
	r, n := ev.Repo, ev.PR.Number
	cfg := env.PluginConfig().LgtmFor(r.Org, r.Name)
	sticky, err := p.sticky(ctx, r.Org, cfg.StickyLgtmTeam, ev.PR.Author)
	if err != nil {
		return err
	}
	var stored, head string
	if !sticky && cfg.StoreTreeHash {
		if stored, err = p.storedTree(ctx, env, r, n); err != nil {
			return err
		}
		if stored != "" {
			if head, err = p.gh.GetCommitTree(ctx, r.Org, r.Name, ev.PR.HeadSHA); err != nil {
				return err
			}
		}
	}
	if KeepOnPush(sticky, stored, head) {
		env.Log.Info("Keeping lgtm label across the push")
		return nil
	}
	env.Log.Info("New commits: removing lgtm label")
	if err := p.removeLabel(ctx, r, n, ev.PR.Author, ev.PR.Assignees, cfg.StoreTreeHash); err != nil {
		return err
	}
	_, err = p.gh.CreateComment(ctx, r.Org, r.Name, n, RemovedNotice)
	return err
}

// storedTree is the tree of the bot's latest unedited added-notice, or "".
func (p *lgtm) storedTree(ctx context.Context, env plugins.Env, r plugins.Repo, n int) (string, error) {
	comments, err := p.gh.ListIssueComments(ctx, r.Org, r.Name, n)
	if err != nil {
		return "", err
	}
	for i := len(comments) - 1; i >= 0; i-- {
		c := comments[i]
		if !containsFold([]string{env.BotLogin}, c.User) || !c.UpdatedAt.Equal(c.CreatedAt) {
			continue
		}
		if tree := TreeOfNotice(c.Body); tree != "" {
			return tree, nil
		}
	}
	return "", nil
}
