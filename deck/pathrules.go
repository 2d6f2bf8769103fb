package deck

import (
	"slices"
	"strings"

	"github.com/prowbot/prow/config"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// verdict is what deck knows about whether something may be shown.
type verdict int

const (
	// shown: nothing says the thing is hidden.
	shown verdict = iota
	// unsure: deck cannot tell whose the thing is; it is denied.
	unsure
	// hidden: a hidden repo or job owns the thing.
	hidden
)

// worst is the stricter of two verdicts.
func worst(a, b verdict) verdict { return max(a, b) }

// hideRules are the configuration's hiding rules in the form the
// decisions need. They are pure data: every decision below is a function
// of them and of plain values.
type hideRules struct {
	// repos are deck.hidden_repos: "org" or "org/repo".
	repos []string
	// jobs maps each configured job name to whether it is hidden, by its
	// own flag or by a hidden repo it belongs to (a name configured twice
	// is hidden when either is).
	jobs map[string]bool
	// defaultOrgs and defaultRepos ("org/repo") are what the legacy and
	// single path strategies leave out of pr-logs/pull/ paths.
	defaultOrgs  []string
	defaultRepos []string
}

// newHideRules reads the hiding rules out of a configuration.
func newHideRules(cfg *config.Config) *hideRules {
	h := &hideRules{repos: cfg.Deck.HiddenRepos, jobs: map[string]bool{}}
	h.addJobs(cfg)
	for _, e := range cfg.Plank.DefaultDecorationConfigs {
		if e != nil && e.Config != nil {
			h.addDefaults(e.Config.GCSConfiguration)
		}
	}
	for _, dc := range cfg.Plank.DefaultDecorationConfigsMap {
		if dc != nil {
			h.addDefaults(dc.GCSConfiguration)
		}
	}
	return h
}

// addJobs marks every configured job hidden or not.
func (h *hideRules) addJobs(cfg *config.Config) {
	mark := func(name string, hide bool) { h.jobs[name] = h.jobs[name] || hide }
	inHidden := func(key string) bool {
		org, repo, _ := strings.Cut(key, "/")
		return h.repoHidden(org, repo)
	}
	refsHidden := func(refs []prowapi.Refs) bool {
		return slices.ContainsFunc(refs, func(r prowapi.Refs) bool { return h.repoHidden(r.Org, r.Repo) })
	}
	for key, ps := range cfg.Presubmits {
		for _, p := range ps {
			mark(p.Name, p.Hidden || inHidden(key) || refsHidden(p.ExtraRefs))
		}
	}
	for key, ps := range cfg.Postsubmits {
		for _, p := range ps {
			mark(p.Name, p.Hidden || inHidden(key) || refsHidden(p.ExtraRefs))
		}
	}
	for _, p := range cfg.Periodics {
		mark(p.Name, p.Hidden || refsHidden(p.ExtraRefs))
	}
}

// addDefaults records a decoration config's default org and repo.
func (h *hideRules) addDefaults(g *prowapi.GCSConfiguration) {
	if g == nil || g.DefaultOrg == "" {
		return
	}
	h.defaultOrgs = append(h.defaultOrgs, g.DefaultOrg)
	if g.DefaultRepo != "" {
		h.defaultRepos = append(h.defaultRepos, g.DefaultOrg+"/"+g.DefaultRepo)
	}
}

// repoHidden says whether org/repo is in deck.hidden_repos (as "org" or
// "org/repo", in any case).
func (h *hideRules) repoHidden(org, repo string) bool {
	for _, e := range h.repos {
		if strings.EqualFold(e, org) || strings.EqualFold(e, org+"/"+repo) {
			return true
		}
	}
	return false
}

// reposVerdict is hidden when any of the org/repo names is hidden.
func (h *hideRules) reposVerdict(repos []string) verdict {
	for _, r := range repos {
		org, repo, _ := strings.Cut(r, "/")
		if h.repoHidden(org, repo) {
			return hidden
		}
	}
	return shown
}

// segmentVerdict decides the repo segment of pr-logs/pull/<seg>/: org_repo
// (explicit), a repo of the default org (legacy), or the pull request
// number itself when the default org and repo were both left out.
// Org names cannot hold "_", so org_ is unambiguous; a legacy repo name
// may hold "_" too, so both readings are tried.
func (h *hideRules) segmentVerdict(seg string) verdict {
	if isDigits(seg) {
		return h.defaultRepoVerdict()
	}
	if h.explicitHidden(seg) {
		return hidden
	}
	for _, org := range h.defaultOrgs {
		if h.repoHidden(org, seg) {
			return hidden
		}
	}
	if !strings.Contains(seg, "_") && seg != "batch" && len(h.defaultOrgs) == 0 && len(h.repos) > 0 {
		// A legacy segment without a default org to read it with.
		return unsure
	}
	return shown
}

// explicitHidden says whether an org_repo segment names a hidden repo or
// a repo of a hidden org.
func (h *hideRules) explicitHidden(seg string) bool {
	for _, e := range h.repos {
		org, repo, hasRepo := strings.Cut(e, "/")
		if !hasRepo && len(seg) > len(org) && strings.EqualFold(seg[:len(org)+1], org+"_") {
			return true
		}
		if hasRepo && strings.EqualFold(seg, org+"_"+strings.ReplaceAll(repo, "/", "_")) {
			return true
		}
	}
	return false
}

// defaultRepoVerdict decides a path that left out both the default org
// and repo: unsure when repos are hidden and no default is known.
func (h *hideRules) defaultRepoVerdict() verdict {
	for _, r := range h.defaultRepos {
		org, repo, _ := strings.Cut(r, "/")
		if h.repoHidden(org, repo) {
			return hidden
		}
	}
	if len(h.defaultRepos) == 0 && len(h.repos) > 0 {
		return unsure
	}
	return shown
}

// jobVerdict decides a job by name from the configuration; known is
// false for a job the configuration does not name.
func (h *hideRules) jobVerdict(name string) (v verdict, known bool) {
	hide, ok := h.jobs[name]
	if hide {
		return hidden, true
	}
	return shown, ok
}

// pathClaims are what a bucket path says about whose it is, read from
// Prow's layout: logs/<job>/..., pr-logs/directory/<job>/...,
// pr-logs/pull/batch/<job>/... and pr-logs/pull/<seg>/<pr>/<job>/....
// Every place a layout root (logs, pr-logs) appears is read, so that a
// path prefix before it, or a root inside another path, cannot hide a
// claim: the claims of all readings are kept.
type pathClaims struct {
	// segments are the repo segments under pr-logs/pull/.
	segments []string
	// jobs are the job names the path names.
	jobs []string
	// inLayout is true when some reading found Prow's layout.
	inLayout bool
}

// claimsOf reads the claims of a slash-separated path in a bucket.
func claimsOf(p string) pathClaims {
	var c pathClaims
	segs := strings.Split(strings.Trim(p, "/"), "/")
	at := func(s []string, i int) string {
		if i < len(s) {
			return s[i]
		}
		return ""
	}
	addJob := func(j string) {
		if j != "" {
			c.jobs = append(c.jobs, j)
		}
	}
	for i, s := range segs {
		rest := segs[i+1:]
		switch {
		case s == "logs":
			c.inLayout = true
			addJob(at(rest, 0))
		case s == "pr-logs" && at(rest, 0) == "directory":
			c.inLayout = true
			addJob(at(rest, 1))
		case s == "pr-logs" && at(rest, 0) == "pull":
			c.inLayout = true
			seg := at(rest, 1)
			switch {
			case seg == "":
			case seg == "batch":
				c.segments = append(c.segments, seg) // a legacy repo named batch, too
				addJob(at(rest, 2))
			case isDigits(seg):
				c.segments = append(c.segments, seg)
				addJob(at(rest, 2))
			default:
				c.segments = append(c.segments, seg)
				addJob(at(rest, 3))
			}
		case s == "pr-logs" && len(rest) == 0:
			c.inLayout = true
		}
	}
	return c
}

// pathVerdict decides a path from its claims and the configuration
// alone; jobs the configuration does not name are returned for the
// caller to look up elsewhere (the job store).
func (h *hideRules) pathVerdict(c pathClaims) (verdict, []string) {
	v := shown
	for _, seg := range c.segments {
		v = worst(v, h.segmentVerdict(seg))
	}
	var unknown []string
	for _, j := range c.jobs {
		jv, known := h.jobVerdict(j)
		v = worst(v, jv)
		if !known {
			unknown = append(unknown, j)
		}
	}
	return v, unknown
}

// dirFacts are what the metadata files of one directory say: its
// prowjob.json and started.json.
type dirFacts struct {
	// found is true when either file is there.
	found     bool
	hiddenJob bool
	job       string
	repos     []string
	// bad is true when a file is there but cannot be read as what it
	// should be.
	bad bool
}

// factsVerdict decides a directory from its metadata files.
func (h *hideRules) factsVerdict(f dirFacts) verdict {
	switch {
	case f.bad:
		return unsure
	case f.hiddenJob:
		return hidden
	}
	v := h.reposVerdict(f.repos)
	if f.job != "" {
		jv, _ := h.jobVerdict(f.job)
		v = worst(v, jv)
	}
	return v
}

// storeVerdict decides a job the configuration does not name from its
// recent runs in the job store: hidden when it has runs and every one is
// hidden (a job of hidden repos only); a job with visible runs too is
// decided build by build.
func storeVerdict(runs, hiddenRuns int) verdict {
	if runs > 0 && hiddenRuns == runs {
		return hidden
	}
	return shown
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ancestors are the directories on the way down to p, the root
// excluded: "a", "a/b", ... and p itself when self is true.
func ancestors(p string, self bool) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	var out []string
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			out = append(out, p[:i])
		}
	}
	if self {
		out = append(out, p)
	}
	return out
}
