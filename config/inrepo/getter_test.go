package inrepo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/git"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

const central = `in_repo_config:
  enabled: {demo/hello: true}
  allowed_clusters: {"*": [default]}
presubmits:
  demo/hello:
  - name: pull-unit
    spec: {containers: [{image: golang}]}
`

const prowYAML = "presubmits:\n- name: pull-lint\n  spec: {containers: [{image: x}]}\n"

// world is a sandbox repository read through a real git cache.
type world struct {
	t   *testing.T
	sb  *sandbox.Server
	git *git.Client
	cfg *config.Config
}

func newWorld(t *testing.T) *world {
	t.Helper()
	s := seed.New().User("alice", "t").Members("alice").Files(sandbox.FileChanges{"README.md": "hi\n", ".prow.yaml": prowYAML}).Seed()
	sb, ts := seed.Serve(t, s)
	g := &git.Client{CacheDir: t.TempDir(), RemoteURL: func(org, repo string) string { return ts.URL + "/" + org + "/" + repo + ".git" }}
	return &world{t: t, sb: sb, git: g, cfg: loadConfig(t, central)}
}

func loadConfig(t *testing.T, text string) *config.Config {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	snap, _, err := config.Load(config.Options{ConfigPath: p})
	if err != nil {
		t.Fatal(err)
	}
	return snap.Config
}

// push commits files on branch (from main when new) and returns its tip.
func (w *world) push(branch string, files sandbox.FileChanges) string {
	w.t.Helper()
	sha, err := w.sb.PushToBranch(context.Background(), "demo/hello", branch, sandbox.Push{Files: files, Base: "main", Author: "alice"})
	if err != nil {
		w.t.Fatal(err)
	}
	return sha
}

func names(ps []config.Presubmit) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return strings.Join(out, ",")
}

// countingReader counts the reads that reach git; with gate set, each
// read waits for it to close.
type countingReader struct {
	r     Reader
	mu    sync.Mutex
	calls int
	gate  chan struct{}
}

func (c *countingReader) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

func (c *countingReader) MergedFiles(ctx context.Context, org, repo, base string, heads []string, paths ...string) (map[string][]byte, error) {
	c.mu.Lock()
	c.calls++
	c.mu.Unlock()
	if c.gate != nil {
		<-c.gate
	}
	return c.r.MergedFiles(ctx, org, repo, base, heads, paths...)
}

func TestGetterMergesHeadsAndCachesByRevision(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	base := w.push("main", sandbox.FileChanges{"base.txt": "1\n"})
	same := w.push("same", sandbox.FileChanges{"a.txt": "a\n"})
	changed := w.push("changed", sandbox.FileChanges{".prow.yaml": prowYAML + "- name: pull-new\n  spec: {containers: [{image: x}]}\n"})
	other := w.push("other", sandbox.FileChanges{"b.txt": "b\n"})
	reader := &countingReader{r: w.git}
	g := New(reader, 2)

	steps := []struct {
		name      string
		repo      string
		heads     []string
		want      string
		wantCalls int
	}{
		{"a repository without in-repo config enabled reads nothing", "other", []string{same}, "", 0},
		{"the base's .prow.yaml adds its jobs", "hello", []string{same}, "pull-unit,pull-lint", 1},
		{"the same revision is read once", "hello", []string{same}, "pull-unit,pull-lint", 1},
		{"a head that changes .prow.yaml runs its version", "hello", []string{changed}, "pull-unit,pull-lint,pull-new", 2},
		{"a batch merges every head on the base", "hello", []string{same, changed}, "pull-unit,pull-lint,pull-new", 3},
		{"the cache keeps two revisions: the oldest was dropped", "hello", []string{same}, "pull-unit,pull-lint", 4},
		{"a revision still cached is not read again", "hello", []string{same, changed}, "pull-unit,pull-lint,pull-new", 4},
		{"another head is another revision", "hello", []string{other}, "pull-unit,pull-lint", 5},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			ps, err := g.Presubmits(ctx, w.cfg, "demo", s.repo, base, s.heads...)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(ps); got != s.want {
				t.Errorf("presubmits %s, want %s", got, s.want)
			}
			if reader.calls != s.wantCalls || g.Reads() != int64(s.wantCalls) {
				t.Errorf("%d reads (%d counted), want %d", reader.calls, g.Reads(), s.wantCalls)
			}
		})
	}
}

func TestGetterCoalescesConcurrentRequests(t *testing.T) {
	w := newWorld(t)
	head := w.push("feature", sandbox.FileChanges{"a.txt": "a\n"})
	base := w.push("main", sandbox.FileChanges{"base.txt": "1\n"})
	reader := &countingReader{r: w.git, gate: make(chan struct{})}
	g := New(reader, 0)
	const n = 8
	var wg sync.WaitGroup
	results := make([]string, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ps, err := g.Presubmits(context.Background(), w.cfg, "demo", "hello", base, head)
			results[i], errs[i] = names(ps), err
		}()
	}
	// Open the gate once every other request waits for the first one's
	// read: without coalescing each would be in the reader by then.
	// (A second call into the reader ends the wait: that is the failure.)
	for g.Shared() < n-1 && reader.count() < 2 {
		runtime.Gosched()
	}
	close(reader.gate)
	wg.Wait()
	for i := range results {
		if errs[i] != nil || results[i] != "pull-unit,pull-lint" {
			t.Fatalf("request %d: %s, %v", i, results[i], errs[i])
		}
	}
	if reader.count() != 1 {
		t.Errorf("%d concurrent requests for one revision read it %d times, want once", n, reader.count())
	}
}

func TestGetterDoesNotKeepFailedReads(t *testing.T) {
	w := newWorld(t)
	reader := &countingReader{r: w.git}
	g := New(reader, 0)
	missing := strings.Repeat("ab", 20)
	for i := 1; i <= 2; i++ {
		_, err := g.Presubmits(context.Background(), w.cfg, "demo", "hello", missing)
		var bad *config.InRepoError
		if err == nil || errors.As(err, &bad) {
			t.Fatalf("a commit that does not exist should fail the read, got %v", err)
		}
		if reader.calls != i {
			t.Errorf("attempt %d: %d reads; a failed read must not be cached", i, reader.calls)
		}
	}
}

func TestGetterRebuildsJobsWhenTheConfigurationChanges(t *testing.T) {
	w := newWorld(t)
	base := w.push("main", sandbox.FileChanges{"base.txt": "1\n"})
	reader := &countingReader{r: w.git}
	g := New(reader, 0)
	if _, err := g.Presubmits(context.Background(), w.cfg, "demo", "hello", base); err != nil {
		t.Fatal(err)
	}
	// The central configuration now has pull-lint itself.
	reloaded := loadConfig(t, central+"  - name: pull-lint\n    spec: {containers: [{image: golang}]}\n")
	_, err := g.Presubmits(context.Background(), reloaded, "demo", "hello", base)
	var bad *config.InRepoError
	if !errors.As(err, &bad) || !strings.Contains(err.Error(), `"pull-lint" is already defined in the central configuration`) {
		t.Fatalf("after the reload: %v, want the clash", err)
	}
	if reader.calls != 1 {
		t.Errorf("%d reads: a reload needs no new read of the revision", reader.calls)
	}
}
