package effect

import (
	"context"
	"testing"
)

func TestKeysRepeatOnEveryRunOfACall(t *testing.T) {
	run := func() []string {
		s := &Scope{Delivery: "d1", Call: "lgtm/0"}
		return []string{s.Key("comment"), s.Key("job"), s.Key("comment")}
	}
	a, b := run(), run()
	want := []string{"d1/lgtm/0/comment0", "d1/lgtm/0/job0", "d1/lgtm/0/comment1"}
	for i := range want {
		if a[i] != want[i] || b[i] != want[i] {
			t.Errorf("key %d: %q and %q, want %q", i, a[i], b[i], want[i])
		}
	}
}

func TestMarkAndUnmark(t *testing.T) {
	for _, tc := range []struct{ name, body, text, key string }{
		{"a marked body gives back its text and key", Mark("hello", "d/p/comment0"), "hello", "d/p/comment0"},
		{"a body without a marker has no key", "no marker", "no marker", ""},
		{"a marker that is not at the end is text", "<!-- prow-effect: quoted --> in the middle\nmore", "<!-- prow-effect: quoted --> in the middle\nmore", ""},
		{"a text ending in a newline keeps it", Mark("line\n", "k"), "line\n", "k"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, key := Unmark(tc.body)
			if text != tc.text || key != tc.key {
				t.Errorf("Unmark(%q) = %q, %q; want %q, %q", tc.body, text, key, tc.text, tc.key)
			}
		})
	}
}

func TestScopeTravelsInTheContext(t *testing.T) {
	if From(context.Background()) != nil {
		t.Fatal("no scope outside a call")
	}
	s := &Scope{Delivery: "d"}
	if From(With(context.Background(), s)) != s {
		t.Fatal("the scope is lost")
	}
}
