package labels_test

import (
	"testing"

	"github.com/prowbot/prow/prow/labels"
)

func TestLabelsCompareCaseInsensitively(t *testing.T) {
	cases := []struct {
		name string
		list []string
		want string
		has  bool
	}{
		{"the same name matches", []string{"lgtm"}, "lgtm", true},
		{"an upper-case label matches a lower-case name", []string{"LGTM"}, "lgtm", true},
		{"a lower-case label matches an upper-case name", []string{"do-not-merge/hold"}, "Do-Not-Merge/Hold", true},
		{"a mixed-case label matches among others", []string{"size/XS", "Approved"}, "approved", true},
		{"another label does not match", []string{"lgtm"}, "approved", false},
		{"a prefix does not match", []string{"lgtm-extra"}, "lgtm", false},
		{"an empty list matches nothing", nil, "lgtm", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := labels.Has(c.list, c.want); got != c.has {
				t.Errorf("Has(%q, %q) = %v, want %v", c.list, c.want, got, c.has)
			}
			if got := labels.NewSet(c.list).Has(c.want); got != c.has {
				t.Errorf("NewSet(%q).Has(%q) = %v, want %v", c.list, c.want, got, c.has)
			}
			if c.has && len(c.list) == 1 && !labels.Equal(c.list[0], c.want) {
				t.Errorf("Equal(%q, %q) = false", c.list[0], c.want)
			}
		})
	}
}
