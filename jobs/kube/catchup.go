package kube

import (
	"context"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/resourceversion"
	toolscache "k8s.io/client-go/tools/cache"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// catchUpLimit bounds how long a write waits for the cache to see it. It
// only runs out when the cache cannot see the write at all (the watch is
// down); the write then returns, and reads serve the cache as it is.
const catchUpLimit = 10 * time.Second

// progress tracks how far the cache has got, so that each write returns
// only once the cache holds it: the store then reads its own writes
// from the cache, in Get, List and Watch alike.
type progress struct {
	mu sync.Mutex
	// seen is the highest resource version the cache has reported.
	seen string
	// advanced is closed, and replaced, whenever the cache changes.
	advanced chan struct{}
}

func newProgress() *progress { return &progress{advanced: make(chan struct{})} }

// observe is the cache's event handler: it runs after the cache holds
// the change.
func (s *Store) observe(obj any) {
	if tomb, ok := obj.(toolscache.DeletedFinalStateUnknown); ok {
		obj = tomb.Obj
	}
	version := ""
	if pj, ok := obj.(*prowapi.ProwJob); ok {
		version = pj.ResourceVersion
	}
	p := s.seen
	p.mu.Lock()
	defer p.mu.Unlock()
	if newer(version, p.seen) {
		p.seen = version
	}
	close(p.advanced)
	p.advanced = make(chan struct{})
}

// state is how far the cache has got and the channel closed when it
// gets further.
func (p *progress) state() (string, <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen, p.advanced
}

// awaitVersion waits until the cache holds the job at version or later,
// or lacks it after seeing a change at least as late (another writer
// deleted the job since; Get then asks the API server).
func (s *Store) awaitVersion(ctx context.Context, name, version string) {
	s.await(ctx, func(seen string) bool {
		if pj, ok := s.cached(ctx, name); ok {
			return atLeast(pj.ResourceVersion, version)
		}
		return atLeast(seen, version)
	})
}

// awaitGone waits until the cache no longer holds the job of that UID
// (any job of that name when the UID is unknown), or holds it marked
// deleted (finalizers keep it until they are removed).
func (s *Store) awaitGone(ctx context.Context, name string, uid types.UID) {
	s.await(ctx, func(string) bool {
		pj, ok := s.cached(ctx, name)
		return !ok || (uid != "" && pj.UID != uid) || pj.DeletionTimestamp != nil
	})
}

// await waits until done holds, for at most catchUpLimit or until ctx
// ends: the write it follows was made either way.
func (s *Store) await(ctx context.Context, done func(seen string) bool) {
	limit := time.NewTimer(catchUpLimit)
	defer limit.Stop()
	for {
		seen, advanced := s.seen.state()
		if done(seen) {
			return
		}
		select {
		case <-advanced:
		case <-limit.C:
			s.log.Warn("The ProwJob cache did not see a write in time; reads may miss it")
			return
		case <-ctx.Done():
			return
		}
	}
}

// newer is true when version a is after b ("" is before every
// version). Versions that are not numbers cannot be compared and count
// as not newer.
func newer(a, b string) bool {
	if b == "" {
		return a != ""
	}
	c, err := resourceversion.CompareResourceVersion(a, b)
	return err == nil && c > 0
}

// atLeast is true when version a is b or after it ("" is before every
// version). Other versions that cannot be compared count as caught up,
// so a write never waits on them.
func atLeast(a, b string) bool {
	switch {
	case b == "":
		return true
	case a == "":
		return false
	}
	c, err := resourceversion.CompareResourceVersion(a, b)
	return err != nil || c >= 0
}
