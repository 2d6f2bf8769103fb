package lifecycle_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/test/harness"
)

// TestCommandsThatMustDoNothing posts comments that look like commands but
// must not change the pull request: each case checks labels and jobs are
// as before.
func TestCommandsThatMustDoNothing(t *testing.T) {
	l := start(t)
	l.pr = l.env.OpenPull("member", "demo", "hello", "feature", "main", "Add a greeting", map[string]string{"hello.go": "package hello // x\n"})
	commentsPath := fmt.Sprintf("/repos/demo/hello/issues/%d/comments", l.pr)
	post := func(user, body string) int64 {
		var c struct {
			ID int64 `json:"id"`
		}
		l.env.Do(user, http.MethodPost, commentsPath, map[string]string{"body": body}, &c)
		l.env.Settle()
		return c.ID
	}

	for _, tc := range []struct {
		name string
		do   func()
	}{
		{"a quoted command", func() { post("reviewer", "> /lgtm\n> /approve\n> /hold\nquoting someone") }},
		{"commands in a fenced code block", func() { post("approver", "```\n/lgtm\n/approve\n/hold\n/test all\n```") }},
		{"commands in indented code", func() { post("approver", "example:\n\n    /approve\n    /hold") }},
		{"commands in an HTML comment", func() { post("approver", "<!--\n/approve\n/hold\n-->") }},
		{"a command mid-sentence", func() { post("approver", "please /approve this") }},
		{"the bot's own comment", func() { post(harness.BotToken, "/lgtm\n/approve\n/hold\n/test all") }},
		{"a comment edited into a command", func() {
			id := post("reviewer", "looks fine")
			l.env.Do("reviewer", http.MethodPatch, fmt.Sprintf("/repos/demo/hello/issues/comments/%d", id), map[string]string{"body": "/lgtm"}, nil)
			l.env.Settle()
		}},
		{"a deleted command comment", func() {
			id := post("newcomer", "/lgtm\n/approve\n/ok-to-test cancel")
			l.env.Do("newcomer", http.MethodDelete, fmt.Sprintf("/repos/demo/hello/issues/comments/%d", id), nil, nil)
			l.env.Settle()
		}},
		{"a user who is not a collaborator", func() { post("newcomer", "/lgtm\n/approve\n/ok-to-test cancel") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			labels, runs := l.labels(), len(l.runs())
			tc.do()
			if got := l.labels(); !reflect.DeepEqual(got, labels) {
				t.Errorf("labels changed from %v to %v", labels, got)
			}
			if got := len(l.runs()); got != runs {
				t.Errorf("jobs went from %d to %d", runs, got)
			}
		})
	}

	t.Run("commands on a closed pull request", func(t *testing.T) {
		l.env.Do("approver", http.MethodPatch, fmt.Sprintf("/repos/demo/hello/pulls/%d", l.pr), map[string]string{"state": "closed"}, nil)
		l.env.Settle()
		labels, runs := l.labels(), len(l.runs())
		post("reviewer", "/lgtm")
		post("approver", "/approve")
		post("member", "/test all\n/retest")
		if got := l.labels(); !reflect.DeepEqual(got, labels) {
			t.Errorf("labels changed from %v to %v", labels, got)
		}
		if got := len(l.runs()); got != runs {
			t.Errorf("jobs went from %d to %d", runs, got)
		}
		if strings.Contains(l.lastBotComment(), "APPROVED") {
			t.Errorf("the closed PR got an approval notification: %q", l.lastBotComment())
		}
	})
}
