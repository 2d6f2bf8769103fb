package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/prowbot/prow/plugins"
)

// Panicker is a plugin that panics on every event it can take, to run
// beside a plugin under test: the dispatcher must contain it, and the
// other plugins must act as if it were not there.
func Panicker(name string) plugins.Plugin {
	return plugins.Plugin{
		Name:           name,
		GenericComment: func(context.Context, plugins.Env, plugins.GenericCommentEvent) error { panic(name + ": comment") },
		PullRequest:    func(context.Context, plugins.Env, plugins.PullRequestEvent) error { panic(name + ": pull request") },
		Issue:          func(context.Context, plugins.Env, plugins.IssueEvent) error { panic(name + ": issue") },
	}
}

// CommentThroughFaults is Comment while the sandbox injects faults: a
// person's request that a fault struck (before GitHub applied it) is sent
// again, as a browser's user would, until it goes through.
func (e *Env) CommentThroughFaults(token, org, repo string, number int, body string) {
	e.t.Helper()
	payload, err := json.Marshal(map[string]string{"body": body})
	must(e.t, err)
	url := fmt.Sprintf("%s/api/v3/repos/%s/%s/issues/%d/comments", e.URL, org, repo, number)
	for try := 0; ; try++ {
		if try == 50 {
			e.t.Fatalf("comment on %s/%s#%d as %s: every try failed", org, repo, number, token)
		}
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(payload))
		must(e.t, err)
		req.Header.Set("Authorization", "token "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode < 300 {
			break
		}
	}
	e.Settle()
}
