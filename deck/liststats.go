package deck

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// The job list's extras, fetched by its script after the page has been
// served so that the first page stays as fast as a plain list: the state
// counts and duration histogram of the filtered jobs (/api/job-stats),
// and the names the filter boxes suggest (/api/suggest).

// statsScan is how many of the newest matching jobs the counts and the
// histogram sum up.
const statsScan = 1000

// histBuckets are the upper bounds of the duration histogram's bars; the
// last bar takes everything longer.
var histBuckets = []time.Duration{10 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute,
	30 * time.Minute, time.Hour, 2 * time.Hour}

// jobStats is /api/job-stats.
type jobStats struct {
	// Counted is how many jobs were summed up; More says there were more.
	Counted int            `json:"counted"`
	More    bool           `json:"more"`
	States  []stateCount   `json:"states"`
	Bars    []histogramBar `json:"histogram"`
}

type stateCount struct {
	State string `json:"state"`
	Count int    `json:"count"`
}

// histogramBar counts the finished jobs whose duration is at most Upto
// (and more than the bar before's).
type histogramBar struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

func (s *Server) handleJobStats(w http.ResponseWriter, r *http.Request) {
	_, f, err := parseListQuery(r.URL.Query())
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, "Bad filter", err.Error())
		return
	}
	st := jobStats{}
	counts := map[string]int{}
	bars := make([]int, len(histBuckets)+1)
	page := jobs.Page{}
	for {
		page.Limit = min(250, statsScan-st.Counted)
		l, err := s.listVisible(r.Context(), f, page)
		if err != nil {
			s.log.WithError(err).Warn("List jobs for the stats failed")
			s.fail(w, r, http.StatusServiceUnavailable, "Job store unavailable", "The job store cannot be read right now.")
			return
		}
		for i := range l.Items {
			pj := &l.Items[i]
			st.Counted++
			counts[string(pj.Status.State)]++
			if d := durationOf(pj); d > 0 {
				bars[histBar(d)]++
			}
		}
		if l.Continue == "" || len(l.Items) == 0 {
			break
		}
		if st.Counted >= statsScan {
			st.More = true
			break
		}
		page.Continue = l.Continue
	}
	for _, state := range jobStates {
		if n := counts[state]; n > 0 {
			st.States = append(st.States, stateCount{state, n})
		}
	}
	for i, n := range bars {
		st.Bars = append(st.Bars, histogramBar{Label: histLabel(i), Count: n})
	}
	writeJSON(w, http.StatusOK, st)
}

// durationOf is a finished job's duration, as every page reckons it.
func durationOf(pj *prowapi.ProwJob) time.Duration {
	if !pj.Status.State.IsFinal() {
		return 0
	}
	return runDuration(pj, noMetadata)
}

func histBar(d time.Duration) int {
	for i, b := range histBuckets {
		if d <= b {
			return i
		}
	}
	return len(histBuckets)
}

func histLabel(i int) string {
	if i == len(histBuckets) {
		return "> " + duration(histBuckets[i-1])
	}
	return "≤ " + duration(histBuckets[i])
}

// maxSuggest bounds each list of suggestions; suggestScan is how many of
// the newest jobs in the store add to them.
const (
	maxSuggest  = 2000
	suggestScan = 1000
	suggestTTL  = 30 * time.Second
)

// suggestions is /api/suggest: what the list's filter boxes offer as you
// type, from the configuration and the newest jobs in the store, without
// anything hidden.
type suggestions struct {
	Jobs     []string `json:"jobs"`
	Repos    []string `json:"repos"`
	Authors  []string `json:"authors"`
	Clusters []string `json:"clusters"`
}

func (s *Server) handleSuggest(w http.ResponseWriter, r *http.Request) {
	if v, ok := s.suggest.get("", time.Now()); ok {
		writeJSON(w, http.StatusOK, v)
		return
	}
	set := suggestionSet{jobs: map[string]bool{}, repos: map[string]bool{}, authors: map[string]bool{},
		clusters: map[string]bool{prowapi.DefaultClusterAlias: true}}
	s.configSuggestions(set)
	if l, err := s.listVisible(r.Context(), jobs.Filter{}, jobs.Page{Limit: suggestScan}); err == nil {
		for i := range l.Items {
			set.addJob(&l.Items[i])
		}
	} else {
		s.log.WithError(err).Warn("List jobs for suggestions failed")
	}
	v := suggestions{Jobs: sorted(set.jobs), Repos: sorted(set.repos), Authors: sorted(set.authors), Clusters: sorted(set.clusters)}
	s.suggest.put("", v, time.Now().Add(suggestTTL))
	writeJSON(w, http.StatusOK, v)
}

// suggestionSet gathers suggestions without repeats.
type suggestionSet struct {
	jobs, repos, authors, clusters map[string]bool
}

// addJob adds what a visible job in the store names.
func (set suggestionSet) addJob(pj *prowapi.ProwJob) {
	set.jobs[pj.Spec.Job] = true
	set.clusters[jobs.ClusterOf(pj)] = true
	if ref := pj.Spec.Refs; ref != nil {
		set.repos[ref.Org+"/"+ref.Repo] = true
		for _, p := range ref.Pulls {
			if p.Author != "" {
				set.authors[p.Author] = true
			}
		}
	}
}

// configSuggestions adds the configuration's jobs that are not hidden,
// their repos and clusters.
func (s *Server) configSuggestions(set suggestionSet) {
	rules, cfg := s.rules(), s.config()
	for name, hide := range rules.jobs {
		if !hide || s.opts.ShowHidden {
			set.jobs[name] = true
		}
	}
	cluster := func(name, c string) {
		if c != "" && (!rules.jobs[name] || s.opts.ShowHidden) {
			set.clusters[c] = true
		}
	}
	repo := func(key string) {
		org, repo, _ := strings.Cut(key, "/")
		if s.opts.ShowHidden || !rules.repoHidden(org, repo) {
			set.repos[key] = true
		}
	}
	for key, ps := range cfg.Presubmits {
		repo(key)
		for _, p := range ps {
			cluster(p.Name, p.Cluster)
		}
	}
	for key, ps := range cfg.Postsubmits {
		repo(key)
		for _, p := range ps {
			cluster(p.Name, p.Cluster)
		}
	}
	for _, p := range cfg.Periodics {
		cluster(p.Name, p.Cluster)
	}
}

// sorted is a set's members in order, at most maxSuggest of them.
func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		if k != "" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out[:min(len(out), maxSuggest)]
}
