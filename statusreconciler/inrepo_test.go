package statusreconciler

import (
	"context"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/inrepo"
	"github.com/prowbot/prow/jobs/memstore"
	"github.com/prowbot/prow/prow/git"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/ghclient"
	"github.com/prowbot/prow/test/seed"
	"github.com/prowbot/prow/test/testlog"
)

func TestReconcileKeepsTheContextsOfInRepoJobs(t *testing.T) {
	ctx := context.Background()
	lintYAML := "presubmits:\n- name: lint\n  spec: {containers: [{image: x}]}\n"
	s := seed.New().Bot("the-bot", "bot-token").User("member", "member-token").Members("member").
		Pull("member", "Move lint into .prow.yaml", sandbox.FileChanges{".prow.yaml": lintYAML}).
		Pull("member", "Another change", sandbox.FileChanges{"a.go": "a\n"}).
		Pull("member", "Break .prow.yaml", sandbox.FileChanges{".prow.yaml": "presubmits: [\n"}).Seed()
	_, ts := seed.Serve(t, s)
	gh := ghclient.New(t, ts.URL, "bot-token")
	gitClient := &git.Client{CacheDir: t.TempDir(), RemoteURL: func(org, repo string) string { return ts.URL + "/" + org + "/" + repo + ".git" }}

	heads := map[int]string{}
	for n := 1; n <= 3; n++ {
		pr, err := gh.GetPullRequest(ctx, "demo", "hello", n)
		if err != nil {
			t.Fatal(err)
		}
		heads[n] = pr.HeadSHA
		if err := gh.CreateStatus(ctx, "demo", "hello", pr.HeadSHA, github.Status{Context: "lint", State: "failure", Description: "Job failed."}); err != nil {
			t.Fatal(err)
		}
	}
	enable := func(c *config.Config) *config.Config {
		on := true
		c.InRepoConfig = config.InRepoConfig{Enabled: map[string]*bool{"demo": &on}, AllowedClusters: map[string][]string{"*": {"default"}}}
		return c
	}
	// lint leaves the central configuration.
	old := enable(configOf(job("unit", nil), job("lint", nil)))
	next := enable(configOf(job("unit", nil)))
	r := &Reconciler{GitHub: gh, Jobs: memstore.New(), Logger: testlog.Discard(), InRepo: inrepo.New(gitClient, 0),
		BotLogin: func(context.Context) (string, error) { return "the-bot", nil }}
	if err := r.Reconcile(ctx, old, next); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		pr   int
		want string
	}{
		{"a pull request whose .prow.yaml has lint keeps its status", 1, "failure"},
		{"one without has it retired", 2, "success"},
		{"one whose .prow.yaml is broken is left alone", 3, "failure"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			all, err := gh.ListStatuses(ctx, "demo", "hello", heads[tc.pr])
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, s := range all {
				if s.Context == "lint" && got == "" {
					got = s.State
				}
			}
			if got != tc.want {
				t.Errorf("lint on #%d: %s, want %s", tc.pr, got, tc.want)
			}
		})
	}
}
