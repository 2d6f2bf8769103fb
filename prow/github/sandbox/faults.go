package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Faults say what share of API requests fail, and how. Faults strike
// before a request is applied.
type Faults struct {
	// Rate is the share of requests that fail, in [0, 1].
	Rate float64 `json:"rate"`
	// Kinds to choose from: "5xx", "drop", "secondary" (default all).
	Kinds []string `json:"kinds,omitempty"`
}

// SetFaults changes the fault injection.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// injectFault fails the request when the dice say so.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/_sandbox/") {
		return false
	}
	s.mu.Lock()
	f := s.faults
	hit := f.Rate > 0 && s.rng.Float64() < f.Rate
	kinds := f.Kinds
	if len(kinds) == 0 {
		kinds = []string{"5xx", "drop", "secondary"}
	}
	kind := kinds[s.rng.IntN(len(kinds))]
	s.mu.Unlock()
	if !hit {
		return false
	}
	switch kind {
	case "drop":
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return true
			}
		}
		apiError(w, http.StatusBadGateway, "Server Error")
	case "secondary":
		w.Header().Set("Retry-After", "1")
		apiError(w, http.StatusForbidden, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.")
	default:
		apiError(w, http.StatusServiceUnavailable, "Service Unavailable")
	}
	return true
}

func (s *Server) handleFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	if err := json.NewDecoder(r.Body).Decode(&f); err != nil || f.Rate < 0 || f.Rate > 1 {
		apiError(w, http.StatusBadRequest, "want {\"rate\": 0..1, \"kinds\": [\"5xx\", \"drop\", \"secondary\"]}")
		return
	}
	s.SetFaults(f)
	w.WriteHeader(http.StatusNoContent)
}
