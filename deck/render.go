package deck

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/prowbot/prow/deck/lens"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageNames are the templates with a page of their own.
var pageNames = []string{"list", "view", "history", "prhistory", "commandhelp", "plugins", "error", "done", "tide", "tidehistory", "pr"}

type pages struct {
	byName map[string]*template.Template
}

func parsePages() (*pages, error) {
	base, err := template.New("layout.html").Funcs(funcs()).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse deck layout: %w", err)
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range pageNames {
		files := []string{"templates/" + name + ".html"}
		if name == "view" {
			files = append(files, "templates/lenses.html")
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("parse deck page %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static") // the directory is embedded
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		files.ServeHTTP(w, r)
	})
}

// serveFavicon answers /favicon.ico, which browsers ask for whatever
// the page links, with the icon in static/.
func serveFavicon(w http.ResponseWriter, _ *http.Request) {
	icon, err := staticFS.ReadFile("static/favicon.ico")
	if err != nil {
		http.Error(w, "no icon", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "image/x-icon")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(icon)
}

// pageData is what the layout needs besides the page's own data.
type pageData struct {
	Title string
	// User is the logged-in user ("" when nobody is).
	User     string
	CSRF     string
	LoginURL string
	CanLogin bool
	// Tide: the tide pages are on.
	Tide      bool
	Path      string
	Data      any
	Generated time.Time
}

// render executes a page into a buffer first, so a template error
// becomes a clean 500 and not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	t := s.pages.byName[page]
	u := s.user(r)
	pd := pageData{Title: title, User: u.Login, Path: r.URL.RequestURI(), Data: data, Generated: s.opts.Now(),
		CanLogin: s.oauth != nil, Tide: s.opts.Tide != nil, LoginURL: "/github-login?dest=" + template.URLQueryEscaper(r.URL.RequestURI())}
	if u.Login != "" && s.codec != nil {
		pd.CSRF = s.codec.CSRFToken(u.sessionID)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", pd); err != nil {
		s.log.WithError(err).WithField("page", page).Error("Render page failed")
		http.Error(w, "internal error rendering the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error encoding JSON", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

func funcs() template.FuncMap {
	return template.FuncMap{
		"ago":      ago,
		"exact":    exact,
		"unix":     func(t time.Time) int64 { return unixOrZero(t) },
		"dur":      duration,
		"size":     humanSize,
		"stateCls": stateClass,
		"short":    func(s string) string { return s[:min(len(s), 8)] },
		"join":     strings.Join,
		"logline":  logLineHTML,
		"secs":     seconds,
		"caseOf":   func(kind string, open bool, c lens.Case) caseData { return caseData{Kind: kind, Open: open, C: c} },
		"pct":      func(f float64) string { return fmt.Sprintf("%.1f%%", f) },
	}
}

// logLineHTML is one build log line as HTML: its text escaped, in spans
// for its styles (the 16 colors as classes, the others as data-fg and
// data-bg for the page's script, as the page's policy forbids style
// attributes), and what the error patterns matched in <mark class="hl">,
// cut at the spans' edges so the marks nest inside them. Written here
// rather than in the template: a log page has thousands of lines.
func logLineHTML(l lens.Line) template.HTML {
	spans := l.Spans
	if spans == nil {
		spans = []lens.Span{{Text: l.Text}}
	}
	var b strings.Builder
	pos, marks := 0, l.Marks
	for _, sp := range spans {
		if sp.Plain() {
			marks = writeMarked(&b, sp.Text, pos, marks)
			pos += len(sp.Text)
			continue
		}
		b.WriteString("<span")
		for _, attr := range [...][2]string{{"class", sp.Style.Class()}, {"data-fg", sp.Style.FG.Hex()}, {"data-bg", sp.Style.BG.Hex()}} {
			if attr[1] != "" {
				b.WriteString(" " + attr[0] + `="` + attr[1] + `"`)
			}
		}
		b.WriteString(">")
		marks = writeMarked(&b, sp.Text, pos, marks)
		pos += len(sp.Text)
		b.WriteString("</span>")
	}
	return template.HTML(b.String()) // escaped; the classes and colors are ours
}

// writeMarked writes text, which starts at byte pos of its line,
// escaped and with the parts inside marks (sorted byte ranges of the
// line) in <mark class="hl">; it returns the marks not yet passed.
func writeMarked(b *strings.Builder, text string, pos int, marks [][2]int) [][2]int {
	end := pos + len(text)
	for len(marks) > 0 && marks[0][0] < end {
		m := marks[0]
		from, to := max(m[0], pos)-pos, min(m[1], end)-pos
		b.WriteString(template.HTMLEscapeString(text[:from]))
		b.WriteString(`<mark class="hl">` + template.HTMLEscapeString(text[from:to]) + "</mark>")
		text, pos = text[to:], pos+to
		if m[1] > end {
			return marks
		}
		marks = marks[1:]
	}
	b.WriteString(template.HTMLEscapeString(text))
	return marks
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// ago is a relative time: "3m ago".
func ago(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return relative(time.Since(t))
}

func relative(d time.Duration) string {
	switch {
	case d < 0:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	default:
		return fmt.Sprintf("%dd ago", int(d.Hours()/24))
	}
}

func exact(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// duration is how every page writes a job's duration: "1h02m",
// "3m05s", "12s", and "0.4s" for a run under ten seconds that is not
// whole, so a sub-second run is never blank. Unknown (zero or negative)
// is "".
func duration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	if d < 10*time.Second {
		d = d.Round(100 * time.Millisecond)
		if d == 0 {
			d = 100 * time.Millisecond
		}
		if d%time.Second == 0 {
			return fmt.Sprintf("%ds", int(d.Seconds()))
		}
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	d = d.Round(time.Second)
	h, m, sec := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, sec)
	default:
		return fmt.Sprintf("%ds", sec)
	}
}

// caseData is one JUnit case with how the junit lens draws it.
type caseData struct {
	Kind string
	Open bool
	C    lens.Case
}

// seconds is a test's duration: "0.20s", or as duration above a minute.
func seconds(s float64) string {
	if s >= 60 {
		return duration(time.Duration(s * float64(time.Second)))
	}
	return fmt.Sprintf("%.2fs", s)
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}

// stateClass is the CSS class of a state.
func stateClass(state string) string {
	switch state {
	case "success", "failure", "pending", "aborted", "error", "triggered", "scheduling":
		return "st-" + state
	}
	return "st-unknown"
}
