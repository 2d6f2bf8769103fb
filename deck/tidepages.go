package deck

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// prView is a pull request as the tide pages show it.
type prView struct {
	tidePR
	// URL is its page on GitHub.
	URL string
	// Lacks is what keeps it out of the pool (its tide status without
	// the "Not mergeable." prefix).
	Lacks string
}

// prGroup is one list of a pool's pull requests.
type prGroup struct {
	Name, Explain string
	PRs           []prView
}

// poolPage is one pool on /tide.
type poolPage struct {
	Org, Repo, Branch, BaseSHA string
	RepoURL, CommitURL         string
	Action                     string
	Target                     []prView
	Blockers                   []prLink
	Groups                     []prGroup
}

// prLink links a pull request or issue by number.
type prLink struct {
	Number int
	URL    string
}

// queryView is a tide query on /tide.
type queryView struct {
	Words, Search string
}

// tidePage is /tide's data.
type tidePage struct {
	Queries []queryView
	Pools   []poolPage
	Errors  []string
}

// gitHubLink is the GitHub web address the pages link to.
func (s *Server) gitHubLink() string {
	if l := s.config().GitHubOptions.LinkURLFromConfig; l != "" {
		return strings.TrimSuffix(l, "/")
	}
	return "https://github.com"
}

func (s *Server) prView(p tidePR) prView {
	return prView{tidePR: p, URL: s.gitHubLink() + "/" + url.PathEscape(p.Org) + "/" + url.PathEscape(p.Repo) + "/pull/" + strconv.Itoa(p.Number),
		Lacks: strings.TrimSpace(strings.TrimPrefix(p.Description, "Not mergeable."))}
}

func (s *Server) prViews(ps []tidePR) []prView {
	out := make([]prView, 0, len(ps))
	for _, p := range ps {
		out = append(out, s.prView(p))
	}
	return out
}

func (s *Server) handleTide(w http.ResponseWriter, r *http.Request) {
	if !s.tideOn(w, r) {
		return
	}
	p, err := s.tidePools(r.Context())
	if err != nil {
		s.log.WithError(err).Warn("Could not read tide's pools")
		s.fail(w, r, http.StatusBadGateway, "Tide not available", "Tide's pools could not be read; try again shortly.")
		return
	}
	page := tidePage{Errors: p.PoolErrors}
	for i, q := range p.TideQueries {
		v := queryView{Words: queryWords(q)}
		if i < len(p.Queries) {
			v.Search = p.Queries[i]
		}
		page.Queries = append(page.Queries, v)
	}
	for _, pool := range p.Pools {
		page.Pools = append(page.Pools, s.poolPage(pool))
	}
	s.render(w, r, http.StatusOK, "tide", "Tide", page)
}

func (s *Server) poolPage(pool tidePool) poolPage {
	repoURL := s.gitHubLink() + "/" + url.PathEscape(pool.Org) + "/" + url.PathEscape(pool.Repo)
	pp := poolPage{Org: pool.Org, Repo: pool.Repo, Branch: pool.Branch, BaseSHA: pool.BaseSHA, RepoURL: repoURL,
		CommitURL: repoURL + "/commit/" + url.PathEscape(pool.BaseSHA), Action: pool.Action, Target: s.prViews(pool.Target)}
	for _, n := range pool.Blockers {
		pp.Blockers = append(pp.Blockers, prLink{Number: n, URL: repoURL + "/issues/" + strconv.Itoa(n)})
	}
	groups := []struct {
		name, explain string
		prs           []tidePR
	}{
		{"Ready to merge", "In the pool with every required context green against the pool's base.", pool.SuccessPRs},
		{"Pending", "In the pool; required jobs are running against the pool's base.", pool.PendingPRs},
		{"Missing results", "In the pool; required jobs still have to run against the pool's base.", pool.MissingPRs},
		{"Testing in a batch", "Tested together against the pool's base.", pool.BatchPending},
		{"Not in the pool", "In a query's scope, but lacking what its tide status says.", pool.NotInPool},
	}
	for _, g := range groups {
		if len(g.prs) > 0 {
			pp.Groups = append(pp.Groups, prGroup{Name: g.name, Explain: g.explain, PRs: s.prViews(g.prs)})
		}
	}
	return pp
}

// tideFilter is /tide-history's query.
type tideFilter struct {
	Repo, Branch, Action, Author string
}

func (f tideFilter) Any() bool {
	return f.Repo != "" || f.Branch != "" || f.Action != "" || f.Author != ""
}

// tideRow is one record on /tide-history.
type tideRow struct {
	tideRecord
	Targets []tideTarget
}

// tideTarget is a pull request a record acted on.
type tideTarget struct {
	tidePRMeta
	URL string
}

// tideHistoryPool is one pool's records on /tide-history, newest first.
type tideHistoryPool struct {
	Pool, Org, Repo, Branch, RepoURL string
	Rows                             []tideRow
}

// tideHistoryPage is /tide-history's data.
type tideHistoryPage struct {
	Filter  tideFilter
	Actions []string
	Pools   []tideHistoryPool
	Shown   int
	Total   int
}

func (s *Server) handleTideHistory(w http.ResponseWriter, r *http.Request) {
	if !s.tideOn(w, r) {
		return
	}
	h, err := s.tideHistory(r.Context())
	if err != nil {
		s.log.WithError(err).Warn("Could not read tide's history")
		s.fail(w, r, http.StatusBadGateway, "Tide not available", "Tide's history could not be read; try again shortly.")
		return
	}
	q := r.URL.Query()
	f := tideFilter{Repo: strings.TrimSpace(q.Get("repo")), Branch: strings.TrimSpace(q.Get("branch")),
		Action: strings.TrimSpace(q.Get("action")), Author: strings.TrimSpace(q.Get("author"))}
	page := tideHistoryPage{Filter: f}
	actions := map[string]bool{}
	for pool, records := range h.History {
		org, repo, branch := poolParts(pool)
		repoURL := s.gitHubLink() + "/" + url.PathEscape(org) + "/" + url.PathEscape(repo)
		hp := tideHistoryPool{Pool: pool, Org: org, Repo: repo, Branch: branch, RepoURL: repoURL}
		for _, rec := range records {
			page.Total++
			actions[rec.Action] = true
			if !f.matches(org, repo, branch, rec) {
				continue
			}
			row := tideRow{tideRecord: rec}
			for _, t := range rec.Target {
				row.Targets = append(row.Targets, tideTarget{tidePRMeta: t, URL: repoURL + "/pull/" + strconv.Itoa(t.Number)})
			}
			hp.Rows = append(hp.Rows, row)
		}
		if len(hp.Rows) > 0 {
			sort.SliceStable(hp.Rows, func(i, j int) bool { return hp.Rows[i].Time.After(hp.Rows[j].Time) })
			page.Shown += len(hp.Rows)
			page.Pools = append(page.Pools, hp)
		}
	}
	sort.Slice(page.Pools, func(i, j int) bool { return page.Pools[i].Pool < page.Pools[j].Pool })
	for a := range actions {
		page.Actions = append(page.Actions, a)
	}
	sort.Strings(page.Actions)
	s.render(w, r, http.StatusOK, "tidehistory", "Tide history", page)
}

// matches says whether a record of pool org/repo:branch passes the
// filter: repo is org/repo or a part of it, branch and action exact,
// author one of the targets' authors (all in any case).
func (f tideFilter) matches(org, repo, branch string, rec tideRecord) bool {
	switch {
	case f.Repo != "" && !strings.Contains(strings.ToLower(org+"/"+repo), strings.ToLower(f.Repo)),
		f.Branch != "" && !strings.EqualFold(f.Branch, branch),
		f.Action != "" && !strings.EqualFold(f.Action, rec.Action):
		return false
	case f.Author == "":
		return true
	}
	for _, t := range rec.Target {
		if strings.EqualFold(t.Author, f.Author) {
			return true
		}
	}
	return false
}
