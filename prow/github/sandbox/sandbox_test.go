package sandbox_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"
	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/prow/github/sandbox"
)

const seedYAML = `
users:
- {login: alice, token: alice-token}
- {login: bob, token: bob-token}
- {login: the-bot, token: bot-token, bot: true}
- {login: stranger, token: stranger-token}
orgs:
- login: demo
  members: [alice, the-bot]
  teams: [{slug: maintainers, members: [alice]}]
repos:
- name: demo/hello
  collaborators: {alice: admin, the-bot: write, bob: write}
  labels: [{name: lgtm, color: 15dd18}, {name: approved}]
  files: {README.md: "hello\n", OWNERS: "approvers: [alice]\n"}
pulls:
- {repo: demo/hello, number: 1, author: bob, title: Fix greeting, body: "Please /lgtm", files: {README.md: "hello world\n", docs/new.md: "new\n"}}
`

// receiver collects signed webhooks.
type receiver struct {
	mu     sync.Mutex
	events []string
	bodies [][]byte
	badSig int
}

func (rc *receiver) ServeHTTP(_ http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	mac := hmac.New(sha256.New, []byte("hook-secret"))
	mac.Write(body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if r.Header.Get("X-Hub-Signature-256") != "sha256="+hex.EncodeToString(mac.Sum(nil)) || r.Header.Get("X-GitHub-Delivery") == "" {
		rc.badSig++
	}
	rc.events = append(rc.events, r.Header.Get("X-GitHub-Event"))
	rc.bodies = append(rc.bodies, body)
}

func startSandbox(t *testing.T, webhook string) (*sandbox.Server, *httptest.Server) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(path, []byte(seedYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	seed, err := sandbox.LoadSeed(path)
	if err != nil {
		t.Fatal(err)
	}
	l := logrus.New()
	l.SetOutput(io.Discard)
	srv, err := sandbox.New(sandbox.Options{Seed: seed, WebhookURL: webhook, HMACSecret: []byte("hook-secret"), GitDir: t.TempDir(), Logger: logrus.NewEntry(l)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return srv, ts
}

func clientAs(t *testing.T, base, token string) *gh.Client {
	t.Helper()
	c, err := gh.NewClient(nil).WithAuthToken(token).WithEnterpriseURLs(base+"/", base+"/")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGoGitHubEndToEnd(t *testing.T) {
	rc := &receiver{}
	hooks := httptest.NewServer(rc)
	defer hooks.Close()
	srv, ts := startSandbox(t, hooks.URL)
	ctx := context.Background()
	alice, bot := clientAs(t, ts.URL, "alice-token"), clientAs(t, ts.URL, "bot-token")

	pr, _, err := alice.PullRequests.Get(ctx, "demo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	if pr.GetUser().GetLogin() != "bob" || pr.GetHead().GetSHA() == "" || pr.GetBase().GetRef() != "main" || !pr.GetMergeable() {
		t.Fatalf("pull request %+v", pr)
	}
	files, _, err := alice.PullRequests.ListFiles(ctx, "demo", "hello", 1, nil)
	if err != nil || len(files) != 2 || files[0].GetFilename() != "README.md" || files[0].GetStatus() != "modified" || files[1].GetStatus() != "added" {
		t.Fatalf("files %v %v", files, err)
	}
	if _, _, err := alice.Issues.CreateComment(ctx, "demo", "hello", 1, &gh.IssueComment{Body: gh.String("/lgtm")}); err != nil {
		t.Fatal(err)
	}
	comments, _, err := bot.Issues.ListComments(ctx, "demo", "hello", 1, nil)
	if err != nil || len(comments) != 1 || comments[0].GetUser().GetLogin() != "alice" {
		t.Fatalf("comments %v %v", comments, err)
	}
	if _, _, err := bot.Issues.AddLabelsToIssue(ctx, "demo", "hello", 1, []string{"lgtm"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := bot.Repositories.CreateStatus(ctx, "demo", "hello", pr.GetHead().GetSHA(), &gh.RepoStatus{State: gh.String("success"), Context: gh.String("ci")}); err != nil {
		t.Fatal(err)
	}
	combined, _, err := alice.Repositories.GetCombinedStatus(ctx, "demo", "hello", pr.GetHead().GetSHA(), nil)
	if err != nil || combined.GetState() != "success" || len(combined.Statuses) != 1 {
		t.Fatalf("combined status %+v %v", combined, err)
	}
	if _, _, err := bot.PullRequests.RequestReviewers(ctx, "demo", "hello", 1, gh.ReviewersRequest{Reviewers: []string{"alice"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := bot.PullRequests.RequestReviewers(ctx, "demo", "hello", 1, gh.ReviewersRequest{Reviewers: []string{"stranger"}}); err == nil {
		t.Error("a non-collaborator cannot be asked to review")
	}
	if res, _, err := alice.PullRequests.Merge(ctx, "demo", "hello", 1, "", &gh.PullRequestOptions{SHA: pr.GetHead().GetSHA()}); err != nil || !res.GetMerged() {
		t.Fatalf("merge %v %v", res, err)
	}
	if _, _, err := alice.PullRequests.Merge(ctx, "demo", "hello", 1, "", nil); err == nil {
		t.Error("merging twice should fail")
	}
	readme, _, _, err := alice.Repositories.GetContents(ctx, "demo", "hello", "README.md", &gh.RepositoryContentGetOptions{Ref: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if content, _ := readme.GetContent(); content != "hello world\n" {
		t.Errorf("main after merge has README %q", content)
	}

	flushCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := srv.Flush(flushCtx); err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.badSig > 0 {
		t.Errorf("%d deliveries had a bad signature", rc.badSig)
	}
	want := []string{"issue_comment", "pull_request", "status", "pull_request", "pull_request", "push"}
	if strings.Join(rc.events, ",") != strings.Join(want, ",") {
		t.Errorf("webhooks %v, want %v", rc.events, want)
	}
	var first struct {
		Action  string `json:"action"`
		Comment struct {
			Body string `json:"body"`
			User struct{ Login string }
		}
		Issue struct {
			Number      int       `json:"number"`
			PullRequest *struct{} `json:"pull_request"`
		}
		Repository struct {
			FullName string `json:"full_name"`
		}
	}
	if err := json.Unmarshal(rc.bodies[0], &first); err != nil {
		t.Fatal(err)
	}
	if first.Action != "created" || first.Comment.Body != "/lgtm" || first.Comment.User.Login != "alice" || first.Issue.Number != 1 || first.Issue.PullRequest == nil || first.Repository.FullName != "demo/hello" {
		t.Errorf("issue_comment payload %+v", first)
	}
}

func TestAuthRateLimitAndETags(t *testing.T) {
	srv, ts := startSandbox(t, "")
	type answer struct {
		StatusCode int
		Header     http.Header
	}
	get := func(token, etag string) answer {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v3/repos/demo/hello/labels", nil)
		if token != "" {
			req.Header.Set("Authorization", "token "+token)
		}
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return answer{resp.StatusCode, resp.Header}
	}
	if resp := get("wrong", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a bad token got %d", resp.StatusCode)
	}
	first := get("alice-token", "")
	etag := first.Header.Get("ETag")
	if first.StatusCode != 200 || etag == "" || first.Header.Get("X-RateLimit-Remaining") != "4999" {
		t.Fatalf("first read: %d etag %q remaining %q", first.StatusCode, etag, first.Header.Get("X-RateLimit-Remaining"))
	}
	second := get("alice-token", etag)
	if second.StatusCode != http.StatusNotModified || second.Header.Get("X-RateLimit-Remaining") != "4999" {
		t.Errorf("revalidation: %d remaining %q (a 304 must cost nothing)", second.StatusCode, second.Header.Get("X-RateLimit-Remaining"))
	}
	srv.SetBudget(0)
	if resp := get("alice-token", ""); resp.StatusCode != http.StatusForbidden || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("an exhausted budget got %d remaining %q", resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"))
	}
}

func TestGitCloneOverHTTP(t *testing.T) {
	_, ts := startSandbox(t, "")
	dir := t.TempDir()
	run := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "HOME="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run("clone", "-q", ts.URL+"/demo/hello.git", "hello")
	dir = filepath.Join(dir, "hello")
	if data, _ := os.ReadFile(filepath.Join(dir, "OWNERS")); string(data) != "approvers: [alice]\n" {
		t.Errorf("OWNERS = %q", data)
	}
	run("fetch", "-q", "origin", "refs/pull/1/head")
	if got := run("show", "FETCH_HEAD:README.md"); got != "hello world" {
		t.Errorf("PR head README = %q", got)
	}
}

func TestSeedErrorsAreClear(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"users: [{login: a}]\nrepos: [{name: nope}]\n", `repo "nope" is not org/name`},
		{"users: [{login: a}]\nrepos: [{name: a/r, collaborators: {ghost: write}}]\n", `unknown user "ghost"`},
		{"users: [{login: a}]\nrepos: [{name: a/r, collaborators: {a: owner}}]\n", `has permission "owner"`},
		{"users: [{login: a}]\npulls: [{repo: a/missing, author: a, title: t}]\n", `unknown repo "a/missing"`},
		{"users: [{login: a}]\nrepoz: []\n", `unknown field "repoz"`},
	}
	for _, tc := range cases {
		path := filepath.Join(t.TempDir(), "seed.yaml")
		if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := sandbox.LoadSeed(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("seed %q: err %v, want %q naming the file", tc.yaml, err, tc.want)
		}
	}
}
