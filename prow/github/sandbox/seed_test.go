package sandbox_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/testlog"
)

func TestSeedErrorsNameTheFileAndWhatIsWrong(t *testing.T) {
	const users = "users: [{login: a, token: t1}, {login: b}]\n"
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"a YAML syntax error", "users: [\n", []string{"yaml: line"}},
		{"an unknown field", users + "repoz: []\n", []string{`unknown field "repoz"`}},
		{"a repo that is not owner/name", users + "repos: [{name: nope}]\n", []string{`repos[0]: repo "nope" is not owner/name`}},
		{"an unknown owner", users + "repos: [{name: ghost/r}]\n", []string{`repos[0] (ghost/r): owner "ghost" is neither an org nor a user`}},
		{"an unknown collaborator", users + "repos: [{name: a/r, collaborators: {ghost: write}}]\n", []string{`collaborator "ghost" is not a user of the seed`}},
		{"an unknown permission", users + "repos: [{name: a/r, collaborators: {b: owner}}]\n", []string{`collaborator b has permission "owner"; use admin, maintain, write, triage or read`}},
		{"a bad label color", users + "repos: [{name: a/r, labels: [{name: x, color: red}]}]\n", []string{`label "x": color "red" is not six hex digits`}},
		{"a file path leaving the repository", users + "repos: [{name: a/r, files: {main: {../x: x}}}]\n", []string{`path "../x" has an empty, ., .. or .git element`}},
		{"file content YAML does not read as text", users + "repos: [{name: a/r, files: {main: {VERSION: 1.0}}}]\n", []string{`file VERSION: its content 1 is not text; quote it`}},
		{"a pull request on an unknown repo", users + "pulls: [{repo: a/missing, author: a, title: t}]\n", []string{`pulls[0] (a/missing "t"): repo "a/missing" is not a repo of the seed`}},
		{"a pull request on an unknown base", users + "repos: [{name: a/r}]\npulls: [{repo: a/r, author: a, title: t, base: dev}]\n", []string{`base branch "dev" does not exist in a/r`}},
		{"a pull request whose head exists", users + "repos: [{name: a/r, branches: [dev]}]\npulls: [{repo: a/r, author: a, title: t, head: dev}]\n", []string{`head branch "dev" already exists`}},
		{"an issue reusing a pull request's number", users + "repos: [{name: a/r}]\npulls: [{repo: a/r, number: 1, author: a, title: p}]\nissues: [{repo: a/r, number: 1, author: b, title: i}]\n",
			[]string{`issues[0] (a/r "i"): number 1 is already used by pulls[0]`}},
		{"a bad state", users + "repos: [{name: a/r}]\npulls: [{repo: a/r, author: a, title: t, state: done}]\n", []string{`state "done": use open, closed or merged`}},
		{"a shared token", "users: [{login: a, token: t}, {login: b, token: t}]\n", []string{`users[1] (b): token is also the token of a`}},
		{"a team granting an unknown repo", users + "orgs: [{login: o, teams: [{slug: t, repos: {nope: write}}]}]\n", []string{`teams[0] (t): repo "nope" is not a repo of org o`}},
		{"every problem at once", users + "repos: [{name: a/r, collaborators: {ghost: write, b: boss}}]\n",
			[]string{`collaborator "ghost" is not a user`, `collaborator b has permission "boss"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "seed.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := sandbox.LoadSeed(path)
			if err == nil {
				t.Fatal("the seed was accepted")
			}
			if !strings.Contains(err.Error(), "sandbox seed "+path+": ") {
				t.Errorf("%q does not name the file", err)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not say %q", err, want)
				}
			}
		})
	}
	t.Run("a missing file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "nope.yaml")
		if _, err := sandbox.LoadSeed(path); err == nil || !strings.Contains(err.Error(), "read sandbox seed "+path) {
			t.Errorf("err %v", err)
		}
	})
}

func TestSeedForms(t *testing.T) {
	seed, err := sandbox.ParseSeed([]byte(`
users:
- {login: octo, token: octo-token, bot: true}
- {login: dev, token: dev-token, type: User, site_admin: true}
repos:
- name: octo/app
  default_branch: trunk
  files:
    README.md: "default branch, short form\n"
    old.txt: "to delete\n"
    stable: {STABLE: "yes\n"}
pulls:
- {repo: octo/app, author: dev, title: Cleanup, files: {old.txt: null, empty.txt: ""}}
- {repo: octo/app, author: dev, title: Closed, state: closed}
issues:
- {repo: octo/app, author: dev, title: Third}
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := seed.Pulls[0].Files["old.txt"]; got != sandbox.Deleted {
		t.Errorf("null reads as %q, want sandbox.Deleted", got)
	}
	srv, err := sandbox.New(sandbox.Options{Seed: seed, GitDir: t.TempDir(), Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	e := &env{t: t, srv: srv, v: newValidator(t)}
	base, err := srv.Start(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.url = base
	ctx := context.Background()
	c := e.client("dev-token")
	cases := []struct {
		name string
		got  func() string
		want string
	}{
		{"a text value is a file of the default branch", func() string { return contents(t, c, "README.md", "trunk") }, "default branch, short form\n"},
		{"a map value is a branch off the default branch", func() string { return contents(t, c, "STABLE", "stable") + contents(t, c, "README.md", "stable") }, "yes\ndefault branch, short form\n"},
		{"the default branch is the seed's", func() string {
			return must[*gh.Repository](t)(c.Repositories.Get(ctx, "octo", "app")).GetDefaultBranch()
		}, "trunk"},
		{"bot: true makes a Bot", func() string { return must[*gh.User](t)(c.Users.Get(ctx, "octo")).GetType() }, "Bot"},
		{"site_admin is kept", func() string {
			return map[bool]string{true: "admin"}[must[*gh.User](t)(c.Users.Get(ctx, "dev")).GetSiteAdmin()]
		}, "admin"},
		{"numbers without one are the next free ones", func() string {
			return must[*gh.Issue](t)(c.Issues.Get(ctx, "octo", "app", 3)).GetTitle()
		}, "Third"},
		{"a closed pull request is closed", func() string { return must[*gh.PullRequest](t)(c.PullRequests.Get(ctx, "octo", "app", 2)).GetState() }, "closed"},
		{"null deletes and an empty string is an empty file", func() string {
			var out []string
			for _, f := range must[[]*gh.CommitFile](t)(c.PullRequests.ListFiles(ctx, "octo", "app", 1, nil)) {
				out = append(out, f.GetStatus()+" "+f.GetFilename())
			}
			return strings.Join(out, ", ")
		}, "added empty.txt, removed old.txt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.got(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func contents(t *testing.T, c *gh.Client, path, ref string) string {
	t.Helper()
	f, _, _, err := c.Repositories.GetContents(context.Background(), "octo", "app", path, &gh.RepositoryContentGetOptions{Ref: ref})
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetContent()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTheExampleSeedLoads(t *testing.T) {
	seed, err := sandbox.LoadSeed(filepath.Join("..", "..", "..", "deploy", "example", "sandbox-seed.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sandbox.New(sandbox.Options{Seed: seed, GitDir: t.TempDir(), Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
}
