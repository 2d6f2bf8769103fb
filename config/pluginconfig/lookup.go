package pluginconfig

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"github.com/prowbot/prow/prow/orgrepo"
)

// Default settings.
const (
	DefaultOwnersFile        = "OWNERS"
	DefaultOwnersAliasesFile = "OWNERS_ALIASES"
	DefaultCommandHelpLink   = "https://go.k8s.io/bot-commands"
	DefaultPRProcessLink     = "https://git.k8s.io/community/contributors/guide/owners.md#the-code-review-process"
	DefaultReviewerCount     = 2
)

// EnabledPlugins lists the plugins enabled for org/repo: the org entry's
// (unless the repo is excluded there) and the repo entry's, once each, in
// order.
func (c *Configuration) EnabledPlugins(org, repo string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(names []string) {
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	if entry, ok := c.Plugins[org]; ok && !contains(entry.ExcludedRepos, repo) {
		add(entry.Plugins)
	}
	if repo != "" {
		add(c.Plugins[org+"/"+repo].Plugins)
	}
	return out
}

// ExternalPluginsFor lists the external plugins of org and of org/repo.
func (c *Configuration) ExternalPluginsFor(org, repo string) []ExternalPlugin {
	out := append([]ExternalPlugin(nil), c.ExternalPlugins[org]...)
	if repo != "" {
		out = append(out, c.ExternalPlugins[org+"/"+repo]...)
	}
	return out
}

// matchRepos picks, among items whose repo lists name "org" or
// "org/repo", the one for org/repo, preferring an exact repo match.
func matchRepos[T any](items []T, repos func(T) []string, org, repo string) (T, bool) {
	for _, key := range orgrepo.Keys(org, repo) {
		if key == orgrepo.Global {
			break // these lists name orgs and repos only
		}
		for i := range items {
			if slices.Contains(repos(items[i]), key) {
				return items[i], true
			}
		}
	}
	var zero T
	return zero, false
}

// TriggerFor returns the trigger settings of org/repo (zero if none).
func (c *Configuration) TriggerFor(org, repo string) Trigger {
	t, _ := matchRepos(c.Triggers, func(t Trigger) []string { return t.Repos }, org, repo)
	return t
}

// ApproveFor returns the approve settings of org/repo with defaults.
func (c *Configuration) ApproveFor(org, repo string) Approve {
	a, _ := matchRepos(c.Approve, func(a Approve) []string { return a.Repos }, org, repo)
	a.CommandHelpLink = cmp.Or(a.CommandHelpLink, DefaultCommandHelpLink)
	a.PrProcessLink = cmp.Or(a.PrProcessLink, DefaultPRProcessLink)
	return a
}

// LgtmFor returns the lgtm settings of org/repo (zero if none).
func (c *Configuration) LgtmFor(org, repo string) Lgtm {
	l, _ := matchRepos(c.Lgtm, func(l Lgtm) []string { return l.Repos }, org, repo)
	return l
}

// WelcomeFor returns the welcome settings of org/repo, if any.
func (c *Configuration) WelcomeFor(org, repo string) (Welcome, bool) {
	return matchRepos(c.Welcome, func(w Welcome) []string { return w.Repos }, org, repo)
}

// OwnersFilenames returns the OWNERS file names of org/repo.
func (c *Configuration) OwnersFilenames(org, repo string) OwnersFilenames {
	f := c.Owners.Filenames[org+"/"+repo]
	f.Owners = cmp.Or(f.Owners, DefaultOwnersFile)
	f.OwnersAliases = cmp.Or(f.OwnersAliases, DefaultOwnersAliasesFile)
	return f
}

// SkipCollaborators is true when org/repo uses OWNERS instead of GitHub
// collaborators for lgtm.
func (c *Configuration) SkipCollaborators(org, repo string) bool {
	return contains(c.Owners.SkipCollaborators, org) || contains(c.Owners.SkipCollaborators, org+"/"+repo)
}

// ReviewerCountOrDefault is how many reviewers blunderbuss requests.
func (b Blunderbuss) ReviewerCountOrDefault() int {
	if b.ReviewerCount == nil {
		return DefaultReviewerCount
	}
	return *b.ReviewerCount
}

// Repos lists every "org" and "org/repo" key that enables plugins.
func (c *Configuration) Repos() []string {
	out := make([]string, 0, len(c.Plugins))
	for k := range c.Plugins {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
