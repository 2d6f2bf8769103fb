package plugins

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/prowbot/prow/prow/github"
)

func (f *fakeGitHub) GetPullRequest(_ context.Context, _, _ string, n int) (github.PullRequest, error) {
	f.calls = append(f.calls, fmt.Sprintf("get %d", n))
	return github.PullRequest{Number: n, HeadSHA: "head"}, nil
}

func TestOnPullRequestReadsThePullRequestAndSkipsIssues(t *testing.T) {
	gh := &fakeGitHub{}
	var got []github.PullRequest
	handle := OnPullRequest(gh, func(_ context.Context, _ Env, _ GenericCommentEvent, pr github.PullRequest) error {
		got = append(got, pr)
		return nil
	})
	repo := Repo{Org: "o", Name: "r"}
	for _, ev := range []GenericCommentEvent{{Repo: repo, Number: 3}, {Repo: repo, Number: 4, IsPR: true}} {
		if err := handle(context.Background(), Env{}, ev, nil); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"get 4"}; !reflect.DeepEqual(gh.calls, want) {
		t.Errorf("calls %q, want %q", gh.calls, want)
	}
	if len(got) != 1 || got[0].Number != 4 || got[0].HeadSHA != "head" {
		t.Errorf("handled %+v, want pull request 4 as read", got)
	}
}
