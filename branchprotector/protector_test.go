package branchprotector

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/ghclient"
	"github.com/prowbot/prow/test/seed"
	"github.com/prowbot/prow/test/testlog"
)

// scenario serves demo/hello with branches main, dev, release-1.0,
// legacy (protected, requiring an old context) and scratch-1, and a pull
// request into main; it returns clients for an org admin and the bot.
func scenario(t *testing.T) (admin, bot *github.Client) {
	t.Helper()
	s := seed.New().User("admin", "admin-token").Bot("the-bot", "bot-token").
		Branches("dev", "release-1.0", "legacy", "scratch-1").
		Protect("legacy", sandbox.SeedProtection{RequiredContexts: []string{"old"}}).
		Pull("the-bot", "Change", sandbox.FileChanges{"a.txt": "a\n"}).Seed()
	s.Orgs[0].Admins = []string{"admin"}
	_, ts := seed.Serve(t, s)
	return ghclient.New(t, ts.URL, "admin-token"), ghclient.New(t, ts.URL, "bot-token")
}

func loadConfig(t *testing.T) *config.Config {
	t.Helper()
	snap, _, err := config.Load(config.Options{ConfigPath: "testdata/config.yaml", JobConfigPath: "testdata/jobs.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	return snap.Config
}

func protections(t *testing.T, c *github.Client) map[string]github.BranchProtection {
	t.Helper()
	out := map[string]github.BranchProtection{}
	for _, b := range []string{"main", "dev", "release-1.0", "legacy", "scratch-1"} {
		p, err := c.GetBranchProtection(context.Background(), "demo", "hello", b)
		if err != nil {
			t.Fatal(err)
		}
		out[b] = p
	}
	return out
}

func TestProtectorOnTheSandbox(t *testing.T) {
	ctx := context.Background()
	admin, bot := scenario(t)
	cfg := loadConfig(t)
	run := func(t *testing.T, confirm bool) (Result, string) {
		t.Helper()
		var out bytes.Buffer
		p := &Protector{GitHub: admin, Config: cfg, Confirm: confirm, Out: &out, Logger: testlog.Discard()}
		res, err := p.Run(ctx)
		if err != nil {
			t.Fatalf("run (confirm %v): %v\n%s", confirm, err, out.String())
		}
		return res, out.String()
	}
	before := protections(t, admin)

	t.Run("without --confirm the plan is printed and nothing changes", func(t *testing.T) {
		res, out := run(t, false)
		if len(res.Steps) != 4 {
			t.Errorf("planned %d steps, want 4 (main, dev, release-1.0, legacy):\n%s", len(res.Steps), out)
		}
		for _, want := range []string{"demo/hello:main\n  protect\n", "required contexts: [] -> [cla unit]", "demo/hello:legacy\n  remove protection",
			"required contexts: [] -> [cla release-e2e unit]", "push restrictions: none -> users [admin]", "dry run"} {
			if !strings.Contains(out, want) {
				t.Errorf("plan lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "scratch-1") {
			t.Errorf("the excluded branch is in the plan:\n%s", out)
		}
		if after := protections(t, admin); !reflect.DeepEqual(after, before) {
			t.Errorf("a dry run changed protection: %+v, was %+v", after, before)
		}
	})

	t.Run("with --confirm the branches are protected as configured", func(t *testing.T) {
		run(t, true)
		reviews := func(p github.BranchProtection) github.BranchProtection {
			p.ReviewsRequired, p.RequiredApprovals, p.DismissStaleReviews = true, 1, true
			return p
		}
		want := map[string]github.BranchProtection{
			"main": reviews(github.BranchProtection{Protected: true, RequiredContexts: []string{"cla", "unit"}, EnforceAdmins: true,
				LinearHistory: true, Restrictions: &github.Restrictions{Users: []string{"admin"}, Teams: []string{}, Apps: []string{}}}),
			"dev":         reviews(github.BranchProtection{Protected: true, RequiredContexts: []string{"cla", "unit"}}),
			"release-1.0": reviews(github.BranchProtection{Protected: true, RequiredContexts: []string{"cla", "release-e2e", "unit"}}),
			"legacy":      {},
			"scratch-1":   {},
		}
		if got := protections(t, admin); !reflect.DeepEqual(got, want) {
			t.Errorf("protection is\n%+v\nwant\n%+v", got, want)
		}
	})

	t.Run("a second run changes nothing", func(t *testing.T) {
		res, out := run(t, true)
		if len(res.Steps) != 0 || res.UpToDate != 4 {
			t.Errorf("second run: %d steps, %d up to date; want 0 and 4:\n%s", len(res.Steps), res.UpToDate, out)
		}
	})

	t.Run("a merge without the required contexts is refused", func(t *testing.T) {
		pr, err := bot.GetPullRequest(ctx, "demo", "hello", 1)
		if err != nil {
			t.Fatal(err)
		}
		err = bot.Merge(ctx, "demo", "hello", 1, pr.HeadSHA, "squash", "", "")
		if err == nil || !strings.Contains(err.Error(), "required status checks") {
			t.Errorf("merge = %v, want a refusal naming the required status checks", err)
		}
	})
}

// TestProtectTestedRepos: with protect-tested-repos and no org listed, a
// repository with presubmits gets its required contexts protected on
// every branch.
func TestProtectTestedRepos(t *testing.T) {
	admin, _ := scenario(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("branch-protection:\n  protect-tested-repos: true\n  exclude: ['-patch-']\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	snap, _, err := config.Load(config.Options{ConfigPath: cfg, JobConfigPath: "testdata/jobs.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	p := &Protector{GitHub: admin, Config: snap.Config, Confirm: true, Out: &out, Logger: testlog.Discard()}
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := protections(t, admin)
	for branch, want := range map[string][]string{"main": {"unit"}, "dev": {"unit"}, "release-1.0": {"release-e2e", "unit"}, "scratch-1": {"unit"}} {
		if p := got[branch]; !p.Protected || !reflect.DeepEqual(p.RequiredContexts, want) {
			t.Errorf("%s: %+v, want protected requiring %v", branch, p, want)
		}
	}
	// legacy has no required presubmit (unit skips it) and keeps its rule:
	// nothing says to protect it or not.
	if p := got["legacy"]; !reflect.DeepEqual(p.RequiredContexts, []string{"old"}) {
		t.Errorf("legacy: %+v, want its seeded rule untouched", p)
	}
}
