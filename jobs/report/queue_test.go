package report

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestRetryWaitsAtLeastWhatTheServerAsked: a Retry-After longer than the
// backoff is waited, but never longer than the queue's longest delay.
func TestRetryWaitsAtLeastWhatTheServerAsked(t *testing.T) {
	cases := []struct {
		name      string
		failures  int
		atLeast   time.Duration
		wantDelay time.Duration
	}{
		{"no Retry-After: the backoff", 0, 0, time.Millisecond},
		{"a Retry-After longer than the backoff", 0, 3 * time.Second, 3 * time.Second},
		{"a Retry-After shorter than the backoff", 4, time.Millisecond, 16 * time.Millisecond},
		{"a Retry-After past the longest delay is cut to it", 0, time.Hour, 10 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := newQueue(time.Millisecond, 10*time.Second)
			defer q.close()
			q.failures["job"] = tc.failures
			if got := q.retry("job", tc.atLeast); got != tc.wantDelay {
				t.Errorf("retry = %s, want %s", got, tc.wantDelay)
			}
		})
	}
}

type waitErr time.Duration

func (w waitErr) Error() string             { return "slow down" }
func (w waitErr) RetryAfter() time.Duration { return time.Duration(w) }

// TestRetryAfterIsFoundInAReportsErrors: the loop joins and wraps the
// reporters' errors; a Retry-After inside is still seen.
func TestRetryAfterIsFoundInAReportsErrors(t *testing.T) {
	err := errors.Join(errors.New("other reporter failed"), fmt.Errorf("report job x with slackreporter: %w", waitErr(2*time.Second)))
	if got := retryAfter(err); got != 2*time.Second {
		t.Errorf("retryAfter = %s, want 2s", got)
	}
	if got := retryAfter(errors.New("plain")); got != 0 {
		t.Errorf("retryAfter of a plain error = %s, want 0", got)
	}
}
