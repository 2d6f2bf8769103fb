package deck_test

import (
	"context"
	"encoding/json"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prowbot/prow/deck"
	"github.com/prowbot/prow/prow/storage"
)

// countingOpener counts every read a deck makes through its buckets.
type countingOpener struct {
	inner deck.Opener
	reads *atomic.Int64
}

func (o countingOpener) Open(ctx context.Context, location string) (storage.Bucket, error) {
	b, err := o.inner.Open(ctx, location)
	if err != nil {
		return nil, err
	}
	return countingBucket{Bucket: b, reads: o.reads}, nil
}

type countingBucket struct {
	storage.Bucket
	reads *atomic.Int64
}

func (b countingBucket) Read(ctx context.Context, name string) ([]byte, error) {
	b.reads.Add(1)
	return b.Bucket.Read(ctx, name)
}

func (b countingBucket) ReadRange(ctx context.Context, name string, off, n int64) (io.ReadCloser, error) {
	b.reads.Add(1)
	return b.Bucket.ReadRange(ctx, name, off, n)
}

func (b countingBucket) Attributes(ctx context.Context, name string) (storage.Attrs, error) {
	b.reads.Add(1)
	return b.Bucket.Attributes(ctx, name)
}

func (b countingBucket) List(ctx context.Context, opts storage.ListOptions) iter.Seq2[storage.Entry, error] {
	b.reads.Add(1)
	return b.Bucket.List(ctx, opts)
}

// do sends a request with a raw target straight to the handler.
func (f *fixture) do(method, target, user string, form url.Values) *httptest.ResponseRecorder {
	return f.doWith(method, target, user, form, nil)
}

// getWant GETs target, which must answer status with a body holding
// each of want, and returns the body.
func (f *fixture) getWant(t *testing.T, target string, status int, want []string) string {
	t.Helper()
	rec := f.do("GET", target, "", nil)
	body := rec.Body.String()
	if rec.Code != status {
		t.Fatalf("GET %s: status %d, want %d\n%s", target, rec.Code, status, body)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("GET %s: body lacks %q\n%s", target, w, body)
		}
	}
	return body
}

func (f *fixture) doWith(method, target, user string, form url.Values, headers map[string]string) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if user != "" {
		req.AddCookie(&http.Cookie{Name: "test-user", Value: user})
	}
	rec := httptest.NewRecorder()
	f.server.Handler().ServeHTTP(rec, req)
	return rec
}

func TestPages(t *testing.T) {
	f := newFixture(t)
	view := "/view/local/" + prDir
	tests := []struct {
		name, target string
		status       int
		want, absent []string
	}{
		{"the job list shows visible jobs newest first", "/", 200, []string{"pull-widget-e2e", prJob, periodicJob, `data-ts=`}, []string{"pull-vault", "secret-scan"}},
		{"the job list filters by job", "/?job=" + periodicJob, 200, []string{periodicJob}, []string{prJob, "pull-widget-e2e"}},
		{"the job list filters by repo, type, state, author and PR", "/?repo=acme/widget&type=presubmit&state=failure&author=bob&pr=12", 200, []string{prJob}, []string{"pull-widget-e2e", periodicJob}},
		{"the job list says when nothing matches", "/?job=nope", 200, []string{"No jobs match."}, nil},
		{"a bad filter is refused", "/?state=exploded", 400, []string{"state &#34;exploded&#34; is not one of"}, nil},
		{"a finished job shows its metadata", view, 200, []string{"failure", prJob, "#200", "main:abc,12:def", "Job history", "PR history"}, nil},
		{"a finished job shows its log with error lines marked and quiet ones folded", view, 200, []string{`class="ln err" data-n="120"><mark class="hl">E0101 12:01:59</mark> <mark class="hl">error</mark>: cannot reach the registry`, `<details class="fold"><summary>`, `make: *** [test] <mark class="hl">Error</mark> 1`}, nil},
		{"a finished job shows JUnit failures first with their messages", view, 200, []string{"6 run", "2 failed", "1 skipped", "TestWidgetStops", "widget did not stop: want stopped, got spinning", "timed out waiting for the login page"}, []string{">TestWidgetSpins<"}},
		{"a finished job lists its artifacts", view, 200, []string{"artifacts/junit_unit.xml", "artifacts/report.html", "/file/local/pr-logs/pull/acme_widget/12/" + prJob + "/200?name=artifacts%2Freport.html"}, nil},
		{"the legacy gcs provider and an allowed bucket work", "/view/gcs/" + allowedGCS + "/" + prDir, 200, []string{"TestWidgetStops"}, nil},
		{"a job is found by ProwJob name", "/view/prowjob/" + finishedPR, 200, []string{"TestWidgetStops", `href="/api/job/pj-finished-pr"`}, nil},
		{"a running job without storage shows the live log", "/view/prowjob/" + runningJob, 200, []string{`id="live-log"`, `data-job="pj-running"`, "pending"}, nil},
		{"the job history of a periodic starts at latest-build.txt", "/job-history/local/logs/" + periodicJob, 200, []string{"25 builds", ">124<", ">105<", "?buildId=104"}, []string{">100<", ">104<"}},
		{"the job history pages with buildId", "/job-history/local/logs/" + periodicJob + "?buildId=104", 200, []string{">104<", ">100<", "?buildId=124"}, []string{">105<"}},
		{"the job history tolerates a missing started.json", "/job-history/local/logs/" + periodicJob + "?buildId=103", 200, []string{">103<", "success"}, nil},
		{"the presubmit history follows the aliases", "/job-history/gs/" + allowedGCS + "/pr-logs/directory/" + prJob, 200, []string{">200<", "#12", "/view/gs/" + allowedGCS + "/" + prDir}, nil},
		{"the PR history groups runs by job", "/pr-history/?org=acme&repo=widget&pr=12", 200, []string{prJob, "pull-widget-e2e"}, []string{"secret-scan"}},
		{"the PR history needs org, repo and pr", "/pr-history/?org=acme", 400, []string{"needs ?org="}, nil},
		{"command help lists commands, featured first", "/command-help", 200, []string{"/lgtm [cancel]", "/hold [cancel]", "/test &lt;job&gt;"}, []string{"launch-missiles"}},
		{"command help filters by repo", "/command-help?repo=acme/widget", 200, []string{"/test &lt;job&gt;", "/lgtm"}, nil},
		{"plugins lists plugins per repo, not hidden ones", "/plugins", 200, []string{"acme/widget", "trigger", `>hold</a>, <a href="/plugin?plugin=lgtm&amp;repo=acme">lgtm</a>`}, []string{"secret"}},
		{"the static assets are served", "/static/deck.js", 200, []string{"textContent"}, nil},
		{"an unknown page is a 404 page", "/nope", 404, []string{"Page not found"}, nil},
		{"an unknown provider is a 404", "/view/azure/bucket/logs/x/1", 404, []string{"Unknown storage provider"}, nil},
		{"an S3 bucket no configuration names is refused", "/view/s3/bucket/logs/x/1", 403, []string{"does not serve bucket s3://bucket"}, nil},
		{"a missing build is a 404", "/view/local/logs/none/1", 404, []string{"Build not found"}, nil},
		{"a missing job is a 404", "/view/prowjob/nope", 404, []string{"Job not found"}, nil},
		{"a bucket not allowed is refused", "/view/gs/other-bucket/logs/x/1", 403, []string{"does not serve bucket"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := f.getWant(t, tc.target, tc.status, tc.want)
			for _, a := range tc.absent {
				if strings.Contains(body, a) {
					t.Errorf("GET %s: body has %q", tc.target, a)
				}
			}
		})
	}
}

func TestHiddenNeverShown(t *testing.T) {
	f := newFixture(t)
	hiddenDir := "pr-logs/pull/secret_vault/1/pull-vault/300"
	for _, target := range []string{
		"/view/local/" + hiddenDir,
		"/view/prowjob/" + hiddenRepo,
		"/view/prowjob/" + hiddenFlag,
		"/api/job/" + hiddenRepo,
		"/api/job/" + hiddenFlag,
		"/file/local/" + hiddenDir + "?name=build-log.txt",
		"/api/log?src=local/" + hiddenDir + "&file=build-log.txt&offset=0&length=100",
		"/api/log?job=" + hiddenRepo,
		"/pr-history/?org=secret&repo=vault&pr=1",
	} {
		t.Run(target, func(t *testing.T) {
			rec := f.do("GET", target, allowedUser, nil)
			if rec.Code != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", target, rec.Code)
			}
			if b := rec.Body.String(); strings.Contains(b, "secret log") || strings.Contains(b, "pull-vault\"") {
				t.Errorf("GET %s leaks the hidden job: %s", target, b)
			}
		})
	}
	t.Run("the API list leaves hidden jobs out", func(t *testing.T) {
		var ans struct{ Jobs []struct{ Name string } }
		rec := f.do("GET", "/api/jobs?repo=secret/vault", "", nil)
		if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil || len(ans.Jobs) != 0 {
			t.Errorf("hidden repo listed: %s (%v)", rec.Body.String(), err)
		}
	})
	t.Run("show-hidden shows them", func(t *testing.T) {
		g := newFixture(t, func(o *deck.Options) { o.ShowHidden = true })
		if rec := g.do("GET", "/view/local/"+hiddenDir, "", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "the secret log") {
			t.Errorf("status %d with --show-hidden", rec.Code)
		}
	})
}

func TestBadInputReadsNothing(t *testing.T) {
	var reads atomic.Int64
	f := newFixture(t, func(o *deck.Options) { o.Storage = countingOpener{inner: o.Storage, reads: &reads} })
	long := "/?job=" + strings.Repeat("a", 9000)
	tests := []struct {
		name, target string
		status       int
	}{
		{"dot-dot segments", "/view/local/logs/../../outside.txt", 400},
		{"encoded dot-dot", "/view/local/logs/%2e%2e/%2e%2e/outside.txt", 400},
		{"encoded slash", "/view/local/logs%2f..%2f..%2foutside.txt", 400},
		{"encoded backslash", "/view/local/logs%5c..%5coutside.txt", 400},
		{"backslash", "/view/local/logs\\..\\outside.txt", 400},
		{"NUL", "/view/local/logs/x%00/1", 400},
		{"dot-dot in an artifact name", "/file/local/" + prDir + "?name=../../../../outside.txt", 400},
		{"encoded dot-dot in an artifact name", "/file/local/" + prDir + "?name=%2e%2e%2f%2e%2e%2foutside.txt", 400},
		{"absolute artifact name", "/file/local/" + prDir + "?name=/etc/passwd", 400},
		{"backslash in an artifact name", "/file/local/" + prDir + "?name=..%5C..%5Coutside.txt", 400},
		{"NUL in an artifact name", "/file/local/" + prDir + "?name=build-log.txt%00", 400},
		{"dot-dot in a log source", "/api/log?src=local/logs/../..&file=outside.txt&offset=0&length=10", 400},
		{"dot-dot in the job history", "/job-history/local/logs/..", 400},
		{"a bucket not in the allowed list", "/file/gs/evil-bucket/" + prDir + "?name=build-log.txt", 403},
		{"a bucket name that is not one", "/view/gs/EVIL/" + prDir, 400},
		{"a huge query string", long, 414},
		{"a bad build ID in the history", "/job-history/local/logs/" + periodicJob + "?buildId=12ab", 400},
		{"a length too large for the log API", "/api/log?src=local/" + prDir + "&file=build-log.txt&offset=0&length=999999999", 400},
		{"a negative offset", "/api/log?src=local/" + prDir + "&file=build-log.txt&offset=-5&length=10", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := reads.Load()
			rec := f.do("GET", tc.target, "", nil)
			if rec.Code != tc.status {
				t.Errorf("GET %s: status %d, want %d\n%s", tc.target, rec.Code, tc.status, rec.Body.String())
			}
			if n := reads.Load() - before; n != 0 {
				t.Errorf("GET %s read storage %d times", tc.target, n)
			}
			if strings.Contains(rec.Body.String(), "TOP SECRET") {
				t.Errorf("GET %s leaked a file outside the bucket", tc.target)
			}
			if ct := rec.Header().Get("Content-Type"); tc.status != 400 || !strings.HasPrefix(tc.target, "/api/") {
				if !strings.HasPrefix(ct, "text/html") && !strings.HasPrefix(tc.target, "/api/") {
					t.Errorf("GET %s: content type %q, want an HTML error page", tc.target, ct)
				}
			}
		})
	}
}

func TestFiles(t *testing.T) {
	f := newFixture(t)
	base := "/file/local/" + prDir + "?name="
	tests := []struct {
		name, file, ctype, disposition, body string
	}{
		{"a log is plain text", "build-log.txt", "text/plain; charset=utf-8", "", "make: *** [test] Error 1"},
		{"HTML is served as text so it cannot run", "artifacts/report.html", "text/plain; charset=utf-8", "", "<script>"},
		{"a binary is a download", "artifacts/core.bin", "application/octet-stream", `attachment; filename="core.bin"`, "binary"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.do("GET", base+url.QueryEscape(tc.file), "", nil)
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			h := rec.Header()
			if h.Get("Content-Type") != tc.ctype || h.Get("Content-Disposition") != tc.disposition || h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers %v", h)
			}
			if !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
				t.Errorf("no sandbox CSP: %v", h)
			}
			if !strings.Contains(rec.Body.String(), tc.body) {
				t.Errorf("body %q lacks %q", rec.Body.String(), tc.body)
			}
		})
	}
	if rec := f.do("GET", base+"artifacts/nope.txt", "", nil); rec.Code != 404 {
		t.Errorf("missing file: status %d", rec.Code)
	}
}
