package plugins

import (
	"context"
	"strings"

	"github.com/prowbot/prow/prow/github"
)

// NoticeClient is what LabelNotice and SyncNotice need of GitHub: the
// labels of an issue or pull request and the comments on it. The Client
// of a plugin that keeps labels and the bot's comments embeds it.
type NoticeClient interface {
	LabelEditor
	CommentPruner
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
}

// LabelNotice is a label a plugin keeps on a pull request together with
// one notice comment of the bot's saying why (needs-rebase,
// do-not-merge/contains-merge-commits). Its writes happen once each,
// whatever step a crash interrupts and however often the delivery is
// replayed: the notice is written before the label and removed before
// it, and found again by its marker.
type LabelNotice struct {
	Label string
	// Marker starts every notice's body (a hidden HTML comment).
	Marker string
}

// IsNotice tells whether a comment is the bot's notice.
func (n LabelNotice) IsNotice(c github.IssueComment, bot string) bool {
	return isBot(c.User, bot) && n.marked(c.Body)
}

// Set posts notice unless the bot's notice is there already, then adds
// the label.
func (n LabelNotice) Set(ctx context.Context, gh NoticeClient, env Env, r Repo, number int, notice string) error {
	comments, err := gh.ListIssueComments(ctx, r.Org, r.Name, number)
	if err != nil {
		return err
	}
	if len(BotComments(comments, env.BotLogin, n.marked)) == 0 {
		if _, err := gh.CreateComment(ctx, r.Org, r.Name, number, notice); err != nil {
			return err
		}
	}
	return gh.AddLabels(ctx, r.Org, r.Name, number, n.Label)
}

// Clear deletes the bot's notices, then removes the label.
func (n LabelNotice) Clear(ctx context.Context, gh NoticeClient, env Env, r Repo, number int) error {
	if err := DeleteBotComments(ctx, gh, env, r, number, n.marked); err != nil {
		return err
	}
	return gh.RemoveLabel(ctx, r.Org, r.Name, number, n.Label)
}

// marked says whether a comment body starts with the notice's marker.
func (n LabelNotice) marked(body string) bool { return strings.HasPrefix(body, n.Marker) }
