// Package mapkeys lists the keys of string-keyed maps in a stable order,
// for output and decisions that must not depend on map iteration.
package mapkeys

import "sort"

// Sorted is m's keys in increasing order; never nil, empty for an empty
// or nil map.
func Sorted[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
