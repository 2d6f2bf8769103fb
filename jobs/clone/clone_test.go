package clone

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

// world is a sandbox GitHub with a public repository demo/hello with
// one pull request, and a private corp/secret.
type world struct {
	url  string
	shas map[string]string // "org/repo ref" → SHA
}

func newWorld(t *testing.T) *world {
	t.Helper()
	seeded := seed.New().User("alice", "alice-token").User("bot", "bot-token").Members("alice").
		Files(sandbox.FileChanges{"README.md": "hello\n"}).
		Org(sandbox.SeedOrg{Login: "corp", Members: []string{"bot"}}).
		Repo(sandbox.SeedRepo{Name: "corp/secret", Private: true, Files: sandbox.FileChanges{"SECRET.md": "shh\n"}}).
		Pull("alice", "Add a file", sandbox.FileChanges{"added.txt": "from the PR\n"}).Seed()
	_, ts := seed.Serve(t, seeded)
	w := &world{url: ts.URL, shas: map[string]string{}}
	for _, repo := range []string{"demo/hello", "corp/secret"} {
		out := gitOut(t, "", "ls-remote", "http://x:bot-token@"+strings.TrimPrefix(ts.URL, "http://")+"/"+repo+".git")
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			sha, ref, _ := strings.Cut(line, "\t")
			w.shas[repo+" "+ref] = sha
		}
	}
	return w
}

func (w *world) remote(org, repo string) string { return w.url + "/" + org + "/" + repo + ".git" }

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("git %v: %v: %s", args, err, ee.Stderr)
		}
		t.Fatalf("git %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

func botCredentials(_ context.Context, org string) (string, string, error) {
	if org != "corp" {
		return "", "", nil
	}
	return "x-access-token", "bot-token", nil
}

func TestClone(t *testing.T) {
	w := newWorld(t)
	base, head := w.shas["demo/hello refs/heads/main"], w.shas["demo/hello refs/pull/1/head"]
	if base == "" || head == "" {
		t.Fatalf("sandbox refs: %v", w.shas)
	}
	host := strings.TrimPrefix(w.url, "http://")
	for _, tc := range []struct {
		name   string
		cloner *Cloner
		refs   []prowapi.Refs
		check  func(t *testing.T, root string, recs []Record)
	}{
		{
			name:   "a pull request is merged onto its base",
			cloner: &Cloner{RemoteURL: w.remote},
			refs:   []prowapi.Refs{{Org: "demo", Repo: "hello", BaseRef: "main", BaseSHA: base, Pulls: []prowapi.Pull{{Number: 1, SHA: head}}}},
			check: func(t *testing.T, root string, recs []Record) {
				mustSucceed(t, recs)
				dir := filepath.Join(root, "src", host, "demo", "hello")
				for _, f := range []string{"README.md", "added.txt"} {
					if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
						t.Errorf("%s is not checked out: %v", f, err)
					}
				}
				if parents := gitOut(t, dir, "show", "-s", "--format=%P", "HEAD"); parents != base+" "+head {
					t.Errorf("HEAD's parents = %q, want the base and the pull request", parents)
				}
				if got := gitOut(t, dir, "rev-parse", "HEAD"); recs[0].FinalSHA != got {
					t.Errorf("final SHA %q, HEAD %q", recs[0].FinalSHA, got)
				}
				if br := gitOut(t, dir, "rev-parse", "--abbrev-ref", "HEAD"); br != "main" {
					t.Errorf("on branch %q, want main", br)
				}
				if !hasCommand(recs[0], "git merge --no-ff "+head) || !hasCommand(recs[0], "git fetch --tags "+w.remote("demo", "hello")+" main") {
					t.Errorf("commands: %+v", recs[0].Commands)
				}
				again := (&Cloner{RemoteURL: w.remote}).Clone(context.Background(), t.TempDir(), []prowapi.Refs{recs[0].Refs})
				if again[0].FinalSHA != recs[0].FinalSHA {
					t.Errorf("a second clone merged to %s, the first to %s", again[0].FinalSHA, recs[0].FinalSHA)
				}
			},
		},
		{
			name:   "a base ref that does not exist fails with a clear record",
			cloner: &Cloner{RemoteURL: w.remote},
			refs:   []prowapi.Refs{{Org: "demo", Repo: "hello", BaseRef: "no-such-branch"}},
			check: func(t *testing.T, _ string, recs []Record) {
				if !recs[0].Failed || recs[0].FinalSHA != "" {
					t.Fatalf("record: %+v", recs[0])
				}
				last := recs[0].Commands[len(recs[0].Commands)-1]
				if !strings.Contains(last.Command, "no-such-branch") || last.Error == "" || !strings.Contains(last.Output, "no-such-branch") {
					t.Errorf("last command: %+v", last)
				}
				err := Failed(recs)
				if err == nil || !strings.Contains(err.Error(), "clone of demo/hello at no-such-branch failed: git fetch") {
					t.Errorf("Failed = %v", err)
				}
				if log := FormatRecords(recs); !strings.HasPrefix(log, "# FAILED!\n# Cloning demo/hello at no-such-branch\n") || !strings.Contains(log, "# Error: exit status") {
					t.Errorf("clone log:\n%s", log)
				}
			},
		},
		{
			name:   "a pull request that does not exist fails",
			cloner: &Cloner{RemoteURL: w.remote},
			refs:   []prowapi.Refs{{Org: "demo", Repo: "hello", BaseRef: "main", Pulls: []prowapi.Pull{{Number: 99}}}},
			check: func(t *testing.T, _ string, recs []Record) {
				if err := Failed(recs); err == nil || !strings.Contains(err.Error(), "pull/99/head") {
					t.Errorf("Failed = %v", err)
				}
			},
		},
		{
			name:   "a private repository is cloned with credentials that stay out of the records and the clone",
			cloner: &Cloner{RemoteURL: w.remote, Credentials: botCredentials},
			refs:   []prowapi.Refs{{Org: "corp", Repo: "secret", BaseRef: "main"}},
			check: func(t *testing.T, root string, recs []Record) {
				mustSucceed(t, recs)
				dir := filepath.Join(root, "src", host, "corp", "secret")
				if _, err := os.Stat(filepath.Join(dir, "SECRET.md")); err != nil {
					t.Error(err)
				}
				assertNoSecret(t, recs, dir)
			},
		},
		{
			name:   "a private repository without credentials fails",
			cloner: &Cloner{RemoteURL: w.remote},
			refs:   []prowapi.Refs{{Org: "corp", Repo: "secret", BaseRef: "main"}},
			check: func(t *testing.T, _ string, recs []Record) {
				if !recs[0].Failed {
					t.Error("cloned a private repository anonymously")
				}
			},
		},
		{
			name:   "a token in the clone URL is censored from the records",
			cloner: &Cloner{RemoteURL: func(org, repo string) string { return "http://x:bot-token@" + host + "/" + org + "/" + repo + ".git" }},
			refs:   []prowapi.Refs{{Org: "corp", Repo: "secret", BaseRef: "main"}, {Org: "corp", Repo: "secret", BaseRef: "nope", PathAlias: "example.com/nope"}},
			check: func(t *testing.T, root string, recs []Record) {
				if recs[0].Failed || !recs[1].Failed {
					t.Fatalf("records: %+v", recs)
				}
				assertNoSecret(t, recs, filepath.Join(root, "src", host, "corp", "secret"))
				if !hasCommand(recs[0], "git fetch --tags http://CENSORED@"+host+"/corp/secret.git main") {
					t.Errorf("commands: %+v", recs[0].Commands)
				}
			},
		},
		{
			name:   "extra refs go to their path alias, shallow and without submodules",
			cloner: &Cloner{RemoteURL: w.remote},
			refs: []prowapi.Refs{
				{Org: "demo", Repo: "hello", BaseRef: "main", PathAlias: "k8s.io/hello", CloneDepth: 1, SkipSubmodules: true},
				{Org: "demo", Repo: "hello", BaseRef: "main", BaseSHA: base, PathAlias: "example.com/other"},
			},
			check: func(t *testing.T, root string, recs []Record) {
				mustSucceed(t, recs)
				dir := filepath.Join(root, "src", "k8s.io", "hello")
				if gitOut(t, dir, "rev-parse", "--is-shallow-repository") != "true" {
					t.Error("clone_depth 1 did not make a shallow clone")
				}
				if hasCommand(recs[0], "git submodule update --init --recursive") || !hasCommand(recs[1], "git submodule update --init --recursive") {
					t.Error("skip_submodules is not honored")
				}
				if recs[1].FinalSHA != base {
					t.Errorf("the second refs are at %s, want %s", recs[1].FinalSHA, base)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			recs := tc.cloner.Clone(context.Background(), root, tc.refs)
			if len(recs) != len(tc.refs) {
				t.Fatalf("%d records for %d refs", len(recs), len(tc.refs))
			}
			tc.check(t, root, recs)
		})
	}
}

func mustSucceed(t *testing.T, recs []Record) {
	t.Helper()
	if err := Failed(recs); err != nil {
		t.Fatalf("%v\n%s", err, FormatRecords(recs))
	}
}

func hasCommand(r Record, command string) bool {
	for _, c := range r.Commands {
		if c.Command == command {
			return true
		}
	}
	return false
}

func assertNoSecret(t *testing.T, recs []Record, dir string) {
	t.Helper()
	data, err := json.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(dir, ".git", "config"))
	if err != nil {
		t.Fatal(err)
	}
	for what, text := range map[string]string{"records": string(data), "clone log": FormatRecords(recs), "git config": string(cfg)} {
		for _, secret := range []string{"bot-token", "Authorization", "eC1hY2Nlc3MtdG9rZW46Ym90LXRva2Vu"} {
			if strings.Contains(text, secret) {
				t.Errorf("the %s hold %q:\n%s", what, secret, text)
			}
		}
	}
}

func TestRecordJSONIsProws(t *testing.T) {
	rec := []Record{{Refs: prowapi.Refs{Org: "o", Repo: "r", BaseRef: "main"}, Commands: []Command{{Command: "git init", Output: "ok\n", Duration: 1500}}, FinalSHA: "abc", Duration: 2000}}
	got, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"refs":{"org":"o","repo":"r","base_ref":"main"},"commands":[{"command":"git init","output":"ok\n","duration":1500}],"failed":false,"final_sha":"abc","duration":2000}]`
	if string(got) != want {
		t.Errorf("JSON =\n%s\nwant\n%s", got, want)
	}
}

func TestHost(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"https://github.com/o/r.git", "github.com"},
		{"http://127.0.0.1:8080/o/r.git", "127.0.0.1:8080"},
		{"https://x:token@ghe.example.com/o/r", "ghe.example.com"},
		{"git@gitlab.example.com:o/r.git", "gitlab.example.com"},
		{"/srv/git/o/r.git", "github.com"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			if got := Host(tc.url); got != tc.want {
				t.Errorf("Host = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWorkDirIsTheMarkedRefsElseTheFirst(t *testing.T) {
	c := &Cloner{}
	one, two := prowapi.Refs{Org: "a", Repo: "one"}, prowapi.Refs{Org: "b", Repo: "two"}
	if got := c.WorkDir("/root", []prowapi.Refs{one, two}); got != c.Dir("/root", one) {
		t.Errorf("no refs marked: %s, want the first's directory", got)
	}
	two.WorkDir = true
	if got := c.WorkDir("/root", []prowapi.Refs{one, two}); got != "/root/src/github.com/b/two" {
		t.Errorf("the second marked workdir: %s", got)
	}
}
