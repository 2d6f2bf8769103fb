package welcome_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/welcome"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = `plugins:
  demo:
    plugins: [welcome]
welcome:
- repos: [demo/party]
  message_template: "Hi {{.AuthorName}}, thanks for your PR to {{.Repo}}!"
  always_post: true
`

func TestWelcomeThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("newbie", "regular", "member").Members("member").Files(sandbox.FileChanges{"README.md": "hello\n"}).
		Repo(sandbox.SeedRepo{Name: "demo/party", Files: sandbox.FileChanges{"README.md": "party\n"}}).
		PullWith(sandbox.SeedPull{Author: "regular", Title: "Old change", State: "closed", Files: sandbox.FileChanges{"a": "a\n"}}).Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{welcome.New(c)}
	})
	branches := 0
	open := func(who, repo string) int {
		t.Helper()
		branches++
		branch := fmt.Sprintf("%s-%d", who, branches)
		env.Do("", http.MethodPost, "/_sandbox/repos/demo/"+repo+"/push", map[string]any{"branch": branch, "author": who,
			"files": map[string]string{fmt.Sprintf("f%d", branches): "x\n"}}, nil)
		var pr struct{ Number int }
		env.Do(who, http.MethodPost, "/repos/demo/"+repo+"/pulls", map[string]any{"title": "Change by " + who, "head": branch, "base": "main"}, &pr)
		env.Settle()
		return pr.Number
	}
	botComments := func(repo string, n int) []string {
		return env.BotComments("demo", repo, n)
	}
	steps := []struct {
		name, who, repo string
		want            []string
	}{
		{"a newcomer's first pull request is welcomed", "newbie", "hello",
			[]string{"Welcome @newbie! It looks like this is your first PR to demo/hello 🎉"}},
		{"the newcomer's second pull request is not", "newbie", "hello", nil},
		{"someone with an earlier (closed) pull request is not welcomed", "regular", "hello", nil},
		{"an org member is trusted and not welcomed", "member", "hello", nil},
		{"always_post welcomes an org member with the repo's template", "member", "party",
			[]string{"Hi member, thanks for your PR to party!"}},
		{"always_post welcomes every pull request", "member", "party",
			[]string{"Hi member, thanks for your PR to party!"}},
	}
	for _, s := range steps {
		n := open(s.who, s.repo)
		if got := botComments(s.repo, n); fmt.Sprint(got) != fmt.Sprint(s.want) {
			t.Fatalf("%s: %s opened demo/%s#%d, bot said %q, want %q", s.name, s.who, s.repo, n, got, s.want)
		}
	}
}
