// Package wait lets a test wait for a state that nothing announces (a
// sandbox GitHub, a process, a file another process writes): it checks
// the condition on a ticker until it holds or the time runs out.
package wait

import (
	"testing"
	"time"
)

// For checks cond every few milliseconds (at most every 100) until it
// holds, and fails the test, naming what it waited for, when timeout
// passes first.
func For(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	ForEvery(t, timeout, min(max(timeout/200, 2*time.Millisecond), 100*time.Millisecond), what, cond)
}

// ForEvery is For checking cond every given interval, for a wait whose
// timeout is generous but whose condition usually holds within
// milliseconds.
func ForEvery(t testing.TB, timeout, every time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		<-tick.C
	}
}
