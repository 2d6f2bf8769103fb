package tide_test

import (
	"bytes"
	"context"
	"fmt"
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
	logtest "github.com/sirupsen/logrus/hooks/test"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	kubestore "github.com/prowbot/prow/jobs/kube"
	"github.com/prowbot/prow/jobs/memstore"
	"github.com/prowbot/prow/jobs/sqlite"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/kubeenv"
	"github.com/prowbot/prow/test/seed"
	"github.com/prowbot/prow/test/statusrec"
	"github.com/prowbot/prow/test/testlog"
	"github.com/prowbot/prow/tide"
)

const (
	botToken = "bot-token"
	devToken = "dev-token"
)

// world is the sandbox GitHub, the bot's real client, a job store and
// tide, all in-process; a test syncs tide itself, so nothing waits on a
// timer.
type world struct {
	t      testing.TB
	sb     *sandbox.Server
	url    string
	gh     *github.Client
	api    *gh.Client // a developer's go-github client
	store  testStore
	ctrl   *tide.Controller
	opts   tide.Options // what ctrl was built with
	logs   *logtest.Hook
	before func(r *http.Request) // runs before the sandbox handles a request
	now    time.Time
	mu     sync.Mutex
	// calls counts the bot's REST calls: all, and those GitHub charges
	// (all but 304 Not Modified answers to conditional requests).
	calls, charged int
}

// callCounts returns the bot's calls and charged calls so far.
func (w *world) callCounts() (calls, charged int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.calls, w.charged
}

// advance moves tide's clock.
func (w *world) advance(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

func (w *world) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

// pull is a pull request of a seed: it changes file to content.
type pull struct {
	repo, file, content string
	base                string
	labels              []string
}

// testStore is a job store as the tests use it.
type testStore interface {
	tide.Jobs
	jobs.Updater
}

// storeOpener opens a job store for one test.
type storeOpener func(t testing.TB) testStore

// kube is the API server the cluster mode's job store tests share.
var kube = kubeenv.NewShared(kubeenv.WithProwJobCRD())

func TestMain(m *testing.M) { os.Exit(kube.Run(m)) }

// eachStore runs a scenario on the embedded mode's job store (SQLite)
// and on the cluster mode's (ProwJobs on a real API server).
func eachStore(t *testing.T, scenario func(t *testing.T, open storeOpener)) {
	t.Run("sqlite", func(t *testing.T) { scenario(t, openSQLite) })
	t.Run("kube", func(t *testing.T) { scenario(t, openKube) })
}

func openSQLite(t testing.TB) testStore {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "jobs.db"), sqlite.Options{})
	must(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func openKube(t testing.TB) testStore {
	t.Helper()
	env := kube.Env(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ns, err := env.Client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "tide-"}}, metav1.CreateOptions{})
	must(t, err)
	s, err := kubestore.Open(ctx, kubestore.Options{Config: env.Config, Namespace: ns.Name, Logger: testlog.Discard()})
	must(t, err)
	return s
}

// newWorld seeds demo/hello (and demo/other) with the pulls and starts
// tide with configYAML (a config.yaml) and a job store in memory.
func newWorld(t *testing.T, configYAML string, pulls ...pull) *world {
	t.Helper()
	return newWorldOn(t, func(testing.TB) testStore { return memstore.New() }, configYAML, pulls...)
}

// newWorldOn is newWorld with the job store open gives.
func newWorldOn(t *testing.T, open storeOpener, configYAML string, pulls ...pull) *world {
	t.Helper()
	readme := sandbox.FileChanges{"README.md": "hello\n"}
	b := seed.New().Bot("the-bot", botToken).User("dev", devToken).Members("dev").Collaborators("write", "dev").
		Files(readme).Branches("dev").
		Repo(sandbox.SeedRepo{Name: "demo/other", Collaborators: map[string]string{"the-bot": "write", "dev": "write"}, Files: readme, Branches: []string{"dev"}})
	for i, p := range pulls {
		b.PullWith(sandbox.SeedPull{Repo: p.repo, Number: i + 1, Title: "Change " + p.file, Author: "dev", Base: p.base,
			Labels: p.labels, Files: sandbox.FileChanges{p.file: p.content}})
	}
	return newSeededWorld(t, b.Seed(), configYAML, open)
}

// newSeededWorld starts the sandbox with seed and tide with configYAML
// and a job store in memory (or the one open gives).
func newSeededWorld(t testing.TB, seed *sandbox.Seed, configYAML string, open ...storeOpener) *world {
	t.Helper()
	dir := t.TempDir()
	sb, err := sandbox.New(sandbox.Options{Seed: seed, GitDir: filepath.Join(dir, "git"), Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	var store testStore = memstore.New()
	if len(open) > 0 {
		store = open[0](t)
	}
	w := &world{t: t, sb: sb, store: store, now: time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		before := w.before
		w.mu.Unlock()
		if before != nil {
			before(r)
		}
		if !strings.HasSuffix(r.Header.Get("Authorization"), " "+botToken) {
			sb.Handler().ServeHTTP(rw, r)
			return
		}
		rec := statusrec.New(rw)
		sb.Handler().ServeHTTP(rec, r)
		w.mu.Lock()
		w.calls++
		if rec.Code != http.StatusNotModified {
			w.charged++
			if os.Getenv("TIDE_DEBUG_CALLS") != "" {
				fmt.Println("charged", r.Method, r.URL.String(), rec.Code)
			}
		}
		w.mu.Unlock()
	}))
	t.Cleanup(func() { srv.Close(); sb.Close() })
	w.url = srv.URL
	tokenPath := filepath.Join(dir, "token")
	must(t, os.WriteFile(tokenPath, []byte(botToken), 0o600))
	log, hook := logtest.NewNullLogger()
	w.logs = hook
	w.gh, err = github.NewClient(github.ClientOptions{Endpoint: srv.URL, TokenPath: tokenPath, Logger: logrus.NewEntry(log)})
	must(t, err)
	w.api, err = gh.NewClient(nil).WithAuthToken(devToken).WithEnterpriseURLs(srv.URL+"/", srv.URL+"/")
	must(t, err)
	cfgPath := filepath.Join(dir, "config.yaml")
	must(t, os.WriteFile(cfgPath, []byte(configYAML), 0o600))
	snap, _, err := config.Load(config.Options{ConfigPath: cfgPath})
	must(t, err)
	w.opts = tide.Options{GitHub: w.gh, Jobs: w.store, Config: func() *config.Config { return snap.Config }, Logger: logrus.NewEntry(log), Now: w.clock}
	w.ctrl, err = tide.New(w.opts)
	must(t, err)
	return w
}

// intercept runs fn before the sandbox handles each request (nil stops).
func (w *world) intercept(fn func(r *http.Request)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.before = fn
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sync runs one tide sync and fails the test on an error.
func (w *world) sync() {
	w.t.Helper()
	must(w.t, w.ctrl.Sync(context.Background()))
}

func (w *world) pr(repo string, n int) *gh.PullRequest {
	w.t.Helper()
	org, name, _ := strings.Cut(repo, "/")
	pr, _, err := w.api.PullRequests.Get(context.Background(), org, name, n)
	must(w.t, err)
	return pr
}

func (w *world) merged(repo string, n int) bool { return w.pr(repo, n).GetMerged() }

// setStatus sets a commit status on the pull request's head, as CI would.
func (w *world) setStatus(repo string, n int, name, state, desc string) {
	w.t.Helper()
	org, r, _ := strings.Cut(repo, "/")
	_, _, err := w.api.Repositories.CreateStatus(context.Background(), org, r, w.pr(repo, n).GetHead().GetSHA(),
		&gh.RepoStatus{Context: &name, State: &state, Description: &desc})
	must(w.t, err)
}

// tideStatuses lists the tide statuses on the pull request's head, newest
// first, as "state: description".
func (w *world) tideStatuses(repo string, n int) []string {
	w.t.Helper()
	org, name, _ := strings.Cut(repo, "/")
	all, _, err := w.api.Repositories.ListStatuses(context.Background(), org, name, w.pr(repo, n).GetHead().GetSHA(), &gh.ListOptions{PerPage: 100})
	must(w.t, err)
	var out []string
	for _, s := range all {
		if s.GetContext() == "tide" {
			out = append(out, s.GetState()+": "+s.GetDescription())
		}
	}
	return out
}

// tideStatus is the current tide status of the pull request.
func (w *world) tideStatus(repo string, n int) string {
	w.t.Helper()
	all := w.tideStatuses(repo, n)
	if len(all) == 0 {
		return ""
	}
	return all[0]
}

func (w *world) removeLabel(repo string, n int, label string) {
	w.t.Helper()
	org, name, _ := strings.Cut(repo, "/")
	_, err := w.api.Issues.RemoveLabelForIssue(context.Background(), org, name, n, label)
	must(w.t, err)
}

// gitLog lists the commits of branch (first parents), newest first, as "<parents count> <subject>".
func (w *world) gitLog(repo, branch string) []string {
	w.t.Helper()
	dir := w.t.TempDir()
	run := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			w.t.Fatalf("git %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	run("clone", "-q", "-b", branch, w.url+"/"+repo+".git", "clone")
	dir = filepath.Join(dir, "clone")
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(run("log", "--first-parent", "--format=%p|%s")), "\n") {
		parents, subject, _ := strings.Cut(line, "|")
		out = append(out, strings.Repeat("*", len(strings.Fields(parents)))+" "+subject)
	}
	return out
}

// logged counts the log entries with message msg.
func (w *world) logged(msg string) int {
	n := 0
	for _, e := range w.logs.AllEntries() {
		if e.Message == msg {
			n++
		}
	}
	return n
}
