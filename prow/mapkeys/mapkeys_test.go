package mapkeys

import (
	"reflect"
	"testing"
)

func TestSorted(t *testing.T) {
	if got := Sorted(map[string]int{"b": 1, "a": 2, "c": 3}); !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Errorf("Sorted = %v", got)
	}
	if got := Sorted[int](nil); got == nil || len(got) != 0 {
		t.Errorf("Sorted(nil) = %#v, want an empty slice", got)
	}
}
