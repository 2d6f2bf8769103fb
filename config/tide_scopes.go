package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/yamlconf"
)

// tideScope is an org or org/repo a tide query names, and where.
type tideScope struct {
	org, repo string // repo empty for an org
	key       string // tide.queries[i].repos[j]
	path      []any
}

func (s tideScope) name() string {
	if s.repo == "" {
		return s.org
	}
	return s.org + "/" + s.repo
}

// namedScopes are the orgs and org/repos the rest of the configuration
// names, lower-case: jobs (and periodics' extra refs), plugins.yaml's
// plugins and external plugins, and branch-protection. orgWide are the
// orgs named as a whole, whose every repository is thereby named.
func namedScopes(cfg *Config, plugins *pluginconfig.Configuration) (repos, orgs, orgWide map[string]bool) {
	repos, orgs, orgWide = map[string]bool{}, map[string]bool{}, map[string]bool{}
	addKey := func(key string) {
		key = strings.ToLower(key)
		if org, _, ok := strings.Cut(key, "/"); ok {
			repos[key], orgs[org] = true, true
			return
		}
		orgs[key], orgWide[key] = true, true
	}
	for key := range cfg.Presubmits {
		addKey(key)
	}
	for key := range cfg.Postsubmits {
		addKey(key)
	}
	for _, p := range cfg.Periodics {
		for _, r := range p.ExtraRefs {
			addKey(r.Org + "/" + r.Repo)
		}
	}
	for org, o := range cfg.BranchProtection.Orgs {
		addKey(org)
		for repo := range o.Repos {
			addKey(org + "/" + repo)
		}
	}
	if plugins != nil {
		for key := range plugins.Plugins {
			addKey(key)
		}
		for key := range plugins.ExternalPlugins {
			addKey(key)
		}
	}
	return repos, orgs, orgWide
}

// unnamedTideScopes lists the well-formed orgs and repos of tide queries
// (repos and excludedRepos alike) that nothing else in the configuration
// names: most likely a typo, since no job tests them and no plugin acts
// on them. Malformed repos are Validate's.
func unnamedTideScopes(cfg *Config, plugins *pluginconfig.Configuration) []tideScope {
	repos, orgs, orgWide := namedScopes(cfg, plugins)
	var out []tideScope
	for i, q := range cfg.Tide.Queries {
		for j, org := range q.Orgs {
			if !orgs[strings.ToLower(org)] {
				out = append(out, tideScope{org: org, key: fmt.Sprintf("tide.queries[%d].orgs[%d]", i, j), path: []any{"tide", "queries", i, "orgs", j}})
			}
		}
		for _, field := range []struct {
			name string
			list []string
		}{{"repos", q.Repos}, {"excludedRepos", q.ExcludedRepos}} {
			for j, full := range field.list {
				org, repo, ok := strings.Cut(full, "/")
				if !ok || org == "" || repo == "" || strings.Contains(repo, "/") {
					continue
				}
				if !repos[strings.ToLower(full)] && !orgWide[strings.ToLower(org)] {
					out = append(out, tideScope{org: org, repo: repo, key: fmt.Sprintf("tide.queries[%d].%s[%d]", i, field.name, j),
						path: []any{"tide", "queries", i, field.name, j}})
				}
			}
		}
	}
	return out
}

// checkTideScopes reports the tide query orgs and repos nothing else in
// the configuration names: looked up on GitHub when ScopeExists is set
// (a missing one is an error, an existing one fine), else a warning (an
// error with Strict).
func (l *loader) checkTideScopes(cfg *Config, plugins *pluginconfig.Configuration) {
	scopes := unnamedTideScopes(cfg, plugins)
	sort.SliceStable(scopes, func(a, b int) bool { return l.doc.Line(scopes[a].path...) < l.doc.Line(scopes[b].path...) })
	for _, s := range scopes {
		p := yamlconf.Problem{File: l.opts.ConfigPath, Line: l.doc.Line(s.path...)}
		kind := "repo"
		if s.repo == "" {
			kind = "org"
		}
		if l.opts.ScopeExists == nil {
			p.Message = fmt.Sprintf("%s: %s %q is named nowhere else in the configuration (no presubmit, postsubmit, plugin or branch-protection entry): "+
				"a typo? (checkconfig --github-endpoint checks it exists)", s.key, kind, s.name())
			l.unknown([]yamlconf.Problem{p})
			continue
		}
		exists, err := l.opts.ScopeExists(s.org, s.repo)
		switch {
		case err != nil:
			p.Message = fmt.Sprintf("%s: %s %q: %v", s.key, kind, s.name(), err)
		case !exists:
			p.Message = fmt.Sprintf("%s: %s %q does not exist on GitHub (or the bot cannot see it)", s.key, kind, s.name())
		default:
			continue
		}
		l.errs = append(l.errs, p)
	}
}
