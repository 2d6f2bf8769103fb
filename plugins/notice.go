package plugins

import (
	"context"
	"fmt"
	"strings"

	"github.com/prowbot/prow/prow/github"
)

// SyncNotice keeps one comment of the bot's starting with marker on an
// issue or pull request, saying body: it is created when missing, edited
// when it says something else, and extra copies are deleted; an empty
// body deletes every copy. Repeating it changes nothing more, so a
// replayed delivery never comments twice.
func SyncNotice(ctx context.Context, gh NoticeClient, editor CommentEditor, env Env, r Repo, number int, marker, body string) error {
	comments, err := gh.ListIssueComments(ctx, r.Org, r.Name, number)
	if err != nil {
		return err
	}
	found := false
	for _, c := range BotComments(comments, env.BotLogin, func(b string) bool { return strings.HasPrefix(b, marker) }) {
		switch {
		case body == "" || found:
			err = gh.DeleteComment(ctx, r.Org, r.Name, c.ID)
		case c.Body != body:
			err = editor.EditComment(ctx, r.Org, r.Name, c.ID, body)
		}
		if err != nil {
			return fmt.Errorf("update the bot's comment on %s#%d: %w", r.FullName(), number, err)
		}
		found = true
	}
	if body != "" && !found {
		_, err = gh.CreateComment(ctx, r.Org, r.Name, number, body)
	}
	return err
}

// CommentEditor edits a comment.
type CommentEditor interface {
	EditComment(ctx context.Context, org, repo string, id int64, body string) error
}

// CommentPruner lists the comments on an issue or pull request and
// deletes comments.
type CommentPruner interface {
	ListIssueComments(ctx context.Context, org, repo string, number int) ([]github.IssueComment, error)
	DeleteComment(ctx context.Context, org, repo string, id int64) error
}

// BotComments keeps, in order, the comments the bot (login bot, in any
// case) wrote whose body match accepts.
func BotComments(comments []github.IssueComment, bot string, match func(body string) bool) []github.IssueComment {
	var out []github.IssueComment
	for _, c := range comments {
		if isBot(c.User, bot) && match(c.Body) {
			out = append(out, c)
		}
	}
	return out
}

// DeleteBotComments deletes the bot's comments on issue or PR number of
// r whose body match accepts.
func DeleteBotComments(ctx context.Context, gh CommentPruner, env Env, r Repo, number int, match func(body string) bool) error {
	comments, err := gh.ListIssueComments(ctx, r.Org, r.Name, number)
	if err != nil {
		return err
	}
	for _, c := range BotComments(comments, env.BotLogin, match) {
		if err := gh.DeleteComment(ctx, r.Org, r.Name, c.ID); err != nil {
			return err
		}
	}
	return nil
}

// isBot says whether user is the bot's login bot, in any case.
func isBot(user, bot string) bool { return strings.EqualFold(user, bot) }
