package kube

import (
	"context"
	"fmt"
	"sync"

	"k8s.io/client-go/tools/cache"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Watch implements jobs.Watcher with a handler on the cache's informer:
// an Added event for every cached job, then each change. The informer
// buffers the events of each handler without bound, so a slow reader
// never holds up the others or a writer.
func (s *Store) Watch(ctx context.Context) (<-chan jobs.Event, error) {
	w := &watcher{ctx: ctx, ch: make(chan jobs.Event)}
	reg, err := s.informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) { w.send(jobs.Added, obj) },
		UpdateFunc: func(old, obj any) {
			if o, ok := old.(*prowapi.ProwJob); !ok || o.ResourceVersion != versionOf(obj) {
				w.send(jobs.Modified, obj)
			}
		},
		DeleteFunc: func(obj any) {
			if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = tomb.Obj
			}
			w.send(jobs.Deleted, obj)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("watch jobs: %w", err)
	}
	go func() {
		<-ctx.Done()
		// The handler returns at once now that ctx is done; after the
		// removal no call is made, and close waits for the last one.
		_ = s.informer.RemoveEventHandler(reg)
		w.close()
	}()
	return w.ch, nil
}

// watcher forwards one watch's events until its context ends.
type watcher struct {
	ctx context.Context
	ch  chan jobs.Event
	// mu keeps close from racing a send.
	mu     sync.Mutex
	closed bool
}

func (w *watcher) send(typ jobs.EventType, obj any) {
	pj, ok := obj.(*prowapi.ProwJob)
	if !ok {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	select {
	case w.ch <- jobs.Event{Type: typ, Job: export(pj.DeepCopy())}:
	case <-w.ctx.Done():
	}
}

func (w *watcher) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	close(w.ch)
}

func versionOf(obj any) string {
	if pj, ok := obj.(*prowapi.ProwJob); ok {
		return pj.ResourceVersion
	}
	return ""
}
