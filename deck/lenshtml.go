package deck

import (
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// htmlFrameCSP is the policy of an HTML artifact shown by the html lens.
// "sandbox" without allow-same-origin gives the document an origin of
// its own, so nothing it holds can read deck's pages or cookies; it runs
// no script, loads nothing from anywhere, and only deck may frame it.
// frame-ancestors names deck's origin: 'self' would name the sandbox's
// opaque origin, which no page has, and Chromium then blanks the frame.
const htmlFrameCSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors "

// handleLensHTML serves an HTML artifact of a build for the html lens's
// frame (the page itself never holds the artifact's markup). Only .html
// and .htm files are served; /file/ keeps serving them as text.
func (s *Server) handleLensHTML(w http.ResponseWriter, r *http.Request) {
	attrs, rc, ok := s.openWholeFile(w, r, r.URL.Query().Get("name"), func(rel string) *httpError {
		if !isHTMLName(rel) {
			return refuse(http.StatusNotFound, "Not an HTML file", "The html lens shows .html and .htm files only.")
		}
		return nil
	})
	if !ok {
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.FormatInt(attrs.Size, 10))
	h.Set("Content-Security-Policy", htmlFrameCSP+requestOrigin(r))
	h.Del("X-Frame-Options") // frame-ancestors says who may frame it
	h.Set("Cache-Control", "private, max-age=60")
	_, _ = io.Copy(w, rc)
}

// isHTMLName says whether the html lens shows a file of this name.
func isHTMLName(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".html" || ext == ".htm"
}

// requestOrigin is the host the request was sent to, as CSP sources for
// http and https (behind a proxy that ends TLS deck sees http).
func requestOrigin(r *http.Request) string {
	host := strings.Map(func(c rune) rune {
		if c == ';' || c == ',' || c == ' ' || c == '\'' || c < 0x21 || c > 0x7e {
			return -1
		}
		return c
	}, r.Host)
	if host == "" {
		return "'self'"
	}
	return "https://" + host + " http://" + host + " 'self'"
}
