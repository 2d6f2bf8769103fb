package slack

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/report"
	"github.com/prowbot/prow/jobs/report/reporttest"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/ghclient"
	"github.com/prowbot/prow/test/seed"
)

// post is a message the fake Slack took.
type post struct{ channel, text string }

// fakeSlack is a local server speaking chat.postMessage. While hold is
// open, requests wait for it to close; then the scripted failures are
// answered in turn, then every message is taken.
type fakeSlack struct {
	token string
	hold  chan struct{}

	mu       sync.Mutex
	failures []func(w http.ResponseWriter)
	attempts int
	posts    []post
	bad      []string
}

func (f *fakeSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.hold != nil {
		select {
		case <-f.hold:
		case <-r.Context().Done():
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts++
	if r.URL.Path != "/chat.postMessage" || r.Header.Get("Authorization") != "Bearer "+f.token {
		f.bad = append(f.bad, r.URL.Path+" "+r.Header.Get("Authorization"))
		_, _ = w.Write([]byte(`{"ok":false,"error":"invalid_auth"}`))
		return
	}
	if err := r.ParseForm(); err != nil {
		f.bad = append(f.bad, err.Error())
		return
	}
	if len(f.failures) > 0 {
		fail := f.failures[0]
		f.failures = f.failures[1:]
		fail(w)
		return
	}
	f.posts = append(f.posts, post{r.PostForm.Get("channel"), r.PostForm.Get("text")})
	_, _ = w.Write([]byte(`{"ok":true,"channel":"C024BE91L","ts":"1401383885.000061"}`))
}

func (f *fakeSlack) got() (posts []post, attempts int, bad []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.posts), f.attempts, slices.Clone(f.bad)
}

// tokenFile writes a token file, as --slack-token-file reads.
func tokenFile(t *testing.T, token string) func() (string, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "slack-token")
	if err := os.WriteFile(p, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return TokenFile(p)
}

// sandboxGitHub starts the sandbox GitHub with demo/hello and pull
// request 1, and returns the bot's client.
func sandboxGitHub(t *testing.T) *github.Client {
	t.Helper()
	b := seed.New().User("the-bot", "bot-token").User("alice", "alice-token").Members("the-bot").Collaborators("write", "the-bot").
		Pull("alice", "Change", sandbox.FileChanges{"a.txt": "a\n"})
	_, ts := seed.Serve(t, b.Seed())
	return ghclient.New(t, ts.URL, "bot-token")
}

// TestSlackFailuresNeverHoldBackGitHub: crier runs the GitHub reporter
// and the Slack reporter in loops of their own. While Slack hangs, the
// job's commit status still follows its state; then Slack answers 503, a
// rate limit (HTTP 429 with Retry-After) and ok:false ratelimited before
// it takes the message, which the loop retries until it does. The
// message is posted once, and loops started again post nothing twice.
func TestSlackFailuresNeverHoldBackGitHub(t *testing.T) {
	gh := sandboxGitHub(t)
	pr, err := gh.GetPullRequest(t.Context(), "demo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	fake := &fakeSlack{token: "xoxb-bot", hold: make(chan struct{}), failures: []func(http.ResponseWriter){
		func(w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) },
		func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		},
		func(w http.ResponseWriter) { _, _ = w.Write([]byte(`{"ok":false,"error":"ratelimited"}`)) },
	}}
	slackSrv := httptest.NewServer(fake)
	t.Cleanup(slackSrv.Close)
	sr, err := New(map[string]Poster{"": &Client{APIURL: slackSrv.URL, Token: tokenFile(t, "xoxb-bot")}})
	if err != nil {
		t.Fatal(err)
	}

	cfg := &config.Config{}
	cfg.GitHubReporter.JobTypesToReport = []prowapi.ProwJobType{prowapi.PresubmitJob}
	cfg.SlackReporterConfigs = config.SlackReporterConfigs{"demo": {JobTypesToReport: []prowapi.ProwJobType{prowapi.PresubmitJob},
		SlackReporterConfig: prowapi.SlackReporterConfig{Channel: "ci-alerts", JobStatesToReport: failing}}}
	store := reporttest.OpenStore(t)
	stopGH := reporttest.StartLoop(t, store, cfg, report.NewGitHub(gh, store))
	stopSlack := reporttest.StartLoop(t, store, cfg, sr)

	newPresubmit := func(name, context string) {
		reporttest.Create(t, store, &prowapi.ProwJob{
			ObjectMeta: metav1.ObjectMeta{Name: name},
			Spec: prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: "pull-" + context, Context: context, Report: true,
				Refs: &prowapi.Refs{Org: "demo", Repo: "hello", BaseRef: pr.BaseRef, BaseSHA: pr.BaseSHA,
					Pulls: []prowapi.Pull{{Number: 1, Author: "alice", SHA: pr.HeadSHA}}}},
			Status: prowapi.ProwJobStatus{State: prowapi.PendingState, StartTime: metav1.Now(), URL: "https://prow.example/view/" + name},
		})
	}
	statusOf := func(context string) func() string {
		return func() string {
			all, err := gh.ListStatuses(t.Context(), "demo", "hello", pr.HeadSHA)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range all {
				if s.Context == context {
					return s.State
				}
			}
			return ""
		}
	}

	newPresubmit("unit-1", "unit")
	reporttest.Eventually(t, "the pending status on GitHub", func() bool { return statusOf("unit")() == "pending" })
	reporttest.SetState(t, store, "unit-1", prowapi.FailureState, "Job failed.")
	reporttest.Eventually(t, "the failure status on GitHub while Slack hangs", func() bool { return statusOf("unit")() == "failure" })
	reporttest.Eventually(t, "GitHub's report recorded while Slack hangs",
		reporttest.Recorded(t, store, "unit-1", report.GitHubReporterName, prowapi.FailureState))
	if posts, _, _ := fake.got(); len(posts) != 0 {
		t.Fatalf("Slack took %v while it hung", posts)
	}

	close(fake.hold)
	reporttest.Eventually(t, "the Slack report recorded after Slack's failures",
		reporttest.Recorded(t, store, "unit-1", Name, prowapi.FailureState))
	posts, attempts, bad := fake.got()
	want := post{"ci-alerts", "Job pull-unit of type presubmit ended with state failure. <https://prow.example/view/unit-1|View logs>"}
	if len(posts) != 1 || posts[0] != want {
		t.Errorf("Slack took %v, want once %v", posts, want)
	}
	if attempts < 4 {
		t.Errorf("Slack saw %d attempts; its three failures must have been retried", attempts)
	}
	if len(bad) > 0 {
		t.Errorf("requests Slack would refuse: %v", bad)
	}

	// A restart reads the recorded states: the first job is not posted
	// again; a new failure is.
	stopGH()
	stopSlack()
	reporttest.StartLoop(t, store, cfg, report.NewGitHub(gh, store))
	reporttest.StartLoop(t, store, cfg, sr)
	newPresubmit("lint-1", "lint")
	reporttest.SetState(t, store, "lint-1", prowapi.FailureState, "Job failed.")
	reporttest.Eventually(t, "the second job's Slack report", reporttest.Recorded(t, store, "lint-1", Name, prowapi.FailureState))
	reporttest.Eventually(t, "the second job's GitHub status", func() bool { return statusOf("lint")() == "failure" })
	posts, _, _ = fake.got()
	if len(posts) != 2 || posts[0] != want || posts[1].text != "Job pull-lint of type presubmit ended with state failure. <https://prow.example/view/lint-1|View logs>" {
		t.Errorf("after the restart Slack has %v, want the first message once and the second job's", posts)
	}
}

// The reporter is crier's, and its errors tell the loop how long Slack
// asked to wait.
var (
	_ report.Reporter   = (*Reporter)(nil)
	_ report.RetryAfter = (*Error)(nil)
)
