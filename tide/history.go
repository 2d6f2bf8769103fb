package tide

import (
	"sort"
	"sync"
	"time"
)

// maxHistory is how many records each pool keeps.
const maxHistory = 500

// PRMeta names a pull request in a history record, as Prow's history does.
type PRMeta struct {
	Number int    `json:"num"`
	Author string `json:"author"`
	Title  string `json:"title"`
	SHA    string `json:"SHA"`
}

// Record is one action tide took in a pool.
type Record struct {
	Time    time.Time `json:"time"`
	Action  string    `json:"action"`
	BaseSHA string    `json:"baseSHA,omitempty"`
	Target  []PRMeta  `json:"target,omitempty"`
	Err     string    `json:"err,omitempty"`
}

// history keeps the latest records of each pool, newest last.
type history struct {
	mu    sync.Mutex
	pools map[string][]Record
}

func (h *history) record(pool string, r Record) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.pools == nil {
		h.pools = map[string][]Record{}
	}
	list := append(h.pools[pool], r)
	if len(list) > maxHistory {
		list = list[len(list)-maxHistory:]
	}
	h.pools[pool] = list
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

func metas(vs ...*Verdict) []PRMeta {
	out := make([]PRMeta, 0, len(vs))
	for _, v := range vs {
		out = append(out, PRMeta{Number: v.Number, Author: v.Author, Title: v.Title, SHA: v.HeadSHA})
	}
	return out
}
