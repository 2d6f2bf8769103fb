package plugins

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/prow/github"
)

func (f *fakeGitHub) ListIssueComments(context.Context, string, string, int) ([]github.IssueComment, error) {
	return f.comments, nil
}

func (f *fakeGitHub) DeleteComment(_ context.Context, _, _ string, id int64) error {
	f.calls = append(f.calls, fmt.Sprintf("delete %d", id))
	return nil
}

func TestDeleteBotCommentsDeletesOnlyTheBotsMatchingOnes(t *testing.T) {
	gh := &fakeGitHub{comments: []github.IssueComment{
		{ID: 1, User: "the-bot", Body: "<!-- mark --> old"},
		{ID: 2, User: "alice", Body: "<!-- mark --> quoted by a person"},
		{ID: 3, User: "The-Bot", Body: "<!-- mark --> in another case"},
		{ID: 4, User: "the-bot", Body: "something else"},
	}}
	env := Env{BotLogin: "the-bot"}
	marked := func(body string) bool { return strings.HasPrefix(body, "<!-- mark -->") }
	if err := DeleteBotComments(context.Background(), gh, env, Repo{Org: "o", Name: "r"}, 7, marked); err != nil {
		t.Fatal(err)
	}
	if want := []string{"delete 1", "delete 3"}; !reflect.DeepEqual(gh.calls, want) {
		t.Errorf("calls %q, want %q", gh.calls, want)
	}
}
