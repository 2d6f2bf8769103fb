package needsrebase_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/needsrebase"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/ghclient"
	"github.com/prowbot/prow/test/testlog"
)

// fakeGitHub answers a pull request's reads with the mergeable values
// given, one per read (the last repeating), and records the writes.
type fakeGitHub struct {
	mu        sync.Mutex
	mergeable []any
	reads     int
	writes    []string
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/api/v3")
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodGet && path == "/repos/o/r/pulls/1":
		m := f.mergeable[min(f.reads, len(f.mergeable)-1)]
		f.reads++
		_ = json.NewEncoder(w).Encode(map[string]any{"number": 1, "state": "open", "user": map[string]any{"login": "bob"},
			"head": map[string]any{"sha": "h1"}, "labels": []any{}, "mergeable": m})
	case r.Method == http.MethodGet && path == "/repos/o/r/issues/1/comments":
		_, _ = w.Write([]byte("[]"))
	case r.Method == http.MethodPost && path == "/repos/o/r/issues/1/comments":
		f.writes = append(f.writes, "comment")
		_, _ = w.Write([]byte(`{"id": 1, "body": "x"}`))
	case r.Method == http.MethodPost && path == "/repos/o/r/issues/1/labels":
		f.writes = append(f.writes, "label")
		_, _ = w.Write([]byte("[]"))
	default:
		http.Error(w, `{"message": "Not Found"}`, http.StatusNotFound)
	}
}

func TestUnknownMergeabilityIsAskedAgain(t *testing.T) {
	for _, tc := range []struct {
		name       string
		eventHead  string
		mergeable  []any
		wantReads  int
		wantWrites string
	}{
		{"known at once: one read", "h1", []any{false}, 1, "comment label"},
		{"unknown, then conflicting: read again, then marked", "h1", []any{nil, false}, 2, "comment label"},
		{"unknown every time: left alone after the attempts", "h1", []any{nil}, 3, ""},
		{"unknown, then mergeable: nothing to clear", "h1", []any{nil, nil, true}, 3, ""},
		{"an event for an older head: skipped", "h0", []any{false}, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeGitHub{mergeable: tc.mergeable}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			client := ghclient.New(t, srv.URL, "t")
			p := needsrebase.NewWithOptions(client, needsrebase.Options{Attempts: 3, Wait: time.Millisecond})
			ev := plugins.PullRequestEvent{Repo: plugins.Repo{Org: "o", Name: "r"}, Action: "synchronize",
				PR: github.PullRequest{Number: 1, State: "open", HeadSHA: tc.eventHead}}
			if err := p.PullRequest(context.Background(), plugins.Env{Log: testlog.Discard(), BotLogin: "the-bot"}, ev); err != nil {
				t.Fatal(err)
			}
			fake.mu.Lock()
			defer fake.mu.Unlock()
			if fake.reads != tc.wantReads || strings.Join(fake.writes, " ") != tc.wantWrites {
				t.Errorf("%d reads, writes %q; want %d and %q", fake.reads, fake.writes, tc.wantReads, tc.wantWrites)
			}
		})
	}
}
