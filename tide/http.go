package tide

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/tide/tidejson"
)

// PRView is a pull request as the pools JSON shows it: Prow's fields,
// plus the tide status saying what it lacks.
type PRView = tidejson.PR

// PoolView is one pool as the pools JSON shows it, in Prow's shape.
type PoolView struct {
	Org, Repo, Branch string
	BaseSHA           string
	SuccessPRs        []PRView
	PendingPRs        []PRView
	MissingPRs        []PRView
	// NotInPool are the pull requests in scope that lack something.
	NotInPool []PRView
	// BatchPending are the pull requests of the batch running against
	// the base; SpeculativeBatch those tested on top of it (beyond Prow).
	BatchPending     []PRView
	SpeculativeBatch []PRView `json:",omitempty"`
	Action           string
	Target           []PRView
	Blockers         []int
}

// poolsData is the pools JSON (deck's /tide.js).
type poolsData struct {
	Queries     []string
	TideQueries []config.TideQuery
	Pools       []PoolView
	PoolErrors  []string `json:",omitempty"`
}

// historyData is the history JSON (deck's /tide-history.js).
type historyData struct {
	History map[string][]Record
}

func view(v *Verdict) PRView {
	m := "UNKNOWN"
	if v.Mergeable != nil {
		m = map[bool]string{true: "MERGEABLE", false: "CONFLICTING"}[*v.Mergeable]
	}
	return PRView{Number: v.Number, Org: v.Org, Repo: v.Repo, Title: v.Title, AuthorLogin: v.Author, HeadRefName: v.HeadRef,
		HeadRefOID: v.HeadSHA, BaseRefName: v.BaseRef, Mergeable: m, Labels: v.Labels, State: v.State, Description: v.Description,
		Contexts: otherContexts(v.Contexts)}
}

// otherContexts are the contexts besides tide's own.
func otherContexts(cs []Context) []Context {
	var out []Context
	for _, c := range cs {
		if c.Name != StatusContext {
			out = append(out, c)
		}
	}
	return out
}

func views(vs []*Verdict) []PRView {
	var out []PRView
	for _, v := range vs {
		out = append(out, view(v))
	}
	return out
}

// poolViews groups verdicts per pool with the action taken.
func poolViews(verdicts []Verdict, actions []Action) []PoolView {
	pools := map[string]*PoolView{}
	get := func(v *Verdict) *PoolView {
		p, ok := pools[v.PoolKey()]
		if !ok {
			p = &PoolView{Org: v.Org, Repo: v.Repo, Branch: v.BaseRef, BaseSHA: v.BaseSHA, Action: string(Wait), Blockers: v.Blockers}
			pools[v.PoolKey()] = p
		}
		return p
	}
	for i := range verdicts {
		v := &verdicts[i]
		p := get(v)
		switch {
		case !v.InPool:
			p.NotInPool = append(p.NotInPool, view(v))
		case v.Ready:
			p.SuccessPRs = append(p.SuccessPRs, view(v))
		case len(v.Testing) > len(v.Stale):
			p.PendingPRs = append(p.PendingPRs, view(v))
		default:
			p.MissingPRs = append(p.MissingPRs, view(v))
		}
	}
	for _, a := range actions {
		p, ok := pools[a.Pool]
		if !ok {
			continue
		}
		p.Action = string(a.Kind)
		p.BatchPending, p.SpeculativeBatch = views(a.Running), views(a.Stacked)
		for _, v := range append(a.Batch, a.PR) {
			if v != nil {
				p.Target = append(p.Target, view(v))
			}
		}
	}
	out := make([]PoolView, 0, len(pools))
	for _, p := range pools {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Org+"/"+out[i].Repo+":"+out[i].Branch < out[j].Org+"/"+out[j].Repo+":"+out[j].Branch
	})
	return out
}

// ServeHTTP serves the pools (/tide.js, or / as Prow's tide does) and
// the history (/tide-history.js, or /history) as JSON.
func (c *Controller) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var data any
	switch path := strings.TrimSuffix(r.URL.Path, "/"); path {
	case "", "/tide.js":
		t := &c.opts.Config().Tide
		d := poolsData{TideQueries: t.Queries, Queries: []string{}}
		for _, q := range t.Queries {
			d.Queries = append(d.Queries, ScopeSearch(q))
		}
		c.mu.Lock()
		d.Pools, d.PoolErrors = c.poolView, c.poolErrors
		c.mu.Unlock()
		if d.Pools == nil {
			d.Pools = []PoolView{}
		}
		data = d
	case "/history", "/tide-history.js":
		c.loadHistory(r.Context())
		data = historyData{History: c.history.snapshot()}
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(data); err != nil {
		c.opts.Logger.WithError(err).Debug("Could not write the tide JSON")
	}
}
