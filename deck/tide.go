package deck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/tide/tidejson"
)

// TideFunc returns tide's JSON: what is "pools" for the pools (tide's /,
// deck's /tide.js) or "history" for the history of its actions (tide's
// /history, deck's /tide-history.js).
type TideFunc func(ctx context.Context, what string) ([]byte, error)

// TideFromHandler reads tide's JSON from its handler in the same process
// (prow serve).
func TideFromHandler(h http.Handler) TideFunc {
	return func(ctx context.Context, what string) ([]byte, error) {
		path := map[string]string{"pools": "/tide.js", "history": "/tide-history.js"}[what]
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
		if err != nil {
			return nil, fmt.Errorf("read tide's %s: %w", what, err)
		}
		rec := &bufferedAnswer{header: http.Header{}, code: http.StatusOK}
		h.ServeHTTP(rec, req)
		if rec.code != http.StatusOK {
			return nil, fmt.Errorf("tide answered %s with %d", path, rec.code)
		}
		return rec.body.Bytes(), nil
	}
}

// bufferedAnswer keeps an in-process handler's answer.
type bufferedAnswer struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (a *bufferedAnswer) Header() http.Header         { return a.header }
func (a *bufferedAnswer) WriteHeader(code int)        { a.code = code }
func (a *bufferedAnswer) Write(p []byte) (int, error) { return a.body.Write(p) }

// TideFromURL reads tide's JSON from a tide at base, as Prow's deck does
// with --tide-url: the pools at base, the history at base/history. An
// answer younger than maxAge (deck.tide_update_period) is reused, so
// deck asks tide at most once per period whatever its traffic.
func TideFromURL(client *http.Client, base string, maxAge time.Duration) TideFunc {
	base = strings.TrimSuffix(base, "/")
	var mu sync.Mutex
	type answer struct {
		data []byte
		at   time.Time
	}
	cache := map[string]answer{}
	return func(ctx context.Context, what string) ([]byte, error) {
		mu.Lock() // one read at a time: concurrent requests share it
		defer mu.Unlock()
		if a, ok := cache[what]; ok && time.Since(a.at) < maxAge {
			return a.data, nil
		}
		u := base
		if what == "history" {
			u += "/history"
		}
		data, err := getTide(ctx, client, u)
		if err != nil {
			return nil, fmt.Errorf("read tide's %s: %w", what, err)
		}
		cache[what] = answer{data: data, at: time.Now()}
		return data, nil
	}
}

func getTide(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", u, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	return data, nil
}

// tidePR is a pull request in tide's pools JSON.
type tidePR = tidejson.PR

// tidePool is one pool (org/repo/branch) in tide's JSON.
type tidePool struct {
	Org, Repo, Branch string
	BaseSHA           string
	SuccessPRs        []tidePR
	PendingPRs        []tidePR
	MissingPRs        []tidePR
	NotInPool         []tidePR
	BatchPending      []tidePR
	Action            string
	Target            []tidePR
	Blockers          []int
}

// tidePools is tide's pools JSON, /tide.js.
type tidePools struct {
	Queries     []string
	TideQueries []config.TideQuery
	Pools       []tidePool
	PoolErrors  []string `json:",omitempty"`
}

// tideRecord is one action in tide's history JSON.
type tideRecord = tidejson.Record

// tidePRMeta names a pull request in a history record.
type tidePRMeta = tidejson.PRMeta

// tideHistory is tide's history JSON, /tide-history.js.
type tideHistory struct {
	History map[string][]tideRecord
}

// tidePools reads tide's pools without what deck hides.
func (s *Server) tidePools(ctx context.Context) (*tidePools, error) {
	data, err := s.opts.Tide(ctx, "pools")
	if err != nil {
		return nil, err
	}
	var p tidePools
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("decode tide's pools: %w", err)
	}
	if !s.opts.ShowHidden {
		s.hideTidePools(&p)
	}
	if p.Pools == nil {
		p.Pools = []tidePool{}
	}
	if p.Queries == nil {
		p.Queries = []string{}
	}
	return &p, nil
}

// hideTidePools drops the pools of hidden repos, the queries naming a
// hidden org or repo and the errors mentioning one.
func (s *Server) hideTidePools(p *tidePools) {
	cfg := s.config()
	pools := p.Pools[:0]
	for _, pool := range p.Pools {
		if !repoHidden(cfg, pool.Org, pool.Repo) {
			pools = append(pools, pool)
		}
	}
	p.Pools = pools
	var queries []string
	var tqs []config.TideQuery
	for i, q := range p.TideQueries {
		if queryHidden(cfg, q) {
			continue
		}
		tqs = append(tqs, q)
		if i < len(p.Queries) && len(p.Queries) == len(p.TideQueries) {
			queries = append(queries, p.Queries[i])
		}
	}
	if len(p.Queries) != len(p.TideQueries) {
		queries = nil // cannot tell which search is which query's
	}
	p.TideQueries, p.Queries = tqs, queries
	var errs []string
	for _, e := range p.PoolErrors {
		if !mentionsHidden(cfg, e) {
			errs = append(errs, e)
		}
	}
	p.PoolErrors = errs
}

// queryHidden says whether a tide query names a hidden org or repo.
func queryHidden(cfg *config.Config, q config.TideQuery) bool {
	for _, o := range q.Orgs {
		if repoHidden(cfg, o, "") {
			return true
		}
	}
	for _, list := range [][]string{q.Repos, q.ExcludedRepos} {
		for _, r := range list {
			org, repo, _ := strings.Cut(r, "/")
			if repoHidden(cfg, org, repo) {
				return true
			}
		}
	}
	return false
}

// mentionsHidden says whether text names a hidden org or repo.
func mentionsHidden(cfg *config.Config, text string) bool {
	lower := strings.ToLower(text)
	for _, h := range cfg.Deck.HiddenRepos {
		if h != "" && strings.Contains(lower, strings.ToLower(h)) {
			return true
		}
	}
	return false
}

// tideHistory reads tide's history without the pools of hidden repos.
func (s *Server) tideHistory(ctx context.Context) (*tideHistory, error) {
	data, err := s.opts.Tide(ctx, "history")
	if err != nil {
		return nil, err
	}
	var h tideHistory
	if err := json.Unmarshal(data, &h); err != nil {
		return nil, fmt.Errorf("decode tide's history: %w", err)
	}
	if h.History == nil {
		h.History = map[string][]tideRecord{}
	}
	if !s.opts.ShowHidden {
		cfg := s.config()
		for pool := range h.History {
			org, repo, _ := poolParts(pool)
			if repoHidden(cfg, org, repo) {
				delete(h.History, pool)
			}
		}
	}
	return &h, nil
}

// poolParts splits a pool key, org/repo:branch.
func poolParts(pool string) (org, repo, branch string) {
	full, branch, _ := strings.Cut(pool, ":")
	org, repo, _ = strings.Cut(full, "/")
	return org, repo, branch
}

// handleTideJSON serves /tide.js: tide's pools without what deck hides.
func (s *Server) handleTideJSON(w http.ResponseWriter, r *http.Request) {
	if !s.tideOn(w, r) {
		return
	}
	p, err := s.tidePools(r.Context())
	if err != nil {
		s.log.WithError(err).Warn("Could not read tide's pools")
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": "tide's pools are not available"})
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// handleTideHistoryJSON serves /tide-history.js: tide's history without
// the hidden pools.
func (s *Server) handleTideHistoryJSON(w http.ResponseWriter, r *http.Request) {
	if !s.tideOn(w, r) {
		return
	}
	h, err := s.tideHistory(r.Context())
	if err != nil {
		s.log.WithError(err).Warn("Could not read tide's history")
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": "tide's history is not available"})
		return
	}
	writeJSON(w, http.StatusOK, h)
}

// tideOn answers 404 when this deck has no tide to read.
func (s *Server) tideOn(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.Tide != nil {
		return true
	}
	s.fail(w, r, http.StatusNotFound, "Tide not configured", "This deck reads no tide (prow deck --tide-url).")
	return false
}
