package harness

import (
	"context"
	"reflect"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/effect"
	"github.com/prowbot/prow/prow/github"
)

// CheckLabelNotice ends t unless pull request number of demo/hello has
// the labels want and wantNotices comments that isNotice tells are the
// bot's notice (a plugin keeping a label and a notice together, like
// needs-rebase).
func (e *Env) CheckLabelNotice(t testing.TB, number int, isNotice func(c github.IssueComment, bot string) bool, want []string, wantNotices int) {
	t.Helper()
	if got := e.Labels("demo", "hello", number); !reflect.DeepEqual(got, want) {
		t.Fatalf("labels %v, want %v", got, want)
	}
	n := 0
	for _, c := range e.Comments("demo", "hello", number) {
		if isNotice(c, Bot) {
			n++
		}
	}
	if n != wantNotices {
		t.Fatalf("%d notices, want %d", n, wantNotices)
	}
}

// ReplayTwice runs handle twice, with the bot's plugins.Env, as call of
// delivery d1 replayed (as after a crash between two of its writes), then
// waits for the webhooks its writes caused.
func (e *Env) ReplayTwice(t testing.TB, call string, handle func(ctx context.Context, env plugins.Env) error) {
	t.Helper()
	ctx := effect.With(context.Background(), &effect.Scope{Delivery: "d1", Call: call, Replay: true})
	env := plugins.Env{Log: logrus.NewEntry(logrus.New()), BotLogin: Bot}
	for run := 0; run < 2; run++ {
		if err := handle(ctx, env); err != nil {
			t.Fatal(err)
		}
	}
	e.Settle()
}

// NoticeCase is a comment and whether it is the bot's notice.
type NoticeCase struct {
	Name    string
	Comment github.IssueComment
	Want    bool
}

// CheckIsNotice checks isNotice, with the bot the-bot, on the notice the
// bot wrote (its login in another case), on someone else quoting it, and
// on more.
func CheckIsNotice(t *testing.T, isNotice func(c github.IssueComment, bot string) bool, notice string, more ...NoticeCase) {
	t.Helper()
	cases := append([]NoticeCase{
		{"the bot's notice", github.IssueComment{User: "The-Bot", Body: notice}, true},
		{"someone quoting it", github.IssueComment{User: "bob", Body: notice}, false},
	}, more...)
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			if got := isNotice(tc.Comment, "the-bot"); got != tc.Want {
				t.Errorf("IsNotice = %v, want %v", got, tc.Want)
			}
		})
	}
}
