package ondemand

import (
	"fmt"
	"sort"
	"strings"
)

// MaxSuggestions is how many close names an unknown job's error lists.
const MaxSuggestions = 5

// Suggest returns the names among known that are close to name, closest
// first (ties in alphabetical order), at most MaxSuggestions: a name
// holding name or held in it, whatever the case, or one within a few
// edits of it (a quarter of its length, at least 2).
func Suggest(name string, known []string) []string {
	type scored struct {
		name string
		dist int
	}
	lower := strings.ToLower(name)
	limit := max(2, len(name)/4)
	seen := map[string]bool{}
	var out []scored
	for _, k := range known {
		if seen[k] || k == name {
			continue
		}
		seen[k] = true
		lk := strings.ToLower(k)
		d := editDistance(lower, lk)
		if d > limit && (lower == "" || (!strings.Contains(lk, lower) && !strings.Contains(lower, lk))) {
			continue
		}
		out = append(out, scored{k, d})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].dist != out[j].dist {
			return out[i].dist < out[j].dist
		}
		return out[i].name < out[j].name
	})
	names := make([]string, 0, min(len(out), MaxSuggestions))
	for i := 0; i < len(out) && i < MaxSuggestions; i++ {
		names = append(names, out[i].name)
	}
	return names
}

// editDistance is the Levenshtein distance of a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// UnknownJobError is a job name the configuration does not hold.
type UnknownJobError struct {
	// Name is the name asked for; Kind the job type asked for ("" for
	// any); Where the repository it was looked for in ("" for all).
	Name, Kind, Where string
	// Close are the configured names close to Name.
	Close []string
}

func (e *UnknownJobError) Error() string {
	what := "job"
	if e.Kind != "" {
		what = e.Kind
	}
	msg := fmt.Sprintf("no %s named %q is configured", what, e.Name)
	if e.Where != "" {
		msg += " for " + e.Where
	}
	if len(e.Close) == 0 {
		return msg + " (and no configured name is close to it)"
	}
	return msg + "; close names: " + strings.Join(e.Close, ", ")
}
