package welcome

import (
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
)

func TestShouldWelcome(t *testing.T) {
	cases := []struct {
		name string
		s    Situation
		want bool
	}{
		{"a first pull request not yet indexed is welcomed", Situation{Number: 7, Author: "newbie"}, true},
		{"a first pull request found by the search is welcomed", Situation{Number: 7, Author: "newbie", Found: []int{7}}, true},
		{"an earlier pull request means no welcome", Situation{Number: 7, Author: "regular", Found: []int{3}}, false},
		{"two pull requests mean no welcome", Situation{Number: 7, Author: "regular", Found: []int{3, 7}}, false},
		{"a trusted author is not welcomed", Situation{Number: 7, Author: "member", Trusted: true}, false},
		{"always_post welcomes a trusted author", Situation{Number: 7, Author: "member", Trusted: true, AlwaysPost: true}, true},
		{"always_post welcomes a regular", Situation{Number: 7, Author: "regular", Found: []int{1, 2, 7}, AlwaysPost: true}, true},
		{"the bot itself is never welcomed", Situation{Number: 7, Author: "The-Bot", BotLogin: "the-bot", AlwaysPost: true}, false},
		{"a GitHub App is never welcomed", Situation{Number: 7, Author: "dependabot[bot]", BotLogin: "the-bot"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ShouldWelcome(tc.s); got != tc.want {
				t.Errorf("ShouldWelcome(%+v) = %v, want %v", tc.s, got, tc.want)
			}
		})
	}
}

func TestMessage(t *testing.T) {
	info := PRInfo{Org: "demo", Repo: "hello", AuthorLogin: "newbie", AuthorName: "New Bie"}
	cases := []struct {
		name    string
		cfg     pluginconfig.Welcome
		want    string
		wantErr string
	}{
		{"no template gives Prow's default", pluginconfig.Welcome{},
			"Welcome @newbie! It looks like this is your first PR to demo/hello 🎉", ""},
		{"a configured template sees every field", pluginconfig.Welcome{MessageTemplate: "Hi {{.AuthorName}} (@{{.AuthorLogin}}) in {{.Org}}/{{.Repo}}"},
			"Hi New Bie (@newbie) in demo/hello", ""},
		{"markup is not escaped", pluginconfig.Welcome{MessageTemplate: "<b>{{.AuthorLogin}}</b> & co"}, "<b>newbie</b> & co", ""},
		{"an unknown field is an error", pluginconfig.Welcome{MessageTemplate: "{{.Nope}}"}, "", "render welcome template"},
		{"a broken template is an error", pluginconfig.Welcome{MessageTemplate: "{{.Org"}, "", "parse welcome template"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Message(Template(tc.cfg), info)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("Message = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestConfigHelpShowsEachRepoTemplate(t *testing.T) {
	cfg := &pluginconfig.Configuration{Welcome: []pluginconfig.Welcome{{Repos: []string{"demo/party"}, MessageTemplate: "Hi!"}}}
	got := configHelp(cfg, []string{"demo/party", "demo/hello"})
	if !strings.HasSuffix(got["demo/party"], "Hi!") || !strings.HasSuffix(got["demo/hello"], DefaultTemplate) {
		t.Errorf("configHelp = %v", got)
	}
}
