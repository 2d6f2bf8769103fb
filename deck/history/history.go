package history

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prowbot/prow/deck/lens"
	"github.com/prowbot/prow/prow/storage"
)

// PageSize is the number of builds a page shows.
const PageSize = 20

// readers is how many builds are read at once.
const readers = 10

// Build is one row of a job's history.
type Build struct {
	ID string
	// Dir is the build directory, empty when an alias could not be read.
	Dir      string
	Metadata lens.Metadata
	// Err says what went wrong reading this build, if anything.
	Err string
}

// State is the build's state (see lens.Metadata.State).
func (b Build) State() string { return b.Metadata.State() }

// Start is when the build started (zero when unknown).
func (b Build) Start() time.Time { return b.Metadata.StartTime() }

// Duration is how long the build took (zero when unknown).
func (b Build) Duration() time.Duration { return b.Metadata.Duration() }

// Page is one page of a job's history, newest first.
type Page struct {
	// Dir is the job's history directory.
	Dir    string
	Builds []Build
	// Total is the number of builds found.
	Total int
	// Newer and Older are the build IDs that start the neighboring
	// pages (empty when there is none).
	Newer, Older string
	// Latest is the content of latest-build.txt, if present.
	Latest string
}

// IsBuildID says whether s looks like a build ID: 1 to 30 digits.
func IsBuildID(s string) bool {
	if s == "" || len(s) > 30 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// lessID orders numeric IDs: shorter first, then by digits.
func lessID(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// Read returns the page of the history in dir (logs/<job> or
// pr-logs/directory/<job>) that starts at build top (or at
// latest-build.txt when top is empty).
func Read(ctx context.Context, b storage.Bucket, dir, top string) (*Page, error) {
	if err := storage.ValidatePath(dir); err != nil {
		return nil, fmt.Errorf("job history %s: %w", dir, err)
	}
	if top != "" && !IsBuildID(top) {
		return nil, fmt.Errorf("job history %s: build ID %q is not a number: %w", dir, top, storage.ErrInvalidPath)
	}
	ids, err := listIDs(ctx, b, dir)
	if err != nil {
		return nil, err
	}
	p := &Page{Dir: dir, Total: len(ids), Latest: readLatest(ctx, b, dir)}
	if top == "" {
		top = p.Latest
	}
	start := 0
	if top != "" {
		start, _ = slices.BinarySearchFunc(ids, top, func(id, t string) int { return lessID(t, id) })
	}
	end := min(start+PageSize, len(ids))
	if end < len(ids) {
		p.Older = ids[end]
	}
	if start > 0 {
		p.Newer = ids[max(0, start-PageSize)]
	}
	p.Builds = readBuilds(ctx, b, dir, ids[start:end])
	return p, nil
}

// listIDs lists the build IDs in dir, newest first.
func listIDs(ctx context.Context, b storage.Bucket, dir string) ([]string, error) {
	prefix := dir + "/"
	var ids []string
	for e, err := range b.List(ctx, storage.ListOptions{Prefix: prefix, Delimiter: "/"}) {
		if err != nil {
			return nil, fmt.Errorf("list builds in %s: %w", b.URL(dir), err)
		}
		name := strings.TrimPrefix(e.Name, prefix)
		if e.IsPrefix {
			name = strings.TrimSuffix(name, "/")
		} else {
			name = strings.TrimSuffix(name, ".txt")
		}
		if IsBuildID(name) {
			ids = append(ids, name)
		}
	}
	slices.SortFunc(ids, func(a, c string) int { return lessID(c, a) })
	return slices.Compact(ids), nil
}

func readLatest(ctx context.Context, b storage.Bucket, dir string) string {
	data, err := b.Read(ctx, dir+"/"+storage.LatestBuildFile)
	if err != nil {
		return ""
	}
	id := strings.TrimSpace(string(data))
	if !IsBuildID(id) {
		return ""
	}
	return id
}

// readBuilds reads the metadata of the builds, a few at a time.
func readBuilds(ctx context.Context, b storage.Bucket, dir string, ids []string) []Build {
	builds := make([]Build, len(ids))
	sem := make(chan struct{}, readers)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			builds[i] = readBuild(ctx, b, dir, id)
		}()
	}
	wg.Wait()
	return builds
}

func readBuild(ctx context.Context, b storage.Bucket, dir, id string) Build {
	build := Build{ID: id}
	buildDir, err := BuildDir(ctx, b, dir, id)
	if err != nil {
		build.Err = err.Error()
		return build
	}
	build.Dir = buildDir
	md, err := lens.ReadStartedFinished(ctx, b, buildDir)
	if err != nil {
		build.Err = err.Error()
	}
	build.Metadata = md
	return build
}

// BuildDir finds the directory of build id of the history in dir: the
// subdirectory for logs/<job>, the target of the <id>.txt alias for
// pr-logs/directory/<job>.
func BuildDir(ctx context.Context, b storage.Bucket, dir, id string) (string, error) {
	alias := dir + "/" + id + ".txt"
	data, err := b.Read(ctx, alias)
	if errors.Is(err, storage.ErrNotExist) {
		return dir + "/" + id, nil
	}
	if err != nil {
		return "", fmt.Errorf("read alias %s: %w", alias, err)
	}
	target, err := AliasTarget(b, strings.TrimSpace(string(data)))
	if err != nil {
		return "", fmt.Errorf("alias %s: %w", alias, err)
	}
	return target, nil
}

// AliasTarget turns the address in an alias (gs://bucket/dir or
// file:///root/dir) into a directory of bucket b. Addresses of other
// buckets are refused.
func AliasTarget(b storage.Bucket, link string) (string, error) {
	root := strings.TrimSuffix(b.URL(""), "/") + "/"
	dir, ok := strings.CutPrefix(link, root)
	if !ok {
		return "", fmt.Errorf("link %q is not in bucket %s: %w", link, root, storage.ErrInvalidPath)
	}
	dir = strings.TrimSuffix(dir, "/")
	if err := storage.ValidatePath(dir); err != nil {
		return "", fmt.Errorf("link %q: %w", link, err)
	}
	return dir, nil
}
