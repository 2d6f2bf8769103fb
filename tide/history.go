package tide

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/prowbot/prow/tide/tidejson"
)

// maxHistory is how many records each pool keeps.
const maxHistory = 500

// historyWriteTimeout bounds the storing of one record.
const historyWriteTimeout = 10 * time.Second

// PRMeta names a pull request in a history record, as Prow's history does.
type PRMeta = tidejson.PRMeta

// Record is one action tide took in a pool.
type Record = tidejson.Record

// HistoryStore keeps tide's history across restarts. Append keeps one
// record of a pool (the store drops a pool's oldest beyond its bound);
// Load returns every pool's records, oldest first.
type HistoryStore interface {
	Append(ctx context.Context, pool string, r Record) error
	Load(ctx context.Context) (map[string][]Record, error)
}

// history keeps the latest records of each pool, newest last.
type history struct {
	mu    sync.Mutex
	pools map[string][]Record
	// loaded: the store's records are in pools.
	loaded bool
}

func (h *history) record(pool string, r Record) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.add(pool, r)
}

// add appends r to pool's records; h.mu is held.
func (h *history) add(pool string, r Record) {
	if h.pools == nil {
		h.pools = map[string][]Record{}
	}
	list := append(h.pools[pool], r)
	if len(list) > maxHistory {
		list = list[len(list)-maxHistory:]
	}
	h.pools[pool] = list
}

// isLoaded says whether the store's records were read.
func (h *history) isLoaded() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.loaded
}

// restore puts the stored records before those recorded since start.
func (h *history) restore(stored map[string][]Record) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.loaded {
		return
	}
	since := h.pools
	h.pools, h.loaded = nil, true
	for pool, list := range stored {
		for _, r := range list {
			h.add(pool, r)
		}
	}
	for pool, list := range since {
		for _, r := range list {
			h.add(pool, r)
		}
	}
}

// snapshot returns every pool's records, newest first.
func (h *history) snapshot() map[string][]Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string][]Record, len(h.pools))
	for pool, list := range h.pools {
		rs := append([]Record(nil), list...)
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].Time.After(rs[j].Time) })
		out[pool] = rs
	}
	return out
}

// loadHistory reads the stored history once; a failed read is logged
// and tried again on the next call.
func (c *Controller) loadHistory(ctx context.Context) {
	if c.opts.History == nil || c.history.isLoaded() {
		return
	}
	c.historyLoad.Lock()
	defer c.historyLoad.Unlock()
	if c.history.isLoaded() {
		return
	}
	stored, err := c.opts.History.Load(ctx)
	if err != nil {
		c.opts.Logger.WithError(err).Warn("Could not read tide's stored history")
		return
	}
	c.history.restore(stored)
}

// record keeps r in memory and in the history store.
func (c *Controller) record(ctx context.Context, pool string, r Record) {
	c.history.record(pool, r)
	if c.opts.History == nil {
		return
	}
	// The record is kept even when the sync is ending, within a bound.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), historyWriteTimeout)
	defer cancel()
	if err := c.opts.History.Append(ctx, pool, r); err != nil {
		c.opts.Logger.WithError(err).WithField("pool", pool).Warn("Could not store a tide history record")
	}
}

func metas(vs ...*Verdict) []PRMeta {
	out := make([]PRMeta, 0, len(vs))
	for _, v := range vs {
		out = append(out, PRMeta{Number: v.Number, Author: v.Author, Title: v.Title, SHA: v.HeadSHA})
	}
	return out
}
