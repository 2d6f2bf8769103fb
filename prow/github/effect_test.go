package github

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/prowbot/prow/prow/effect"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

func TestReplayedCommentsAreNotPostedTwice(t *testing.T) {
	seeded := seed.New().User("the-bot", "bot-token").User("author", "author-token").
		Members("the-bot").Collaborators("write", "the-bot").
		Pull("author", "Change", sandbox.FileChanges{"a.txt": "a\n"}).Seed()
	_, url := serveSandbox(t, sandbox.Options{Seed: seeded})
	c := sandboxClient(t, url, "bot-token", ClientOptions{})
	// A handler call that comments twice, then crashes; the replay
	// comments the same two texts and a third.
	first := effect.With(context.Background(), &effect.Scope{Delivery: "d1", Call: "lgtm/0.0"})
	for _, body := range []string{"one", "two"} {
		if _, err := c.CreateComment(first, "demo", "hello", 1, body); err != nil {
			t.Fatal(err)
		}
	}
	replay := effect.With(context.Background(), &effect.Scope{Delivery: "d1", Call: "lgtm/0.0", Replay: true})
	for _, body := range []string{"one", "two", "three"} {
		cm, err := c.CreateComment(replay, "demo", "hello", 1, body)
		if err != nil || cm.Body != body {
			t.Fatalf("replayed comment %q: %+v, %v", body, cm, err)
		}
	}
	// Another delivery's comment with the same text is its own.
	other := effect.With(context.Background(), &effect.Scope{Delivery: "d2", Call: "lgtm/0.0", Replay: true})
	if _, err := c.CreateComment(other, "demo", "hello", 1, "one"); err != nil {
		t.Fatal(err)
	}
	got, err := c.ListIssueComments(context.Background(), "demo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, cm := range got {
		bodies = append(bodies, cm.Body)
	}
	if strings.Join(bodies, ",") != "one,two,three,one" {
		t.Fatalf("comments %q, want one,two,three,one", bodies)
	}
	// On GitHub the marker is hidden in the comment.
	req, _ := http.NewRequest(http.MethodGet, url+"/api/v3/repos/demo/hello/issues/1/comments", nil)
	req.Header.Set("Authorization", "token author-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(raw), `<!-- prow-effect: d1/lgtm/0.0/comment0 -->`) {
		t.Errorf("the stored comment lacks its marker: %s", raw)
	}
}
