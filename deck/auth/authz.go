package auth

import (
	"slices"
	"strings"

	"github.com/prowbot/prow/config"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/orgrepo"
)

// User is who is asking, as far as deck knows.
type User struct {
	Login   string
	Orgs    []string
	Teams   []string // org/slug
	TeamIDs []int
}

// RerunAuthFor is the rerun_auth_config that governs pj: its own, else
// deck.default_rerun_auth_configs (most specific repo and cluster), else
// deck.rerun_auth_configs for org/repo, org or "*". Nil means nobody.
func RerunAuthFor(pj *prowapi.ProwJob, deck *config.Deck) *prowapi.RerunAuthConfig {
	if pj.Spec.RerunAuthConfig != nil {
		return pj.Spec.RerunAuthConfig
	}
	if deck == nil {
		return nil
	}
	org, repo := "", ""
	if r := pj.Spec.Refs; r != nil {
		org, repo = r.Org, r.Repo
	}
	if c := defaultEntry(deck.DefaultRerunAuthConfigs, org, repo, pj.Spec.Cluster); c != nil {
		return c
	}
	if c, ok := orgrepo.Lookup(deck.RerunAuthConfigs, org, repo); ok {
		return &c
	}
	return nil
}

// defaultEntry picks the most specific matching entry: an exact repo over
// an org over "*", a named cluster over any.
func defaultEntry(entries []*config.DefaultRerunAuthConfigEntry, org, repo, cluster string) *prowapi.RerunAuthConfig {
	best, bestScore := (*prowapi.RerunAuthConfig)(nil), -1
	for _, e := range entries {
		if e == nil || e.Config == nil {
			continue
		}
		score := 0
		switch e.OrgRepo {
		case "", "*":
		case org:
			score += 2
		case org + "/" + repo:
			score += 4
		default:
			continue
		}
		switch e.Cluster {
		case "", "*":
		case cluster:
			score++
		default:
			continue
		}
		if score > bestScore {
			best, bestScore = e.Config, score
		}
	}
	return best
}

// Allowed says whether u may rerun or abort a job governed by c.
func Allowed(c *prowapi.RerunAuthConfig, u User) bool {
	if c == nil || u.Login == "" {
		return false
	}
	if c.AllowAnyone {
		return true
	}
	if slices.ContainsFunc(c.GitHubUsers, func(s string) bool { return strings.EqualFold(s, u.Login) }) {
		return true
	}
	for _, org := range c.GitHubOrgs {
		if slices.ContainsFunc(u.Orgs, func(s string) bool { return strings.EqualFold(s, org) }) {
			return true
		}
	}
	for _, t := range c.GitHubTeamSlugs {
		if slices.ContainsFunc(u.Teams, func(s string) bool { return strings.EqualFold(s, t.Org+"/"+t.Slug) }) {
			return true
		}
	}
	for _, id := range c.GitHubTeamIDs {
		if slices.Contains(u.TeamIDs, id) {
			return true
		}
	}
	return false
}
