// Package orgrepo is Prow's lookup of a setting by repository: the entry
// of "org/repo" if there is one, else the entry of "org", else the entry
// of "*" for every repository. Configuration, HMAC secrets, deck's rerun
// permissions and tide's URLs are all keyed this way.
package orgrepo

// Global is the key that applies to every repository.
const Global = "*"

// Keys are the keys tried for org/repo, most specific first:
// "org/repo" (when both are set), "org" (when set), then "*".
func Keys(org, repo string) []string {
	keys := make([]string, 0, 3)
	if org != "" && repo != "" {
		keys = append(keys, org+"/"+repo)
	}
	if org != "" {
		keys = append(keys, org)
	}
	return append(keys, Global)
}

// Lookup returns the value of the most specific key of m present for
// org/repo, and whether one was.
func Lookup[V any](m map[string]V, org, repo string) (V, bool) {
	for _, k := range Keys(org, repo) {
		if v, ok := m[k]; ok {
			return v, true
		}
	}
	var zero V
	return zero, false
}

// Value is Lookup without the flag: the zero value when no key is present.
func Value[V any](m map[string]V, org, repo string) V {
	v, _ := Lookup(m, org, repo)
	return v
}
