package git

import (
	"context"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

// serveSandbox serves the sandbox GitHub seeded with s until the test
// ends; remote is where its repositories are cloned from.
func serveSandbox(t *testing.T, s *sandbox.Seed) (srv *sandbox.Server, remote func(org, repo string) string) {
	t.Helper()
	srv, ts := seed.Serve(t, s)
	return srv, func(org, repo string) string { return ts.URL + "/" + org + "/" + repo + ".git" }
}

func TestFilesFromASandboxRepository(t *testing.T) {
	seeded := seed.New().User("alice", "t").Members("alice").
		Files(sandbox.FileChanges{"OWNERS": "approvers: [alice]\n", "pkg/OWNERS": "reviewers: [bob]\n", "main.go": "package main\n"}).Seed()
	_, remote := serveSandbox(t, seeded)
	c := &Client{CacheDir: t.TempDir(), RemoteURL: remote}
	onlyOwners := func(p string) bool { return path.Base(p) == "OWNERS" }
	for i := 0; i < 2; i++ { // the second read comes from the cache
		fsys, err := c.Files(context.Background(), "demo", "hello", "main", onlyOwners)
		if err != nil {
			t.Fatal(err)
		}
		data, err := fs.ReadFile(fsys, "pkg/OWNERS")
		if err != nil || string(data) != "reviewers: [bob]\n" {
			t.Fatalf("pkg/OWNERS = %q, %v", data, err)
		}
		if _, err := fs.ReadFile(fsys, "main.go"); err == nil {
			t.Fatal("files not kept must not be read")
		}
	}
	if _, err := c.Files(context.Background(), "demo", "missing", "main", onlyOwners); err == nil {
		t.Error("a repository that does not exist should fail")
	}
}

func TestPrivateRepositoryNeedsCredentials(t *testing.T) {
	seed := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: "bot", Token: "bot-token"}},
		Orgs:  []sandbox.SeedOrg{{Login: "corp", Members: []string{"bot"}}},
		Repos: []sandbox.SeedRepo{{Name: "corp/secret", Private: true, Files: map[string]string{"OWNERS": "approvers: [bot]\n"}}},
	}
	_, remote := serveSandbox(t, seed)
	keep := func(string) bool { return true }

	anonymous := &Client{CacheDir: t.TempDir(), RemoteURL: remote}
	if _, err := anonymous.Files(context.Background(), "corp", "secret", "main", keep); err == nil {
		t.Fatal("a private repository must not be readable without credentials")
	}
	dir := t.TempDir()
	withToken := &Client{CacheDir: dir, RemoteURL: remote, Credentials: func(_ context.Context, org string) (string, string, error) {
		if org != "corp" {
			t.Errorf("credentials asked for %q", org)
		}
		return "x-access-token", "bot-token", nil
	}}
	fsys, err := withToken.Files(context.Background(), "corp", "secret", "main", keep)
	if err != nil {
		t.Fatal(err)
	}
	if data, err := fs.ReadFile(fsys, "OWNERS"); err != nil || string(data) != "approvers: [bot]\n" {
		t.Fatalf("OWNERS = %q, %v", data, err)
	}
	cfg, err := os.ReadFile(filepath.Join(dir, "corp", "secret.git", "config"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(cfg), "bot-token") || strings.Contains(string(cfg), "Authorization") {
		t.Errorf("the credentials were written into the clone's config:\n%s", cfg)
	}
}
