package git

import (
	"context"
	"io/fs"
	"net/http/httptest"
	"path"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
)

func TestFilesFromASandboxRepository(t *testing.T) {
	seed := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: "alice", Token: "t"}},
		Orgs:  []sandbox.SeedOrg{{Login: "demo", Members: []string{"alice"}}},
		Repos: []sandbox.SeedRepo{{Name: "demo/hello", Files: map[string]string{"OWNERS": "approvers: [alice]\n", "pkg/OWNERS": "reviewers: [bob]\n", "main.go": "package main\n"}}},
	}
	srv, err := sandbox.New(sandbox.Options{Seed: seed, GitDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	defer srv.Close()
	c := &Client{CacheDir: t.TempDir(), RemoteURL: func(org, repo string) string { return ts.URL + "/" + org + "/" + repo + ".git" }}
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
