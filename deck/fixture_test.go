package deck_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck"
	"github.com/prowbot/prow/jobs/memstore"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/test/testlog"
)

// The fixture's world: a local bucket in Prow's layout and a store of
// jobs that point into it.
const (
	allowedGCS  = "allowed-bucket"
	finishedPR  = "pj-finished-pr"
	runningJob  = "pj-running"
	hiddenRepo  = "pj-hidden-repo"
	hiddenFlag  = "pj-hidden-flag"
	periodicJob = "periodic-nightly"
	prJob       = "pull-widget-unit"
	allowedUser = "alice"
	otherUser   = "mallory"
)

// fixture is a deck with its store, bucket and live log.
type fixture struct {
	t       testing.TB
	dir     string
	bucket  *storage.Local
	store   *memstore.Store
	server  *deck.Server
	http    *httptest.Server
	liveLog string
	reruns  []string
	aborts  []string
	mu      sync.Mutex
	cfg     *config.Config
	start   time.Time
}

// fixtureOptions change the deck a fixture builds.
type fixtureOptions func(*deck.Options)

// gcsAsLocal opens gs://allowed-bucket as the fixture's directory, so
// the /view/gs/ routes can be exercised without GCS.
type gcsAsLocal struct {
	local  string
	opener *storage.Opener
}

func (o gcsAsLocal) Open(ctx context.Context, location string) (storage.Bucket, error) {
	if location == "gs://"+allowedGCS {
		return storage.NewLocal(o.local)
	}
	return o.opener.Open(ctx, location)
}

func newFixture(t testing.TB, mods ...fixtureOptions) *fixture {
	t.Helper()
	dir := t.TempDir()
	b, err := storage.NewLocal(filepath.Join(dir, "bucket"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	f := &fixture{t: t, dir: dir, bucket: b, store: memstore.New(), liveLog: filepath.Join(dir, "live.log"), start: time.Now().Add(-time.Hour)}
	f.cfg = &config.Config{}
	f.cfg.Deck.HiddenRepos = []string{"secret/vault"}
	f.cfg.Deck.RerunAuthConfigs = map[string]prowapi.RerunAuthConfig{"acme/widget": {GitHubUsers: []string{allowedUser}}}
	f.writeBuilds()
	f.seedJobs()
	if err := os.WriteFile(f.liveLog, []byte("live line 1: cloning\nlive line 2: building\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := deck.Options{
		Lister: f.store, Getter: f.store, Config: func() *config.Config { return f.cfg },
		Storage:     gcsAsLocal{local: b.Dir(), opener: storage.NewOpener(storage.GCSOptions{})},
		LocalBucket: "file://" + b.Dir(), AllowedBuckets: []string{allowedGCS},
		CookieSecret: []byte(strings.Repeat("k", 32)),
		PluginHelp:   func(context.Context) ([]byte, error) { return []byte(pluginHelpJSON), nil },
		Rerun:        f.rerun, Abort: f.abort, LiveLog: f.openLive,
		Authenticate: func(r *http.Request) (string, bool) {
			c, err := r.Cookie("test-user")
			if err != nil {
				return "", false
			}
			return c.Value, true
		},
		Logger: testlog.Discard(),
	}
	for _, m := range mods {
		m(&opts)
	}
	s, err := deck.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	f.server = s
	f.http = httptest.NewServer(s.Handler())
	t.Cleanup(func() { f.http.Close(); _ = s.Close() })
	return f
}

const pluginHelpJSON = `{"AllRepos":["acme","secret/vault"],
 "RepoPlugins":{"acme":["lgtm","hold"],"acme/widget":["trigger"],"secret/vault":["secret-plugin"]},
 "RepoExternalPlugins":{},
 "PluginHelp":{
  "lgtm":{"Description":"Adds the lgtm label.","Commands":[{"Usage":"/lgtm [cancel]","Featured":true,"Description":"Adds or removes the lgtm label.","Examples":["/lgtm"],"WhoCanUse":"Collaborators"}]},
  "hold":{"Description":"Holds a PR.","Commands":[{"Usage":"/hold [cancel]","Description":"Stops a PR from merging.","Examples":["/hold"],"WhoCanUse":"Anyone"}]},
  "trigger":{"Description":"Runs tests.","Commands":[{"Usage":"/test <job>","Description":"Runs a job.","Examples":["/test all"],"WhoCanUse":"Trusted users"}]},
  "secret-plugin":{"Description":"Secret.","Commands":[{"Usage":"/launch-missiles","Description":"Hidden.","WhoCanUse":"Nobody"}]}}}`

func (f *fixture) write(name, content string) {
	f.t.Helper()
	if _, err := f.bucket.Write(context.Background(), name, strings.NewReader(content), storage.WriteOptions{}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) writeJSON(name string, v any) {
	f.t.Helper()
	if _, err := storage.WriteJSON(context.Background(), f.bucket, name, v, storage.WriteOptions{}); err != nil {
		f.t.Fatal(err)
	}
}

func testdata(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// prDir is the build directory of the finished presubmit.
const prDir = "pr-logs/pull/acme_widget/12/" + prJob + "/200"

func (f *fixture) writeBuilds() {
	passed, failed := true, false
	ts := f.start.Unix()
	end := ts + 95
	// A periodic with 25 builds; 103 has no started.json, 104 nothing.
	for id := 100; id < 125; id++ {
		d := fmt.Sprintf("logs/%s/%d", periodicJob, id)
		if id == 104 {
			f.write(d+"/build-log.txt", "nothing else here\n")
			continue
		}
		if id != 103 {
			f.writeJSON(d+"/started.json", storage.Started{Timestamp: ts + int64(id)})
		}
		p := &passed
		if id%5 == 0 {
			p = &failed
		}
		res := map[bool]string{true: "SUCCESS", false: "FAILURE"}[*p]
		f.writeJSON(d+"/finished.json", storage.Finished{Timestamp: &end, Passed: p, Result: res})
	}
	f.write("logs/"+periodicJob+"/latest-build.txt", "124")

	// The finished presubmit, with its alias.
	pj := f.job(finishedPR, prJob, prowapi.FailureState, "acme", "widget", 12, "200")
	f.writeJSON(prDir+"/prowjob.json", pj)
	f.writeJSON(prDir+"/started.json", storage.Started{Timestamp: ts, Pull: "12", Repos: map[string]string{"acme/widget": "main:abc,12:def"}})
	f.writeJSON(prDir+"/finished.json", storage.Finished{Timestamp: &end, Passed: &failed, Result: "FAILURE", Revision: "def"})
	f.write(prDir+"/build-log.txt", testdata(f.t, "build-log.txt"))
	f.write(prDir+"/artifacts/junit_unit.xml", testdata(f.t, "junit_unit.xml"))
	f.write(prDir+"/artifacts/e2e/junit_e2e.xml", testdata(f.t, "junit_e2e.xml"))
	f.write(prDir+"/artifacts/report.html", "<script>alert(1)</script>")
	f.write(prDir+"/artifacts/core.bin", "\x00\x01binary")
	f.write("pr-logs/directory/"+prJob+"/200.txt", f.bucket.URL(prDir))
	f.write("pr-logs/directory/"+prJob+"/latest-build.txt", "200")

	// A build of a hidden repo.
	hd := "pr-logs/pull/secret_vault/1/pull-vault/300"
	f.writeJSON(hd+"/prowjob.json", f.job(hiddenRepo, "pull-vault", prowapi.SuccessState, "secret", "vault", 1, "300"))
	f.writeJSON(hd+"/started.json", storage.Started{Timestamp: ts, Repos: map[string]string{"secret/vault": "main:1"}})
	f.write(hd+"/build-log.txt", "the secret log\n")

	// Something outside any build, that traversal must never reach.
	if err := os.WriteFile(filepath.Join(f.dir, "outside.txt"), []byte("TOP SECRET"), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// job builds a ProwJob whose artifacts go to the fixture's bucket.
func (f *fixture) job(name, job string, state prowapi.ProwJobState, org, repo string, pr int, build string) *prowapi.ProwJob {
	pj := &prowapi.ProwJob{ObjectMeta: metav1.ObjectMeta{Name: name}}
	pj.Spec = prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: job, Refs: &prowapi.Refs{Org: org, Repo: repo, BaseRef: "main", BaseSHA: "abc",
		Pulls: []prowapi.Pull{{Number: pr, Author: "bob", SHA: "def" + build}}},
		DecorationConfig: &prowapi.DecorationConfig{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "file://" + f.bucket.Dir(), PathStrategy: "explicit"}}}
	pj.Status = prowapi.ProwJobStatus{State: state, BuildID: build, StartTime: metav1.NewTime(f.start)}
	if state.IsFinal() {
		done := metav1.NewTime(f.start.Add(95 * time.Second))
		pj.Status.CompletionTime = &done
	}
	return pj
}

func (f *fixture) seedJobs() {
	ctx := context.Background()
	add := func(pj *prowapi.ProwJob) {
		if _, err := f.store.Create(ctx, pj); err != nil {
			f.t.Fatal(err)
		}
	}
	add(f.job(finishedPR, prJob, prowapi.FailureState, "acme", "widget", 12, "200"))
	running := f.job(runningJob, "pull-widget-e2e", prowapi.PendingState, "acme", "widget", 12, "201")
	running.Spec.DecorationConfig = nil
	running.Status.StartTime = metav1.NewTime(f.start.Add(time.Minute))
	add(running)
	add(f.job(hiddenRepo, "pull-vault", prowapi.SuccessState, "secret", "vault", 1, "300"))
	hid := f.job(hiddenFlag, "pull-widget-secret-scan", prowapi.SuccessState, "acme", "widget", 12, "301")
	hid.Spec.Hidden = true
	add(hid)
	for i := range 5 {
		pj := f.job(fmt.Sprintf("pj-periodic-%d", i), periodicJob, prowapi.SuccessState, "", "", 0, fmt.Sprint(120+i))
		pj.Spec.Type, pj.Spec.Refs = prowapi.PeriodicJob, nil
		pj.Status.StartTime = metav1.NewTime(f.start.Add(-time.Duration(i+1) * time.Minute))
		add(pj)
	}
}

func (f *fixture) rerun(ctx context.Context, pj *prowapi.ProwJob, user string) (*prowapi.ProwJob, error) {
	f.mu.Lock()
	f.reruns = append(f.reruns, pj.Name+" by "+user)
	f.mu.Unlock()
	n := pj.DeepCopy()
	n.Name, n.ResourceVersion = pj.Name+"-rerun", ""
	n.Status = prowapi.ProwJobStatus{State: prowapi.TriggeredState, StartTime: metav1.Now()}
	return f.store.Create(ctx, n)
}

func (f *fixture) abort(_ context.Context, pj *prowapi.ProwJob, user string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.aborts = append(f.aborts, pj.Name+" by "+user)
	return nil
}

func (f *fixture) openLive(_ context.Context, pj *prowapi.ProwJob) (io.ReadCloser, error) {
	if pj.Name != runningJob {
		return nil, os.ErrNotExist
	}
	return os.Open(f.liveLog)
}

// appendLive adds a line to the running job's live log.
func (f *fixture) appendLive(line string) { f.appendRaw(line + "\n") }

// appendRaw adds bytes to the running job's live log.
func (f *fixture) appendRaw(text string) {
	f.t.Helper()
	fh, err := os.OpenFile(f.liveLog, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	defer fh.Close()
	if _, err := fh.WriteString(text); err != nil {
		f.t.Fatal(err)
	}
}

func withPageSize(n int) fixtureOptions {
	return func(o *deck.Options) { o.PageSize = n }
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
