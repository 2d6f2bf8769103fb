package deck

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   time.Duration
		want string
	}{
		{"zero is blank", 0, ""},
		{"a negative duration is blank", -time.Second, ""},
		{"under a tenth rounds up to a tenth", time.Millisecond, "0.1s"},
		{"tenths under a second", 400 * time.Millisecond, "0.4s"},
		{"tenths round to nearest", 449 * time.Millisecond, "0.4s"},
		{"nearly a second rounds to a second", 950 * time.Millisecond, "1s"},
		{"a whole second drops the tenths", time.Second, "1s"},
		{"tenths over a second", 1500 * time.Millisecond, "1.5s"},
		{"just under ten seconds keeps tenths", 9940 * time.Millisecond, "9.9s"},
		{"rounding up to ten seconds drops tenths", 9960 * time.Millisecond, "10s"},
		{"whole seconds from ten", 12 * time.Second, "12s"},
		{"minutes and seconds", 95 * time.Second, "1m35s"},
		{"rounding up to an hour", 59*time.Minute + 59*time.Second + 600*time.Millisecond, "1h00m"},
		{"hours and minutes", 62 * time.Minute, "1h02m"},
		{"hours past a day", 26 * time.Hour, "26h00m"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := duration(tc.in); got != tc.want {
				t.Errorf("duration(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
