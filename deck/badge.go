package deck

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// maxBadgeJobs bounds the jobs one badge sums up.
const maxBadgeJobs = 20

// badgeScan is how many recent runs of a job are looked at for a
// finished one.
const badgeScan = 20

// handleBadge serves /badge.svg?jobs=a,b: passing when the latest
// finished run of every job succeeded, failing when one did not, unknown
// when there is none (or a job is hidden).
func (s *Server) handleBadge(w http.ResponseWriter, r *http.Request) {
	var names []string
	for n := range strings.SplitSeq(r.URL.Query().Get("jobs"), ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	if len(names) > maxBadgeJobs {
		s.fail(w, r, http.StatusBadRequest, "Too many jobs", fmt.Sprintf("A badge sums up at most %d jobs.", maxBadgeJobs))
		return
	}
	status := "unknown"
	if len(names) > 0 {
		status = "passing"
	}
	rules := s.rules()
	for _, n := range names {
		if v, _ := rules.jobVerdict(n); v != shown && !s.opts.ShowHidden {
			status = "unknown"
			break
		}
		l, err := s.opts.Lister.List(r.Context(), jobs.Filter{Job: n}, jobs.Page{Limit: badgeScan})
		if err != nil {
			status = "unknown"
			break
		}
		state := prowapi.ProwJobState("")
		for i := range l.Items {
			if pj := &l.Items[i]; pj.Status.State.IsFinal() && pj.Status.State != prowapi.AbortedState {
				if s.hidden(rules, pj) {
					break
				}
				state = pj.Status.State
				break
			}
		}
		if state == "" {
			status = "unknown"
			break
		}
		if state != prowapi.SuccessState {
			status = "failing"
		}
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write([]byte(badgeSVG(status)))
}

func badgeSVG(status string) string {
	color := map[string]string{"passing": "#2e8540", "failing": "#c62828", "unknown": "#777777"}[status]
	left, right := 38, 8+7*len(status)
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="prow: %s">`+
		`<rect width="%d" height="20" fill="#555"/><rect x="%d" width="%d" height="20" fill="%s"/>`+
		`<g fill="#fff" font-family="Verdana,sans-serif" font-size="11"><text x="6" y="14">prow</text>`+
		`<text x="%d" y="14">%s</text></g></svg>`,
		left+right, html.EscapeString(status), left, left, right, color, left+4, html.EscapeString(status))
}
