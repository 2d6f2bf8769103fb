package labelsync

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/ghclient"
	"github.com/prowbot/prow/test/seed"
	"github.com/prowbot/prow/test/testlog"
)

const syncConfig = `default:
  labels:
  - name: bug
    color: e11d21
    description: Something is broken
  - name: kind/bug
    color: e11d21
    target: both
    previously:
    - name: defect
  - name: kind/feature
    color: 0e8a16
    previously:
    - name: enhancement
  - name: old
    color: ededed
    deleteAfter: "2020-01-01T00:00:00Z"
repos:
  demo/world:
    labels:
    - name: world-only
      color: "000000"
`

// syncWorld serves demo/hello (labels bug, defect, enhancement,
// kind/feature, old, custom; issue 1 labeled defect, 2 enhancement, 3 old),
// an empty demo/world and demo/skipped, and returns an admin's client.
func syncWorld(t *testing.T) *github.Client {
	t.Helper()
	s := seed.New().User("admin", "admin-token").
		Issue("admin", "Crash", "defect").Issue("admin", "Wish", "enhancement").Issue("admin", "Gone", "old").
		Repo(sandbox.SeedRepo{Name: "demo/world"}).Repo(sandbox.SeedRepo{Name: "demo/skipped"}).Seed()
	s.Orgs[0].Admins = []string{"admin"}
	s.Repos[0].Labels = []sandbox.SeedLabel{{Name: "bug", Color: "ededed"}, {Name: "defect", Color: "ededed"},
		{Name: "enhancement", Color: "ededed"}, {Name: "kind/feature", Color: "0e8a16"}, {Name: "old", Color: "ededed"},
		{Name: "custom", Color: "123456", Description: "mine"}}
	_, ts := seed.Serve(t, s)
	return ghclient.New(t, ts.URL, "admin-token")
}

// labelsOf renders org/repo's labels as sorted "name color description".
func labelsOf(t *testing.T, c *github.Client, repo string) string {
	t.Helper()
	ls, err := c.GetRepoLabels(context.Background(), "demo", repo)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range ls {
		out = append(out, strings.TrimSpace(l.Name+" "+l.Color+" "+l.Description))
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

func issueLabels(t *testing.T, c *github.Client, number int) string {
	t.Helper()
	ls, err := c.GetIssueLabels(context.Background(), "demo", "hello", number)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range ls {
		out = append(out, l.Name)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func TestSyncAgainstTheSandbox(t *testing.T) {
	c := syncWorld(t)
	cfg, _, err := Parse("labels.yaml", []byte(syncConfig))
	if err != nil {
		t.Fatal(err)
	}
	run := func(confirm bool) (Result, string) {
		var out bytes.Buffer
		s := &Syncer{GitHub: c, Config: cfg, Orgs: []string{"demo"}, Skip: []string{"demo/skipped"}, Confirm: confirm,
			Out: &out, Logger: testlog.Discard(), Now: func() time.Time { return time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC) }}
		res, err := s.Run(context.Background())
		if err != nil {
			t.Fatalf("sync (confirm %v): %v\n%s", confirm, err, out.String())
		}
		return res, out.String()
	}
	before := labelsOf(t, c, "hello")

	t.Run("the plan names each change per repository and changes nothing", func(t *testing.T) {
		res, out := run(false)
		for _, w := range []string{
			`demo/hello: update label "bug": color ededed -> e11d21, description "" -> "Something is broken"`,
			`demo/hello: rename label "defect" to "kind/bug"`,
			`demo/hello: move the issues and pull requests labeled "enhancement" to "kind/feature" and delete "enhancement"`,
			`demo/hello: delete label "old"`,
			`demo/world: create label "world-only" (color 000000, description "")`,
			`demo/world: create label "kind/bug"`,
			"dry run",
		} {
			if !strings.Contains(out, w) {
				t.Errorf("plan lacks %q:\n%s", w, out)
			}
		}
		if strings.Contains(out, "demo/skipped") || strings.Contains(out, "custom") || strings.Contains(out, `"old" (color`) {
			t.Errorf("plan touches what it should leave alone:\n%s", out)
		}
		if res.Actions != 8 || res.Changed != 2 {
			t.Errorf("result = %+v, want 8 actions in 2 repositories", res)
		}
		if after := labelsOf(t, c, "hello"); after != before {
			t.Errorf("a dry run changed the labels:\n%s\nwas\n%s", after, before)
		}
		if got := labelsOf(t, c, "world"); got != "" {
			t.Errorf("a dry run created labels in demo/world: %s", got)
		}
	})

	t.Run("confirmed, the labels become as configured and issues follow renames", func(t *testing.T) {
		res, out := run(true)
		if !strings.Contains(out, `demo/hello: renamed label "defect" to "kind/bug"`) ||
			!strings.Contains(out, `moved 1 issues and pull requests labeled "enhancement" to "kind/feature"`) ||
			!strings.Contains(out, "8 label changes made in 2 repositories") {
			t.Errorf("output:\n%s", out)
		}
		if res.Actions != 8 {
			t.Errorf("result = %+v", res)
		}
		want := "bug e11d21 Something is broken; custom 123456 mine; kind/bug e11d21; kind/feature 0e8a16"
		if got := labelsOf(t, c, "hello"); got != want {
			t.Errorf("demo/hello labels:\n%s\nwant\n%s", got, want)
		}
		want = "bug e11d21 Something is broken; kind/bug e11d21; kind/feature 0e8a16; world-only 000000"
		if got := labelsOf(t, c, "world"); got != want {
			t.Errorf("demo/world labels:\n%s\nwant\n%s", got, want)
		}
		if got := labelsOf(t, c, "skipped"); got != "" {
			t.Errorf("the skipped repository got labels: %s", got)
		}
		for n, want := range map[int]string{1: "kind/bug", 2: "kind/feature", 3: ""} {
			if got := issueLabels(t, c, n); got != want {
				t.Errorf("issue %d carries %q, want %q", n, got, want)
			}
		}
	})

	t.Run("a second run has nothing to do", func(t *testing.T) {
		res, out := run(false)
		if res.Actions != 0 || res.UpToDate != 2 || !strings.Contains(out, "0 label changes in 0 repositories, 2 up to date") {
			t.Errorf("result = %+v:\n%s", res, out)
		}
	})
}

func TestSyncOnlyNamedRepositories(t *testing.T) {
	c := syncWorld(t)
	cfg, _, err := Parse("labels.yaml", []byte(syncConfig))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s := &Syncer{GitHub: c, Config: cfg, Only: []string{"demo/world"}, Confirm: true, Out: &out, Logger: testlog.Discard()}
	if _, err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "demo/hello") || !strings.Contains(out.String(), "demo/world: created label") {
		t.Errorf("output:\n%s", out.String())
	}
	if got := labelsOf(t, c, "hello"); !strings.Contains(got, "defect") {
		t.Errorf("demo/hello was synced though not named: %s", got)
	}
}

// TestKubernetesLabelsPlan plans the Kubernetes project's real labels for
// a repository that has none yet, applies them, and finds nothing left.
func TestKubernetesLabelsPlan(t *testing.T) {
	c := syncWorld(t)
	cfg, _, err := Load("testdata/labels.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s := &Syncer{GitHub: c, Config: cfg, Only: []string{"demo/world"}, Confirm: true, Out: &out, Logger: testlog.Discard()}
	res, err := s.Run(context.Background())
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	alive := 0
	for _, l := range cfg.LabelsFor("demo", "world") {
		if !l.Dead(time.Now()) {
			alive++
		}
	}
	if res.Actions != alive {
		t.Errorf("%d actions, want a create for each of the %d labels", res.Actions, alive)
	}
	out.Reset()
	s.Confirm = false
	if res, err := s.Run(context.Background()); err != nil || res.Actions != 0 {
		t.Errorf("second run: %+v, %v\n%s", res, err, out.String())
	}
}

func TestSyncReportsEveryFailingRepository(t *testing.T) {
	c := syncWorld(t)
	cfg, _, err := Parse("labels.yaml", []byte(syncConfig))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s := &Syncer{GitHub: c, Config: cfg, Only: []string{"demo/hello", "demo/missing", "demo/world"}, Confirm: true,
		Out: &out, Logger: testlog.Discard()}
	res, err := s.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "demo/missing") {
		t.Fatalf("error = %v, want one naming demo/missing", err)
	}
	if res.Changed != 2 || !strings.Contains(out.String(), "demo/world: created label") {
		t.Errorf("the repositories around the failing one were not synced: %+v\n%s", res, out.String())
	}
}
