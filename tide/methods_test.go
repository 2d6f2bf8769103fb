package tide

import (
	"strings"
	"testing"

	"github.com/prowbot/prow/config"
)

func TestRepoMethod(t *testing.T) {
	tide := &config.Tide{MergeType: map[string]config.TideOrgMergeType{
		"o/squashed": {MergeType: "squash"},
		"o":          {MergeType: "rebase"},
		"p": {Repos: map[string]config.TideRepoMergeType{
			"r":        {Branches: map[string]string{"^release-": "squash", "^main$": "rebase"}},
			"squashed": {MergeType: "squash"},
		}},
	}}
	for _, tc := range []struct{ org, repo, branch, want string }{
		{"o", "squashed", "main", "squash"},
		{"o", "other", "main", "rebase"},
		{"p", "r", "release-1.0", "squash"},
		{"p", "r", "main", "rebase"},
		{"p", "r", "dev", "merge"},
		{"p", "squashed", "dev", "squash"},
		{"q", "r", "main", "merge"},
	} {
		t.Run(tc.org+"/"+tc.repo+":"+tc.branch, func(t *testing.T) {
			got, err := RepoMethod(tide, tc.org, tc.repo, tc.branch)
			if err != nil || got != tc.want {
				t.Errorf("RepoMethod = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestPRMethod(t *testing.T) {
	tide := &config.Tide{SquashLabel: "tide/squash", RebaseLabel: "tide/rebase", MergeLabel: "tide/merge"}
	for _, tc := range []struct {
		name     string
		labels   []string
		want     string
		conflict bool
	}{
		{"no override label", []string{"lgtm"}, "merge", false},
		{"squash label", []string{"tide/squash"}, "squash", false},
		{"rebase label", []string{"tide/rebase"}, "rebase", false},
		{"two override labels conflict", []string{"tide/rebase", "tide/squash"}, "merge", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, conflict := prMethod(tide, PR{Labels: tc.labels}, "merge")
			if got != tc.want || conflict != tc.conflict {
				t.Errorf("prMethod = %q, %v; want %q, %v", got, conflict, tc.want, tc.conflict)
			}
		})
	}
}

func TestCommitMessage(t *testing.T) {
	pr := PR{Org: "o", Repo: "r", Number: 7, Title: "Fix it", Body: "Details", Author: "bob", HeadRef: "fix"}
	for _, tc := range []struct {
		name                string
		tmpl                map[string]config.TideMergeCommitTemplate
		wantTitle, wantBody string
		wantErr             string
	}{
		{"no template lets GitHub choose", nil, "", "", ""},
		{"repo template", map[string]config.TideMergeCommitTemplate{"o/r": {TitleTemplate: "{{.Title}} (#{{.Number}})", BodyTemplate: "by {{.Author.Login}} from {{.HeadRefName}}"}},
			"Fix it (#7)", "by bob from fix", ""},
		{"org template", map[string]config.TideMergeCommitTemplate{"o": {BodyTemplate: "{{.Body}}"}}, "", "Details", ""},
		{"a template that does not parse", map[string]config.TideMergeCommitTemplate{"o": {TitleTemplate: "{{.Title"}}, "", "", "merge_commit_template title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			title, body, err := CommitMessage(&config.Tide{MergeTemplate: tc.tmpl}, pr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || title != tc.wantTitle || body != tc.wantBody {
				t.Errorf("CommitMessage = %q, %q, %v; want %q, %q", title, body, err, tc.wantTitle, tc.wantBody)
			}
		})
	}
}
