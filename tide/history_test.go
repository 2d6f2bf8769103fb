package tide_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs/sqlite"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/tide"
)

// historyOpener opens a history store for one test; calling the result
// again opens the same store anew, as a restarted process would.
type historyOpener func(t *testing.T) func() tide.HistoryStore

// eachHistoryStore runs a test on the embedded mode's history (the job
// store's SQLite database) and the cluster mode's (a ConfigMap on a real
// API server).
func eachHistoryStore(t *testing.T, test func(t *testing.T, open func() tide.HistoryStore)) {
	for name, opener := range map[string]historyOpener{"sqlite": sqliteHistory, "kube": configMapHistory(0)} {
		t.Run(name, func(t *testing.T) { test(t, opener(t)) })
	}
}

func sqliteHistory(t *testing.T) func() tide.HistoryStore {
	path := filepath.Join(t.TempDir(), "jobs.db")
	return func() tide.HistoryStore {
		s, err := sqlite.Open(context.Background(), path, sqlite.Options{})
		must(t, err)
		t.Cleanup(func() { _ = s.Close() })
		return tide.BlobHistory(s)
	}
}

func configMapHistory(maxBytes int) historyOpener {
	return func(t *testing.T) func() tide.HistoryStore {
		env := kube.Env(t)
		ns, err := env.Client.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "tide-history-"}}, metav1.CreateOptions{})
		must(t, err)
		return func() tide.HistoryStore {
			return &tide.ConfigMapHistory{ConfigMaps: env.Client.CoreV1().ConfigMaps(ns.Name), MaxBytes: maxBytes}
		}
	}
}

// historyJSON is /tide-history.js as the controller serves it.
func (w *world) historyJSON() map[string][]tide.Record {
	w.t.Helper()
	rec := httptest.NewRecorder()
	w.ctrl.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/tide-history.js", nil))
	var out struct{ History map[string][]tide.Record }
	must(w.t, json.Unmarshal(rec.Body.Bytes(), &out))
	return out.History
}

func TestHistorySurvivesARestart(t *testing.T) {
	eachHistoryStore(t, func(t *testing.T, open func() tide.HistoryStore) {
		w := newWorld(t, baseConfig, pull{repo: "demo/hello", file: "README.md", content: "mine\n", labels: ready},
			pull{repo: "demo/other", file: "x", content: "x\n", labels: ready})
		w.opts.History = open()
		w.restart()
		w.setStatus("demo/hello", 1, "ci", "success", "")
		w.setStatus("demo/other", 2, "ci", "success", "")
		// A push to main as tide merges #1 makes GitHub refuse it.
		w.intercept(func(r *http.Request) {
			if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/demo/hello/pulls/1/merge") {
				w.intercept(nil)
				if _, err := w.sb.PushToBranch(context.Background(), "demo/hello", "main", sandbox.Push{Files: sandbox.FileChanges{"README.md": "theirs\n"}}); err != nil {
					t.Error(err)
				}
			}
		})
		w.sync()
		before := w.historyJSON()

		w.opts.History = open()
		w.restart()
		after := w.historyJSON()
		hello, other := after["demo/hello:main"], after["demo/other:main"]
		if len(hello) != 1 || hello[0].Action != "MERGE" || hello[0].Err != "GitHub refused the merge: Pull Request is not mergeable" || hello[0].Target[0].Number != 1 {
			t.Errorf("demo/hello after the restart: %+v", hello)
		}
		if len(other) != 1 || other[0].Action != "MERGE" || other[0].Err != "" || other[0].Target[0].Author != "dev" || other[0].BaseSHA == "" {
			t.Errorf("demo/other after the restart: %+v", other)
		}
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("the history changed across the restart:\nbefore %+v\nafter  %+v", before, after)
		}

		// Records made after the restart come after the stored ones.
		w.advance(time.Minute)
		w.sync() // nothing left to merge in demo/other; demo/hello conflicts
		w.opts.History = open()
		w.restart()
		if got := w.historyJSON()["demo/other:main"]; len(got) != 1 {
			t.Errorf("demo/other after a second restart: %+v", got)
		}
	})
}

func TestHistoryStoreKeepsTheLatestRecords(t *testing.T) {
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	rec := func(i int) tide.Record {
		return tide.Record{Time: at.Add(time.Duration(i) * time.Second), Action: "MERGE", BaseSHA: "base", Err: fmt.Sprintf("attempt %d", i),
			Target: []tide.PRMeta{{Number: i, Author: "dev", Title: "Change <b>", SHA: "head"}}}
	}
	eachHistoryStore(t, func(t *testing.T, open func() tide.HistoryStore) {
		h := open()
		ctx := context.Background()
		for i := range 503 {
			must(t, h.Append(ctx, "org/repo:main", rec(i)))
		}
		must(t, h.Append(ctx, "org/other:dev", rec(1000)))
		got, err := open().Load(ctx)
		must(t, err)
		main := got["org/repo:main"]
		if len(main) != 500 || main[0].Target[0].Number != 3 || main[499].Err != "attempt 502" || !main[499].Time.Equal(rec(502).Time) {
			t.Fatalf("org/repo:main kept %d records, first %+v", len(main), main[0])
		}
		if other := got["org/other:dev"]; len(other) != 1 || other[0].Target[0].Title != "Change <b>" {
			t.Errorf("org/other:dev: %+v", other)
		}
	})
}

func TestConfigMapHistoryDropsTheOldestRecordsToFitItsSize(t *testing.T) {
	h := configMapHistory(4096)(t)()
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for i := range 60 {
		pool := []string{"org/a:main", "org/b:main"}[i%2]
		must(t, h.Append(ctx, pool, tide.Record{Time: at.Add(time.Duration(i) * time.Second), Action: "TRIGGER", BaseSHA: strings.Repeat("f", 40)}))
	}
	got, err := h.Load(ctx)
	must(t, err)
	a, b := got["org/a:main"], got["org/b:main"]
	data, _ := json.Marshal(got)
	if len(data) > 4096 || len(a) == 0 || len(b) == 0 || len(a)+len(b) >= 60 {
		t.Fatalf("kept %d+%d records in %d bytes", len(a), len(b), len(data))
	}
	if last := b[len(b)-1]; !last.Time.Equal(at.Add(59 * time.Second)) {
		t.Errorf("the newest record was dropped: %+v", last)
	}
	if first := a[0]; first.Time.Sub(at) < time.Duration(60-len(a)-len(b)-1)*time.Second {
		t.Errorf("an old record was kept before newer ones: %+v", first)
	}
}

func TestConfigMapHistoryKeepsConcurrentAndCompetingAppends(t *testing.T) {
	open := configMapHistory(0)(t)
	first, second := open(), open() // second: a former leader still writing
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := first
			if i%5 == 0 {
				h = second
			}
			if err := h.Append(ctx, fmt.Sprintf("org/repo%d:main", i%4), tide.Record{Time: at.Add(time.Duration(i) * time.Second), Action: "MERGE"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := open().Load(ctx)
	must(t, err)
	n := 0
	for _, list := range got {
		n += len(list)
	}
	if n != 20 || len(got) != 4 {
		t.Errorf("kept %d records in %d pools, want 20 in 4", n, len(got))
	}
}
