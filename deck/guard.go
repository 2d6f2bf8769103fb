package deck

import (
	"net/http"
	"strings"
)

// maxQuery is the longest query string served.
const maxQuery = 8 << 10

// maxForm is the largest form body accepted.
const maxForm = 64 << 10

// guard refuses bad input before any handler runs: long query strings
// (414), and paths that are not clean (400): dot segments, encoded
// slashes or backslashes, backslashes, NUL and other control characters.
// Nothing is read for such a request.
func guard(s *Server, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.RawQuery) > maxQuery {
			s.fail(w, r, http.StatusRequestURITooLong, "Query too long", "The query string is longer than 8 KB.")
			return
		}
		if msg := badPath(r); msg != "" {
			s.fail(w, r, http.StatusBadRequest, "Bad path", msg)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		}
		next.ServeHTTP(w, r)
	})
}

// badPath says what is wrong with a request path, or "" when it is fine.
func badPath(r *http.Request) string {
	raw := strings.ToLower(r.URL.RawPath)
	if raw == "" {
		raw = strings.ToLower(r.URL.EscapedPath())
	}
	if strings.Contains(raw, "%2f") || strings.Contains(raw, "%5c") {
		return "The path contains an encoded slash or backslash."
	}
	p := r.URL.Path
	for _, c := range p {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return "The path contains a backslash or a control character."
		}
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "." || seg == ".." {
			return "The path contains a dot segment (. or ..)."
		}
	}
	return ""
}

// securityHeaders sets the headers every answer carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' https:")
		next.ServeHTTP(w, r)
	})
}

// errorData is what the error page shows.
type errorData struct {
	Status  int
	Title   string
	Message string
}

// fail answers with a small error page (or JSON under /api/).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, status, map[string]any{"error": title, "message": msg, "status": status})
		return
	}
	s.render(w, r, status, "error", title, errorData{Status: status, Title: title, Message: msg})
}

// answer writes v as JSON, or herr's error when there is one: the end of
// the /api/ handlers.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, v any, herr *httpError) {
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return
	}
	writeJSON(w, http.StatusOK, v)
}
