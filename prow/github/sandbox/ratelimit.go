package sandbox

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// anonymousLimit is GitHub's hourly budget of unauthenticated requests.
const anonymousLimit = 60

// limiter keeps each user's request budgets, per resource, in windows
// that start with the first request, as GitHub's do.
type limiter struct {
	mu      sync.Mutex
	now     func() time.Time
	limits  map[string]int
	windows map[string]time.Duration
	buckets map[[2]string]*bucket // {login, resource}
}

type bucket struct {
	used  int
	reset time.Time
}

// rateView is one budget as /rate_limit and the headers show it.
type rateView struct {
	Limit, Used int
	Reset       time.Time
}

func newLimiter(now func() time.Time, core, search int) *limiter {
	return &limiter{now: now, limits: map[string]int{"core": core, "search": search, "graphql": core},
		windows: map[string]time.Duration{"core": time.Hour, "search": time.Minute, "graphql": time.Hour},
		buckets: map[[2]string]*bucket{}}
}

func (l *limiter) limit(login, resource string) int {
	if login == "" {
		return anonymousLimit
	}
	return l.limits[resource]
}

// bucket returns the current window of login's resource; the lock is held.
func (l *limiter) bucket(login, resource string) *bucket {
	key := [2]string{login, resource}
	b := l.buckets[key]
	now := l.now()
	if b == nil || !now.Before(b.reset) {
		b = &bucket{reset: ceilSecond(now.Add(l.windows[resource]))}
		l.buckets[key] = b
	}
	return b
}

// ceilSecond rounds up to a whole second, so a window ends exactly when
// the X-RateLimit-Reset header says.
func ceilSecond(t time.Time) time.Time {
	if t.Truncate(time.Second).Equal(t) {
		return t
	}
	return t.Truncate(time.Second).Add(time.Second)
}

// take spends one request of the budget and writes the headers; false
// when the budget is spent. Resource "" (/rate_limit) costs nothing.
func (l *limiter) take(h http.Header, login, resource string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	spend := resource != ""
	if !spend {
		resource = "core"
	}
	b := l.bucket(login, resource)
	ok := b.used < l.limit(login, resource)
	if ok && spend {
		b.used++
	}
	l.write(h, login, resource, b)
	return ok || !spend
}

// refund gives back a request (a 304 costs nothing).
func (l *limiter) refund(h http.Header, login, resource string) {
	if resource == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(login, resource)
	if b.used > 0 {
		b.used--
	}
	l.write(h, login, resource, b)
}

// peek writes the headers without spending anything.
func (l *limiter) peek(h http.Header, login, resource string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if resource == "" {
		resource = "core"
	}
	l.write(h, login, resource, l.bucket(login, resource))
}

func (l *limiter) write(h http.Header, login, resource string, b *bucket) {
	limit := l.limit(login, resource)
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(0, limit-b.used)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(b.reset.Unix(), 10))
	h.Set("X-RateLimit-Used", strconv.Itoa(b.used))
	h.Set("X-RateLimit-Resource", resource)
}

// set gives each of logins remaining core requests until resetIn from now
// (the current window's end when zero).
func (l *limiter) set(logins []string, remaining int, resetIn time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, login := range logins {
		b := l.bucket(login, "core")
		b.used = max(0, l.limit(login, "core")-remaining)
		if resetIn > 0 {
			b.reset = ceilSecond(l.now().Add(resetIn))
		}
	}
}

// view shows login's budgets.
func (l *limiter) view(login string) map[string]rateView {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]rateView{}
	for resource := range l.limits {
		b := l.bucket(login, resource)
		out[resource] = rateView{Limit: l.limit(login, resource), Used: b.used, Reset: b.reset}
	}
	return out
}

// SetRateLimit leaves every user remaining core requests until resetIn
// from now, when the budget is full again. SetRateLimit(0, time.Second)
// makes the next requests fail with GitHub's primary rate limit (403,
// X-RateLimit-Remaining: 0) until a second later.
func (s *Server) SetRateLimit(remaining int, resetIn time.Duration) {
	s.mu.Lock()
	logins := make([]string, 0, len(s.w.users))
	for _, u := range s.w.users {
		logins = append(logins, u.Login)
	}
	s.mu.Unlock()
	s.limits.set(logins, remaining, resetIn)
}
