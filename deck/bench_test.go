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
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/memstore"
	"github.com/prowbot/prow/jobs/sqlite"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/test/testlog"
)

// benchJobs makes n jobs over 50 repos and 200 job names, a minute
// apart.
func benchJobs(n int) []*prowapi.ProwJob {
	states := []prowapi.ProwJobState{prowapi.SuccessState, prowapi.SuccessState, prowapi.SuccessState, prowapi.FailureState, prowapi.PendingState, prowapi.AbortedState}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]*prowapi.ProwJob, n)
	for i := range n {
		repo := fmt.Sprintf("repo-%d", i%50)
		pj := &prowapi.ProwJob{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("job-%06d", i)}}
		pj.Spec = prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: fmt.Sprintf("pull-%s-test-%d", repo, i%4), Refs: &prowapi.Refs{
			Org: "acme", Repo: repo, BaseRef: "main", BaseSHA: "0123456789abcdef",
			Pulls: []prowapi.Pull{{Number: i % 3000, Author: fmt.Sprintf("user%d", i%300), SHA: "fedcba9876543210", Link: "https://github.com/acme/" + repo + "/pull/" + strconv.Itoa(i%3000)}}},
			DecorationConfig: &prowapi.DecorationConfig{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "gs://bench-bucket", PathStrategy: "explicit"}}}
		st := states[i%len(states)]
		pj.Status = prowapi.ProwJobStatus{State: st, BuildID: strconv.Itoa(1_000_000 + i), StartTime: metav1.NewTime(start.Add(time.Duration(i) * time.Minute))}
		if st.IsFinal() {
			done := metav1.NewTime(pj.Status.StartTime.Add(7 * time.Minute))
			pj.Status.CompletionTime = &done
		}
		out[i] = pj
	}
	return out
}

func benchDeck(b *testing.B, l jobs.Lister, g jobs.Getter) *deck.Server {
	cfg := &config.Config{}
	cfg.Deck.HiddenRepos = []string{"acme/repo-49"}
	s, err := deck.New(deck.Options{Lister: l, Getter: g, Config: func() *config.Config { return cfg }, Logger: testlog.Discard()})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkJobListFirstPage100k is the server time and size of the job
// list's first page and of a filtered page with 100,000 jobs in the
// store (target < 100 ms, < 200 KB).
func BenchmarkJobListFirstPage100k(b *testing.B) {
	db := benchStore(b, 100_000)
	stores := []struct {
		name string
		l    jobs.Lister
		g    jobs.Getter
	}{{"sqlite", db, db}}
	pages := []struct{ name, target string }{
		{"first-page", "/"},
		{"filtered", "/?repo=acme/repo-7&state=failure"},
		{"glob", "/?job=pull-repo-7-*"},
		{"glob-matching-nothing", "/?job=*junit*"},
		{"glob-matching-all", "/?job=pull-*"},
		{"author-any-case", "/?author=USER7"},
		{"api-first-page", "/api/jobs"},
		{"cluster-default", "/?cluster=default"},
		{"cluster-matching-nothing", "/?cluster=build-2"},
		// The list's state counts and histogram (1,000 jobs) and its
		// suggestions, which its script fetches after the page.
		{"job-stats", "/api/job-stats"},
		{"job-stats-glob", "/api/job-stats?job=pull-*"},
		{"suggest", "/api/suggest"},
	}
	for _, st := range stores {
		s := benchDeck(b, st.l, st.g)
		for _, p := range pages {
			b.Run(st.name+"/"+p.name, func(b *testing.B) {
				var size int
				for b.Loop() {
					rec := httptest.NewRecorder()
					s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", p.target, nil))
					if rec.Code != 200 {
						b.Fatalf("status %d", rec.Code)
					}
					size = rec.Body.Len()
				}
				b.ReportMetric(float64(size), "B/page")
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
			})
		}
	}
}

// BenchmarkLogRange100MB serves 1 MB ranges of a 100 MB build log with
// ANSI color codes, and its job page: the allocation per request stays
// small because the log is streamed, never read whole.
func BenchmarkLogRange100MB(b *testing.B) {
	dir := b.TempDir()
	bucket, err := storage.NewLocal(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer bucket.Close()
	const build = "logs/big-job/1"
	// Colored as go test -v and ginkgo write: 100 bytes a line.
	line := "\x1b[32m" + strings.Repeat("x", 90) + "\x1b[0m\n"
	fh, err := os.Create(filepath.Join(dir, "log.tmp"))
	if err != nil {
		b.Fatal(err)
	}
	chunk := strings.Repeat(line, 10_000)
	for range 100 {
		if _, err := fh.WriteString(chunk); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		b.Fatal(err)
	}
	if _, err := bucket.Write(context.Background(), build+"/build-log.txt", fh, storage.WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	_ = fh.Close()
	mem := memstore.New()
	cfg := &config.Config{}
	s, err := deck.New(deck.Options{Lister: mem, Getter: mem, Config: func() *config.Config { return cfg }, Logger: testlog.Discard(),
		Storage: storage.NewOpener(storage.GCSOptions{}), LocalBucket: "file://" + dir})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct{ name, target string }{
		{"range-1MB", "/api/log?src=local/" + build + "&file=build-log.txt&offset=52428800&length=1048576"},
		{"job-page-tail", "/view/local/" + build},
	} {
		b.Run(tc.name, func(b *testing.B) { benchGET(b, s.Handler(), tc.target) })
	}
}

// countingWriter is a ResponseWriter that counts the body and keeps
// none of it, so allocation figures are the server's own.
type countingWriter struct {
	header http.Header
	status int
	n      int64
}

func (w *countingWriter) Header() http.Header { return w.header }

func (w *countingWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.WriteHeader(200)
	w.n += int64(len(p))
	return len(p), nil
}

// benchGET measures GETs of target from h, which must answer 200, and
// reports the bytes of a response.
func benchGET(b *testing.B, h http.Handler, target string) {
	b.ReportAllocs()
	var sent int64
	for b.Loop() {
		w := &countingWriter{header: http.Header{}}
		h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		if w.status != 200 {
			b.Fatalf("status %d", w.status)
		}
		sent = w.n
	}
	b.ReportMetric(float64(sent), "B/response")
}

// benchStore is a SQLite store holding n benchJobs, closed when the
// benchmark ends.
func benchStore(b *testing.B, n int) *sqlite.Store {
	b.Helper()
	pjs := benchJobs(n)
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "jobs.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if got, err := db.Import(context.Background(), pjs); err != nil || got != len(pjs) {
		b.Fatalf("import: %d, %v", got, err)
	}
	return db
}
