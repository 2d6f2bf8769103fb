package labels

import "strings"

// Equal says whether a and b name the same label.
func Equal(a, b string) bool { return strings.EqualFold(a, b) }

// Has says whether list holds the label name.
func Has(list []string, name string) bool {
	for _, l := range list {
		if strings.EqualFold(l, name) {
			return true
		}
	}
	return false
}

// Key is the form of a label name to use as a map key, so that a map
// holds each label once whatever its case.
func Key(name string) string { return strings.ToLower(name) }

// Set is a set of label names keyed by Key.
type Set map[string]bool

// NewSet holds the labels of list.
func NewSet(list []string) Set {
	s := make(Set, len(list))
	for _, l := range list {
		s[Key(l)] = true
	}
	return s
}

// Has says whether the set holds the label name.
func (s Set) Has(name string) bool { return s[Key(name)] }
