package words

import "testing"

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "labels", 1: "label", 2: "labels"} {
		if got := Plural(n, "label", "labels"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}
