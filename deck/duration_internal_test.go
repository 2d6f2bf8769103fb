package deck

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		in   time.Duration
		want string
	}{
		{0, ""},
		{-time.Second, ""},
		{time.Millisecond, "0.1s"},
		{400 * time.Millisecond, "0.4s"},
		{449 * time.Millisecond, "0.4s"},
		{950 * time.Millisecond, "1s"},
		{time.Second, "1s"},
		{1500 * time.Millisecond, "1.5s"},
		{9940 * time.Millisecond, "9.9s"},
		{9960 * time.Millisecond, "10s"},
		{12 * time.Second, "12s"},
		{95 * time.Second, "1m35s"},
		{59*time.Minute + 59*time.Second + 600*time.Millisecond, "1h00m"},
		{62 * time.Minute, "1h02m"},
		{26 * time.Hour, "26h00m"},
	} {
		if got := duration(tc.in); got != tc.want {
			t.Errorf("duration(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
