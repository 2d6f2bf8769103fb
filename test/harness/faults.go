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

// CommentThroughFaults is Comment while the sandbox injects faults.
func (e *Env) CommentThroughFaults(token, org, repo string, number int, body string) {
	e.t.Helper()
	e.DoThroughFaults(token, http.MethodPost, fmt.Sprintf("/repos/%s/%s/issues/%d/comments", org, repo, number), map[string]string{"body": body})
	e.Settle()
}

// DoThroughFaults is Do while the sandbox injects faults: a person's
// request that a fault struck (before GitHub applied it) is sent again,
// as a browser's user would, until it goes through.
func (e *Env) DoThroughFaults(token, method, path string, body any) {
	e.t.Helper()
	payload, err := json.Marshal(body)
	must(e.t, err)
	for try := 0; ; try++ {
		if try == 50 {
			e.t.Fatalf("%s %s as %s: every try failed", method, path, token)
		}
		req, err := http.NewRequest(method, e.URL+"/api/v3"+path, bytes.NewReader(payload))
		must(e.t, err)
		req.Header.Set("Authorization", "token "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode < 300 {
			return
		}
	}
}
