package sandbox

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
)

// The kinds of fault the sandbox injects.
const (
	// Fault5xx answers 502 or 503.
	Fault5xx = "5xx"
	// FaultDrop closes the connection without an answer.
	FaultDrop = "drop"
	// FaultSecondary answers GitHub's secondary rate limit: 403 with
	// Retry-After: 1.
	FaultSecondary = "secondary"
)

// Faults say what share of REST requests fail and how. A fault strikes
// before the request is read or applied, so a retried write is applied
// exactly once. git and /_sandbox/ requests never fail.
type Faults struct {
	// Rate is the share of requests that fail, in [0, 1].
	Rate float64 `json:"rate"`
	// Kinds to choose from, uniformly: 5xx, drop, secondary (all when
	// empty).
	Kinds []string `json:"kinds,omitempty"`
	// Seed, when set, restarts the random choices from this seed.
	Seed *uint64 `json:"seed,omitempty"`
}

// Validate checks the rate and the kinds.
func (f Faults) Validate() error {
	var errs []error
	if f.Rate < 0 || f.Rate > 1 {
		errs = append(errs, fmt.Errorf("fault rate %v is not in [0, 1]", f.Rate))
	}
	for _, k := range f.Kinds {
		if k != Fault5xx && k != FaultDrop && k != FaultSecondary {
			errs = append(errs, fmt.Errorf("fault kind %q: use %s, %s or %s", k, Fault5xx, FaultDrop, FaultSecondary))
		}
	}
	return errors.Join(errs...)
}

// faultInjector rolls the dice for each request.
type faultInjector struct {
	mu     sync.Mutex
	cfg    Faults
	rng    *rand.Rand
	counts map[string]int
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

func newFaultInjector(f Faults, seed uint64) *faultInjector {
	fi := &faultInjector{rng: newRand(seed), counts: map[string]int{}}
	fi.set(f)
	return fi
}

func (fi *faultInjector) set(f Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	if f.Seed != nil {
		fi.rng = newRand(*f.Seed)
	}
	var kinds []string
	for _, k := range f.Kinds {
		if k == Fault5xx || k == FaultDrop || k == FaultSecondary {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		kinds = []string{Fault5xx, FaultDrop, FaultSecondary}
	}
	f.Kinds, f.Rate = kinds, min(max(f.Rate, 0), 1)
	fi.cfg = f
}

// choose returns the fault for the next request: a kind, or "".
func (fi *faultInjector) choose() (kind string, code int) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	if fi.cfg.Rate <= 0 || fi.rng.Float64() >= fi.cfg.Rate {
		return "", 0
	}
	kind = fi.cfg.Kinds[fi.rng.IntN(len(fi.cfg.Kinds))]
	fi.counts[kind]++
	if kind == Fault5xx {
		code = []int{http.StatusBadGateway, http.StatusServiceUnavailable}[fi.rng.IntN(2)]
	}
	return kind, code
}

// strike fails the request when the dice say so; rateHeaders writes the
// caller's rate-limit headers on answers that carry them.
func (fi *faultInjector) strike(w http.ResponseWriter, _ *http.Request, rateHeaders func(http.Header)) bool {
	kind, code := fi.choose()
	switch kind {
	case "":
		return false
	case FaultDrop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close() // dropping it is the point
				return true
			}
		}
		writeError(w, &apiError{Status: http.StatusBadGateway, Message: "Server Error"})
	case FaultSecondary:
		rateHeaders(w.Header())
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusForbidden, obj{
			"message":           "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
			"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"})
	default:
		rateHeaders(w.Header())
		writeError(w, &apiError{Status: code, Message: http.StatusText(code)})
	}
	return true
}

// SetFaults changes fault injection; out-of-range rates are clamped and
// unknown kinds ignored (Faults.Validate reports both).
func (s *Server) SetFaults(f Faults) { s.faults.set(f) }

// FaultCounts says how many faults of each kind were injected so far.
func (s *Server) FaultCounts() map[string]int {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	out := make(map[string]int, len(s.faults.counts))
	for k, v := range s.faults.counts {
		out[k] = v
	}
	return out
}
