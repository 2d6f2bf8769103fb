package ghproxy

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Request kinds, throttled separately: GitHub's secondary rate limits are
// stricter for writes than for reads, and GraphQL has its own budget.
const (
	kindRead    = "read"
	kindWrite   = "write"
	kindGraphQL = "graphql"
)

// throttle spaces each token's requests of one kind by at least the
// configured interval, and caps the upstream requests in flight.
type throttle struct {
	spacing  map[string]time.Duration // kind -> interval (0: none)
	maxDelay time.Duration            // a request waits at most this long
	slots    chan struct{}            // nil: no cap

	mu       sync.Mutex
	limiters map[[2]string]*rate.Limiter // {token, kind}
}

func newThrottle(spacing map[string]time.Duration, maxDelay time.Duration, maxConcurrency int) *throttle {
	t := &throttle{spacing: spacing, maxDelay: maxDelay, limiters: map[[2]string]*rate.Limiter{}}
	if maxConcurrency > 0 {
		t.slots = make(chan struct{}, maxConcurrency)
	}
	return t
}

func (t *throttle) limiter(token, kind string) *rate.Limiter {
	every := t.spacing[kind]
	if every <= 0 {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	key := [2]string{token, kind}
	l := t.limiters[key]
	if l == nil {
		l = rate.NewLimiter(rate.Every(every), 1)
		t.limiters[key] = l
	}
	return l
}

// acquire waits for the token's turn (at most maxDelay: past that the
// request goes anyway, late rather than failed) and for an upstream slot.
// It returns how long it waited and the function that frees the slot.
func (t *throttle) acquire(ctx context.Context, token, kind string) (time.Duration, func(), error) {
	start := time.Now()
	if l := t.limiter(token, kind); l != nil {
		r := l.Reserve()
		if d := r.Delay(); d > 0 {
			if t.maxDelay > 0 && d > t.maxDelay {
				d = t.maxDelay
			}
			timer := time.NewTimer(d)
			select {
			case <-ctx.Done():
				timer.Stop()
				r.Cancel()
				return time.Since(start), func() {}, ctx.Err()
			case <-timer.C:
			}
		}
	}
	if t.slots == nil {
		return time.Since(start), func() {}, nil
	}
	select {
	case t.slots <- struct{}{}:
		return time.Since(start), func() { <-t.slots }, nil
	case <-ctx.Done():
		return time.Since(start), func() {}, ctx.Err()
	}
}
