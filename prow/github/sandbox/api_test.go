package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/testlog"
)

// status is the HTTP status of a go-github error, 0 without one.
func status(err error) int {
	var resp *gh.ErrorResponse
	if errors.As(err, &resp) {
		return resp.Response.StatusCode
	}
	return 0
}

func TestPermissionsDecideWhoMayDoWhat(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	cases := []struct {
		name, token string
		do          func(c *gh.Client) error
		want        int // 0: allowed
	}{
		{"a stranger comments on a public repository", "stranger-token", func(c *gh.Client) error {
			_, _, err := c.Issues.CreateComment(ctx, "demo", "hello", 3, &gh.IssueComment{Body: gh.String("+1")})
			return err
		}, 0},
		{"a stranger cannot label", "stranger-token", func(c *gh.Client) error {
			_, _, err := c.Issues.AddLabelsToIssue(ctx, "demo", "hello", 3, []string{"lgtm"})
			return err
		}, http.StatusForbidden},
		{"a reader cannot label", "eve-token", func(c *gh.Client) error {
			_, _, err := c.Issues.AddLabelsToIssue(ctx, "demo", "hello", 3, []string{"lgtm"})
			return err
		}, http.StatusForbidden},
		{"a member of a team with triage labels", "carol-token", func(c *gh.Client) error {
			_, _, err := c.Issues.AddLabelsToIssue(ctx, "demo", "hello", 3, []string{"lgtm"})
			return err
		}, 0},
		{"a triager cannot set statuses", "carol-token", func(c *gh.Client) error {
			_, _, err := c.Repositories.CreateStatus(ctx, "demo", "hello", "main", &gh.RepoStatus{State: gh.String("success")})
			return err
		}, http.StatusForbidden},
		{"a triager cannot merge", "carol-token", func(c *gh.Client) error {
			_, _, err := c.PullRequests.Merge(ctx, "demo", "hello", 1, "", nil)
			return err
		}, http.StatusForbidden},
		{"an author cannot approve their own pull request", "bob-token", func(c *gh.Client) error {
			_, _, err := c.PullRequests.CreateReview(ctx, "demo", "hello", 1, &gh.PullRequestReviewRequest{Event: gh.String("APPROVE")})
			return err
		}, http.StatusUnprocessableEntity},
		{"reviews may only be requested from collaborators", "bot-token", func(c *gh.Client) error {
			_, _, err := c.PullRequests.RequestReviewers(ctx, "demo", "hello", 1, gh.ReviewersRequest{Reviewers: []string{"stranger"}})
			return err
		}, http.StatusUnprocessableEntity},
		{"a stranger does not see a private repository", "stranger-token", func(c *gh.Client) error {
			_, _, err := c.Repositories.Get(ctx, "demo", "private")
			return err
		}, http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := status(tc.do(e.client(tc.token))); got != tc.want {
				t.Errorf("status %d, want %d", got, tc.want)
			}
		})
	}
	t.Run("the permission API reports each grant", func(t *testing.T) {
		want := map[string]string{"alice": "admin", "bob": "write", "carol": "triage", "eve": "read", "stranger": "none", "the-bot": "write"}
		for login, perm := range want {
			p := must[*gh.RepositoryPermissionLevel](t)(e.client("bot-token").Repositories.GetPermissionLevel(ctx, "demo", "hello", login))
			if got := p.GetUser().GetRoleName(); got != perm {
				t.Errorf("%s: role %s, want %s", login, got, perm)
			}
		}
	})
}

func TestLabelsAndAssignees(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	bot := e.client("bot-token")
	t.Run("removing a label the issue lacks is 404, as on GitHub", func(t *testing.T) {
		if _, err := bot.Issues.RemoveLabelForIssue(ctx, "demo", "hello", 3, "lgtm"); status(err) != http.StatusNotFound {
			t.Errorf("got %v", err)
		}
	})
	t.Run("adding an unknown label creates it", func(t *testing.T) {
		must[[]*gh.Label](t)(bot.Issues.AddLabelsToIssue(ctx, "demo", "hello", 3, []string{"brand-new"}))
		if l := must[*gh.Label](t)(bot.Issues.GetLabel(ctx, "demo", "hello", "brand-new")); l.GetColor() != "ededed" {
			t.Errorf("label %v", l)
		}
	})
	t.Run("users who cannot be assigned are skipped silently", func(t *testing.T) {
		i := must[*gh.Issue](t)(bot.Issues.AddAssignees(ctx, "demo", "hello", 2, []string{"stranger", "the-bot", "nobody"}))
		var got []string
		for _, a := range i.Assignees {
			got = append(got, a.GetLogin())
		}
		if !slices.Equal(got, []string{"the-bot"}) {
			t.Errorf("assignees %v, want only the-bot", got)
		}
	})
	t.Run("a commenter can be assigned", func(t *testing.T) {
		must[*gh.IssueComment](t)(e.client("stranger-token").Issues.CreateComment(ctx, "demo", "hello", 2, &gh.IssueComment{Body: gh.String("I can help")}))
		i := must[*gh.Issue](t)(bot.Issues.AddAssignees(ctx, "demo", "hello", 2, []string{"stranger"}))
		if len(i.Assignees) != 2 {
			t.Errorf("assignees %v", i.Assignees)
		}
	})
}

func TestMerging(t *testing.T) {
	cases := []struct {
		method      string
		wantParents int
		wantMessage string
	}{
		{"merge", 2, "Merge pull request #1 from demo/bob-patch-1"},
		{"squash", 1, "Fix greeting (#1)"},
		{"rebase", 1, "Fix greeting"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" makes the commit GitHub makes", func(t *testing.T) {
			e := start(t)
			ctx := context.Background()
			bot := e.client("bot-token")
			res := must[*gh.PullRequestMergeResult](t)(bot.PullRequests.Merge(ctx, "demo", "hello", 1, "", &gh.PullRequestOptions{MergeMethod: tc.method}))
			branch := must[*gh.Branch](t)(bot.Repositories.GetBranch(ctx, "demo", "hello", "main", 0))
			c := branch.GetCommit()
			if c.GetSHA() != res.GetSHA() || len(c.Parents) != tc.wantParents || !strings.HasPrefix(c.GetCommit().GetMessage(), tc.wantMessage) {
				t.Errorf("main at %s with %d parents and message %q; want %s, %d parents, %q", c.GetSHA(), len(c.Parents), c.GetCommit().GetMessage(),
					res.GetSHA(), tc.wantParents, tc.wantMessage)
			}
			other := must[*gh.PullRequest](t)(bot.PullRequests.Get(ctx, "demo", "hello", 2))
			if other.GetMergeable() || other.GetMergeableState() != "dirty" {
				t.Errorf("#2 changes README.md too; after #1 it is mergeable %v (%s), want a conflict", other.GetMergeable(), other.GetMergeableState())
			}
			if _, _, err := bot.PullRequests.Merge(ctx, "demo", "hello", 2, "", nil); status(err) != http.StatusMethodNotAllowed {
				t.Errorf("merging the conflicting #2: %v, want 405", err)
			}
		})
	}
	t.Run("a draft cannot merge", func(t *testing.T) {
		e := start(t)
		if _, _, err := e.client("bot-token").PullRequests.Merge(context.Background(), "demo", "hello", 4, "", nil); status(err) != http.StatusMethodNotAllowed {
			t.Errorf("got %v", err)
		}
	})
}

func TestPushesThroughTheSandboxAPI(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	bot := e.client("bot-token")
	before := must[*gh.PullRequest](t)(bot.PullRequests.Get(ctx, "demo", "hello", 1))
	code, body := e.admin(http.MethodPost, "/repos/demo/hello/pulls/1/push", map[string]any{"files": map[string]any{"README.md": nil, "NEW": "x\n"}, "message": "More"})
	var pushed struct{ SHA string }
	if err := json.Unmarshal(body, &pushed); code != http.StatusOK || err != nil {
		t.Fatalf("push: %d %s", code, body)
	}
	after := must[*gh.PullRequest](t)(bot.PullRequests.Get(ctx, "demo", "hello", 1))
	if after.GetHead().GetSHA() != pushed.SHA || after.GetCommits() != 2 || after.GetHead().GetSHA() == before.GetHead().GetSHA() {
		t.Errorf("head %s with %d commits after pushing %s", after.GetHead().GetSHA(), after.GetCommits(), pushed.SHA)
	}
	var files []string
	for _, f := range must[[]*gh.CommitFile](t)(bot.PullRequests.ListFiles(ctx, "demo", "hello", 1, nil)) {
		files = append(files, f.GetStatus()+" "+f.GetFilename())
	}
	sort.Strings(files)
	if strings.Join(files, ", ") != "added NEW, added docs/new.md, removed README.md, removed docs/guide.md" {
		t.Errorf("files %v", files)
	}
	code, body = e.admin(http.MethodPost, "/repos/demo/hello/push", map[string]any{"branch": "main", "files": map[string]string{"main.txt": "m\n"}})
	if code != http.StatusOK {
		t.Fatalf("push to main: %d %s", code, body)
	}
	if code, body := e.admin(http.MethodPost, "/repos/demo/hello/pulls/99/push", map[string]any{}); code != http.StatusNotFound {
		t.Errorf("push to a missing pull request: %d %s", code, body)
	}
	e.flush()
	if got := strings.Join(e.hooks.names(0), " "); got != "push pull_request.synchronize push" {
		t.Errorf("webhooks %q", got)
	}
}

func TestPaginationAndSince(t *testing.T) {
	c := &clock{now: time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)}
	e := start(t, func(o *sandbox.Options) { o.Now = c.Now })
	ctx := context.Background()
	bob := e.client("bob-token")
	var third time.Time
	for k := 0; k < 5; k++ {
		c.advance(time.Minute)
		if k == 2 {
			third = c.Now()
		}
		must[*gh.IssueComment](t)(bob.Issues.CreateComment(ctx, "demo", "hello", 3, &gh.IssueComment{Body: gh.String("c" + strconv.Itoa(k))}))
	}
	t.Run("Link headers walk every page", func(t *testing.T) {
		var bodies []string
		opts := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 2}}
		for pages := 1; ; pages++ {
			list, resp, err := bob.Issues.ListComments(ctx, "demo", "hello", 3, opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range list {
				bodies = append(bodies, c.GetBody())
			}
			if pages == 1 && (resp.LastPage != 3 || resp.NextPage != 2) {
				t.Errorf("first page links: next %d last %d, want 2 and 3", resp.NextPage, resp.LastPage)
			}
			if resp.NextPage == 0 {
				if pages != 3 {
					t.Errorf("%d pages, want 3", pages)
				}
				break
			}
			opts.Page = resp.NextPage
		}
		if strings.Join(bodies, " ") != "c0 c1 c2 c3 c4" {
			t.Errorf("comments %v", bodies)
		}
	})
	t.Run("since keeps the comments updated from then on", func(t *testing.T) {
		list := must[[]*gh.IssueComment](t)(bob.Issues.ListComments(ctx, "demo", "hello", 3, &gh.IssueListCommentsOptions{Since: &third}))
		var bodies []string
		for _, c := range list {
			bodies = append(bodies, c.GetBody())
		}
		if strings.Join(bodies, " ") != "c2 c3 c4" {
			t.Errorf("comments since %s: %v", third, bodies)
		}
	})
}

func TestSearchQualifiers(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	bot := e.client("bot-token")
	must[*gh.PullRequestReview](t)(e.client("alice-token").PullRequests.CreateReview(ctx, "demo", "hello", 2, &gh.PullRequestReviewRequest{Event: gh.String("APPROVE")}))
	cases := []struct{ q, want string }{
		{"repo:demo/hello is:pr is:open", "1 2 4"},
		{"repo:demo/hello is:issue", "3"},
		{"org:demo label:kind/bug", "1 3"},
		{"repo:demo/hello is:pr is:open -label:kind/bug", "2 4"},
		{"repo:demo/hello author:carol", "3 4"},
		{"repo:demo/hello head:bob/other-greeting", "2"},
		{"repo:demo/hello is:pr base:main is:merged", "5"},
		{"repo:demo/hello is:pr draft:true", "4"},
		{"repo:demo/hello is:pr review:approved", "2"},
		{`repo:demo/hello is:pr is:open label:"kind/bug,lgtm"`, "1"},
		{"repo:demo/hello greeting in:title", "1 2"},
		{"repo:demo/hello archived:false assignee:alice", "3"},
		{"repo:demo/private", ""},
		{`repo:"demo/hello" repo:"demo/other" is:pr is:open`, "1 2 4"},
		{`org:"demo" -repo:"demo/hello"`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			res := must[*gh.IssuesSearchResult](t)(bot.Search.Issues(ctx, tc.q, &gh.SearchOptions{Sort: "created", Order: "asc"}))
			var got []string
			for _, i := range res.Issues {
				got = append(got, strconv.Itoa(i.GetNumber()))
			}
			if strings.Join(got, " ") != tc.want || res.GetTotal() != len(got) {
				t.Errorf("found %v (total %d), want %q", got, res.GetTotal(), tc.want)
			}
		})
	}
}

func TestRefsAndPullRequestsThroughTheAPI(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	bot := e.client("bot-token")
	main := must[*gh.Reference](t)(bot.Git.GetRef(ctx, "demo", "hello", "heads/main")).GetObject().GetSHA()
	pr1 := must[*gh.PullRequest](t)(bot.PullRequests.Get(ctx, "demo", "hello", 1)).GetHead().GetSHA()
	cases := []struct {
		name string
		do   func() error
		want int
	}{
		{"a branch that exists cannot be created", func() error {
			_, _, err := bot.Git.CreateRef(ctx, "demo", "hello", &gh.Reference{Ref: gh.String("refs/heads/dev"), Object: &gh.GitObject{SHA: &main}})
			return err
		}, http.StatusUnprocessableEntity},
		{"a move that is not a fast forward needs force", func() error {
			_, _, err := bot.Git.UpdateRef(ctx, "demo", "hello", &gh.Reference{Ref: gh.String("refs/heads/release-1.0"), Object: &gh.GitObject{SHA: &pr1}}, false)
			return err
		}, http.StatusUnprocessableEntity},
		{"the default branch cannot be deleted", func() error {
			_, err := bot.Git.DeleteRef(ctx, "demo", "hello", "heads/main")
			return err
		}, http.StatusUnprocessableEntity},
		{"a pull request needs commits between base and head", func() error {
			_, _, err := bot.PullRequests.Create(ctx, "demo", "hello", &gh.NewPullRequest{Title: gh.String("Nothing"), Head: gh.String("dev"), Base: gh.String("main")})
			return err
		}, http.StatusUnprocessableEntity},
		{"a second pull request from the same head is refused", func() error {
			_, _, err := bot.PullRequests.Create(ctx, "demo", "hello", &gh.NewPullRequest{Title: gh.String("Again"), Head: gh.String("bob-patch-1"), Base: gh.String("main")})
			return err
		}, http.StatusUnprocessableEntity},
		{"a pull request from a fork is refused", func() error {
			_, _, err := bot.PullRequests.Create(ctx, "demo", "hello", &gh.NewPullRequest{Title: gh.String("Fork"), Head: gh.String("bob:bob-patch-1"), Base: gh.String("dev")})
			return err
		}, http.StatusUnprocessableEntity},
		{"a pull request from a branch opens with the next number", func() error {
			pr, _, err := bot.PullRequests.Create(ctx, "demo", "hello", &gh.NewPullRequest{Title: gh.String("Onto the release"), Head: gh.String("bob-patch-1"), Base: gh.String("release-1.0")})
			if err == nil && pr.GetNumber() != 6 {
				t.Errorf("number %d, want 6", pr.GetNumber())
			}
			return err
		}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := status(tc.do()); got != tc.want {
				t.Errorf("status %d, want %d", got, tc.want)
			}
		})
	}
}

func TestStartServesUntilTheContextEnds(t *testing.T) {
	seed, err := sandbox.LoadSeed("testdata/seed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sandbox.New(sandbox.Options{Seed: seed, Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	base, err := srv.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if srv.URL() != base || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("URL %s, Start said %s", srv.URL(), base)
	}
	c, err := gh.NewClient(nil).WithAuthToken("bob-token").WithEnterpriseURLs(base+"/", base+"/")
	if err != nil {
		t.Fatal(err)
	}
	repo := must[*gh.Repository](t)(c.Repositories.Get(context.Background(), "demo", "hello"))
	if repo.GetCloneURL() != base+"/demo/hello.git" {
		t.Errorf("clone URL %s", repo.GetCloneURL())
	}
	cancel()
	srv.Close()
	if resp, err := http.Get(base + "/api/v3/user"); err == nil {
		resp.Body.Close()
		t.Error("the server still answers after its context ended and Close")
	}
}
