package harness

import "testing"

// Steps returns a function that runs subtests of t building each on the
// one before: a failed step ends t, so the rest do not run.
func Steps(t *testing.T) func(name string, do func(t *testing.T)) {
	return func(name string, do func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, do) {
			t.FailNow()
		}
	}
}
