package configupdater

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/mapkeys"
)

// Name is the plugin's name in plugins.yaml.
const Name = "config-updater"

// DefaultCluster is the cluster alias of a ConfigMap entry that names
// none.
const DefaultCluster = "default"

// MapID names one ConfigMap. An empty Namespace is the default one
// (prowjob_namespace).
type MapID struct {
	Cluster, Namespace, Name string
}

// Update is one key of a ConfigMap to set from a file of the repository,
// or to delete when Filename is empty.
type Update struct {
	Key      string
	Filename string
	GZIP     bool
}

// Applies says whether a pull request event is a merge into the default
// branch, the only event that updates ConfigMaps.
func Applies(action string, merged bool, base, defaultBranch string) bool {
	return action == "closed" && merged && base != "" && base == defaultBranch
}

// Plan says which ConfigMaps change, and how, when the pull request with
// changes to repo ("org/name") merges.
func Plan(cfg pluginconfig.ConfigUpdater, repo string, changes []github.PullRequestChange) map[MapID][]Update {
	out := map[MapID][]Update{}
	patterns := orderedPatterns(cfg.Maps)
	for _, ch := range changes {
		spec, ok := match(cfg.Maps, patterns, ch.Filename)
		if !ok || spec.Name == "" || !repoAllowed(spec, repo) {
			continue
		}
		gz := cfg.GZIP
		if spec.GZIP != nil {
			gz = *spec.GZIP
		}
		for _, id := range targets(cfg, spec) {
			key := spec.Key
			if key == "" {
				key = keyFor(spec, ch.Filename)
				if ch.Status == "renamed" && ch.PreviousFilename != "" {
					out[id] = append(out[id], Update{Key: keyFor(spec, ch.PreviousFilename)})
				}
			}
			if ch.Status == "removed" {
				out[id] = append(out[id], Update{Key: key})
				continue
			}
			out[id] = append(out[id], Update{Key: key, Filename: ch.Filename, GZIP: gz})
		}
	}
	return out
}

func keyFor(spec pluginconfig.ConfigMapSpec, filename string) string {
	if spec.UseFullPathAsKey {
		return strings.ReplaceAll(filename, "/", "-")
	}
	return path.Base(filename)
}

func repoAllowed(spec pluginconfig.ConfigMapSpec, repo string) bool {
	has := func(list []string) bool {
		org, _, _ := strings.Cut(repo, "/")
		for _, r := range list {
			if strings.EqualFold(r, repo) || strings.EqualFold(r, org) {
				return true
			}
		}
		return false
	}
	if has(spec.DeniedRepos) {
		return false
	}
	return len(spec.AllowedRepos) == 0 || has(spec.AllowedRepos)
}

// targets lists the ConfigMaps an entry names, in a stable order.
func targets(cfg pluginconfig.ConfigUpdater, spec pluginconfig.ConfigMapSpec) []MapID {
	seen := map[MapID]bool{}
	var out []MapID
	add := func(cluster string, namespaces []string) {
		if len(namespaces) == 0 {
			namespaces = []string{""}
		}
		for _, ns := range namespaces {
			id := MapID{Cluster: cluster, Namespace: ns, Name: spec.Name}
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	for _, c := range mapkeys.Sorted(spec.Clusters) {
		add(c, spec.Clusters[c])
	}
	for _, g := range spec.ClusterGroups {
		group := cfg.ClusterGroups[g]
		for _, c := range group.Clusters {
			add(c, group.Namespaces)
		}
	}
	if len(out) == 0 {
		add(DefaultCluster, nil)
	}
	return out
}

// orderedPatterns lists the map keys: exact paths first, then globs, each
// in name order.
func orderedPatterns(maps map[string]pluginconfig.ConfigMapSpec) []string {
	keys := mapkeys.Sorted(maps)
	sort.SliceStable(keys, func(i, j int) bool { return !isGlob(keys[i]) && isGlob(keys[j]) })
	return keys
}

func match(maps map[string]pluginconfig.ConfigMapSpec, patterns []string, filename string) (pluginconfig.ConfigMapSpec, bool) {
	for _, p := range patterns {
		if p == filename || (isGlob(p) && globRegexp(p).MatchString(filename)) {
			return maps[p], true
		}
	}
	return pluginconfig.ConfigMapSpec{}, false
}

func isGlob(p string) bool { return strings.ContainsAny(p, "*?[") }

// globRegexp turns a glob into an anchored regexp: ** spans directories,
// * and ? stay within one, [...] is a class.
func globRegexp(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; {
		case strings.HasPrefix(glob[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(glob[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			end := strings.IndexByte(glob[i:], ']')
			if end < 0 {
				b.WriteString(regexp.QuoteMeta(glob[i:]))
				i = len(glob)
				continue
			}
			class := glob[i+1 : i+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + class + "]")
			i += end
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile(`^\b$`) // matches nothing
	}
	return re
}

// Applied is one ConfigMap updated.
type Applied struct {
	ID      MapID
	Updates []Update
}

// Summary is the comment saying what was updated, as Prow words it; ""
// when nothing was.
func Summary(applied []Applied) string {
	describe := func(a Applied, indent string) string {
		what := fmt.Sprintf("`%s` configmap", a.ID.Name)
		if a.ID.Namespace != "" {
			what += fmt.Sprintf(" in namespace `%s`", a.ID.Namespace)
		}
		if a.ID.Cluster != "" {
			what += fmt.Sprintf(" at cluster `%s`", a.ID.Cluster)
		}
		what += " using the following files:"
		for _, u := range a.Updates {
			if u.Filename == "" {
				what += fmt.Sprintf("\n%s- key `%s` deleted", indent, u.Key)
				continue
			}
			what += fmt.Sprintf("\n%s- key `%s` using file `%s`", indent, u.Key, u.Filename)
		}
		return what
	}
	switch len(applied) {
	case 0:
		return ""
	case 1:
		return "Updated the " + describe(applied[0], "")
	}
	msg := fmt.Sprintf("Updated the following %d configmaps:\n", len(applied))
	for _, a := range applied {
		msg += "  * " + describe(a, "    ") + "\n"
	}
	return msg
}

// SortedIDs lists plan's ConfigMaps in a stable order.
func SortedIDs(plan map[MapID][]Update) []MapID {
	ids := make([]MapID, 0, len(plan))
	for id := range plan {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := ids[i], ids[j]
		if a.Cluster != b.Cluster {
			return a.Cluster < b.Cluster
		}
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		return a.Name < b.Name
	})
	return ids
}

// Collect turns a ConfigMap's updates, in order, into the change to make,
// with the files' contents: a later update of a key overrides an earlier
// one (a file moved to another directory keeps its key).
func Collect(updates []Update, contents map[string][]byte) Change {
	c := Change{Set: map[string]Value{}}
	deleted := map[string]bool{}
	for _, u := range updates {
		if u.Filename == "" {
			delete(c.Set, u.Key)
			deleted[u.Key] = true
			continue
		}
		delete(deleted, u.Key)
		c.Set[u.Key] = Value{Content: contents[u.Filename], GZIP: u.GZIP}
	}
	c.Delete = mapkeys.Sorted(deleted)
	return c
}
