// Package ghclient gives tests a GitHub client of a sandbox (or of any
// server speaking its API), so that each test need not write a token file
// and build the client by hand.
package ghclient

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/testlog"
)

// New is a client of the GitHub API at url whose requests carry token,
// read from a file in a temporary directory of the test, its logs
// discarded.
func New(t testing.TB, url, token string) *github.Client {
	t.Helper()
	p := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(p, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := github.NewClient(github.ClientOptions{Endpoint: url, TokenPath: p, Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
