package owners

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sync"
)

// FileReader reads a repository's files at a revision (prow/git does).
type FileReader interface {
	Files(ctx context.Context, org, repo, ref string, keep func(path string) bool) (fs.FS, error)
}

// Loader loads and caches the OWNERS of a repository at a base SHA: the
// same base gives the same owners, so each is read once.
type Loader struct {
	Git FileReader
	// Options gives the file names and denylist of org/repo; nil means
	// Prow's defaults.
	Options func(org, repo string) Options

	mu    sync.Mutex
	cache map[string]*RepoOwners
}

// Load returns the owners of org/repo at sha.
func (l *Loader) Load(ctx context.Context, org, repo, sha string) (*RepoOwners, error) {
	key := org + "/" + repo + "@" + sha
	l.mu.Lock()
	if ro, ok := l.cache[key]; ok {
		l.mu.Unlock()
		return ro, nil
	}
	l.mu.Unlock()
	var o Options
	if l.Options != nil {
		o = l.Options(org, repo)
	}
	ownersFile, aliasesFile := o.OwnersFile, o.AliasesFile
	if ownersFile == "" {
		ownersFile = "OWNERS"
	}
	if aliasesFile == "" {
		aliasesFile = "OWNERS_ALIASES"
	}
	fsys, err := l.Git.Files(ctx, org, repo, sha, func(p string) bool {
		return path.Base(p) == ownersFile || p == aliasesFile
	})
	if err != nil {
		return nil, fmt.Errorf("read OWNERS of %s: %w", key, err)
	}
	ro, err := Load(fsys, o)
	if err != nil {
		return nil, fmt.Errorf("OWNERS of %s: %w", key, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cache == nil {
		l.cache = map[string]*RepoOwners{}
	}
	l.cache[key] = ro
	return ro, nil
}
