package plugins

import (
	"context"
	"fmt"
	"strings"
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
	for _, c := range comments {
		if !strings.EqualFold(c.User, env.BotLogin) || !strings.HasPrefix(c.Body, marker) {
			continue
		}
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
