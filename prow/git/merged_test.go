package git

import (
	"context"
	"strings"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

func TestMergedFilesMergesHeadsIntoTheBase(t *testing.T) {
	seeded := seed.New().User("alice", "t").Members("alice").
		Files(sandbox.FileChanges{".prow.yaml": "base\n", "README.md": "hi\n", ".prow/a.yaml": "a\n"}).Seed()
	srv, remote := serveSandbox(t, seeded)
	ctx := context.Background()
	push := func(branch string, files sandbox.FileChanges) string {
		sha, err := srv.PushToBranch(ctx, "demo/hello", branch, sandbox.Push{Files: files, Base: "main", Author: "alice"})
		if err != nil {
			t.Fatal(err)
		}
		return sha
	}
	base := push("main", sandbox.FileChanges{"base.txt": "1\n"})
	one := push("one", sandbox.FileChanges{".prow.yaml": "one\n"})
	two := push("two", sandbox.FileChanges{".prow/b.yaml": "b\n"})
	clash := push("clash", sandbox.FileChanges{".prow.yaml": "clash\n"})
	c := &Client{CacheDir: t.TempDir(), RemoteURL: remote}

	cases := []struct {
		name    string
		heads   []string
		want    string // path=content, sorted
		wantErr string
	}{
		{"the base alone", nil, ".prow.yaml=base .prow/a.yaml=a", ""},
		{"a head's change wins", []string{one}, ".prow.yaml=one .prow/a.yaml=a", ""},
		{"every head of a batch is merged in order", []string{one, two}, ".prow.yaml=one .prow/a.yaml=a .prow/b.yaml=b", ""},
		{"heads that conflict are an error", []string{one, clash}, "", "merge"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files, err := c.MergedFiles(ctx, "demo", "hello", base, tc.heads, ".prow.yaml", ".prow")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one about %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range []string{".prow.yaml", ".prow/a.yaml", ".prow/b.yaml", "README.md"} {
				if data, ok := files[p]; ok {
					got = append(got, p+"="+strings.TrimSpace(string(data)))
				}
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("files %v, want %s", got, tc.want)
			}
		})
	}
}
