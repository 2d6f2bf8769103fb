package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/hook"
	"github.com/prowbot/prow/hook/journal"
)

func TestPhonySendsASignedWebhookHookAccepts(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "hmac")
	if err := os.WriteFile(secretFile, []byte("kubernetes:\n- value: old\n  created_at: 2020-01-01T00:00:00Z\n- value: new\n  created_at: 2024-01-01T00:00:00Z\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	secrets, err := hook.LoadSecretFile(secretFile)
	if err != nil {
		t.Fatal(err)
	}
	j, _, err := journal.Open(journal.Options{Dir: filepath.Join(dir, "journal"), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	handled := make(chan string, 1)
	srv, err := hook.NewServer(hook.ServerOptions{Secrets: secrets.Secrets, Journal: j,
		Handler: func(_ context.Context, rec journal.Record) { handled <- rec.Event }})
	if err != nil {
		t.Fatal(err)
	}
	srv.Run(context.Background())
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer func() { _ = srv.Stop(context.Background()) }()

	payload := filepath.Join("..", "..", "test", "testdata", "prow", "phony", "examples", "test_comment.json")
	out, stderr, code := runProw(t, "phony", "--address", ts.URL, "--hmac-secret-file", secretFile, "--event", "issue_comment", "--payload", payload)
	if code != 0 || !strings.Contains(out, "200 OK Event received") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	select {
	case ev := <-handled:
		if ev != "issue_comment" {
			t.Errorf("handled %q", ev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the delivery was not handled")
	}

	// A refused delivery is an error.
	other := filepath.Join(dir, "other")
	if err := os.WriteFile(other, []byte("wrong-secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, code = runProw(t, "phony", "--address", ts.URL, "--hmac-secret-file", other, "--event", "issue_comment", "--payload", payload)
	if code == 0 || !strings.Contains(out, "403") {
		t.Errorf("a wrong secret should fail: exit %d, %q", code, out)
	}
}

func TestPhonyAndHookNeedTheirFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"phony"}, "missing --event, --payload, --hmac-secret-file"},
		{[]string{"hook"}, "--config-path is required"},
		{[]string{"hook", "--config-path", "c", "--plugin-config", "p", "--max-connections", "-1"}, "--max-connections must be 0 (no cap) or more"},
		{[]string{"hook", "--config-path", "c", "--plugin-config", "p", "--journal-dir", "j", "--workers", "0"}, "--workers must be at least 1"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, stderr, code := runProw(t, tc.args...)
			if code == 0 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q, want %q", code, stderr, tc.want)
			}
		})
	}
}
