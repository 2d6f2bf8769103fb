package deck

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// maxBadgeJobs bounds the names and globs one badge sums up.
const maxBadgeJobs = 20

// badgeScan is how many recent runs of a name are looked at for a
// finished one; a glob looks at badgeGlobScan runs.
const (
	badgeScan     = 20
	badgeGlobScan = 500
)

// badgeNamed is how many failing jobs a badge names before "and N more".
const badgeNamed = 3

// handleBadge serves /badge.svg?jobs=a,b-*: as Prow's badge, "passing"
// when the latest finished run of every matching job succeeded, "failing
// NAMES" naming those whose did not (truncated), and "no results" when
// no job matches (a hidden job matches nothing). Names take "*" globs as
// the list's filter does.
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
	latest, order := s.badgeRuns(r.Context(), names)
	var failing []string
	for _, job := range order {
		if latest[job] != prowapi.SuccessState {
			failing = append(failing, job)
		}
	}
	status, color := badgeStatus(len(order), failing)
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write([]byte(badgeSVG(status, color)))
}

// badgeRuns are the states of the latest finished (not aborted) run of
// every visible job the names and globs match, and those jobs in the
// order found.
func (s *Server) badgeRuns(ctx context.Context, names []string) (map[string]prowapi.ProwJobState, []string) {
	latest := map[string]prowapi.ProwJobState{}
	var order []string
	rules := s.rules()
	for _, n := range names {
		limit := badgeScan
		if strings.Contains(n, "*") {
			limit = badgeGlobScan
		} else if v, _ := rules.jobVerdict(n); v != shown && !s.opts.ShowHidden {
			continue
		}
		l, err := s.opts.Lister.List(ctx, jobs.Filter{Job: n}, jobs.Page{Limit: limit})
		if err != nil {
			s.log.WithError(err).Warn("List jobs for a badge failed")
			continue
		}
		for i := range l.Items {
			pj := &l.Items[i]
			if _, seen := latest[pj.Spec.Job]; seen || !pj.Status.State.IsFinal() || pj.Status.State == prowapi.AbortedState || s.hidden(rules, pj) {
				continue
			}
			latest[pj.Spec.Job] = pj.Status.State
			order = append(order, pj.Spec.Job)
		}
	}
	return latest, order
}

// badgeStatus is the badge's words and color for matched jobs of which
// failing did not pass.
func badgeStatus(matched int, failing []string) (string, string) {
	switch {
	case matched == 0:
		return "no results", "#777777"
	case len(failing) == 0:
		return "passing", "#2e8540"
	case len(failing) > badgeNamed:
		return fmt.Sprintf("failing %s and %d more", strings.Join(failing[:badgeNamed], ", "), len(failing)-badgeNamed), "#c62828"
	}
	return "failing " + strings.Join(failing, ", "), "#c62828"
}

func badgeSVG(status, color string) string {
	left, right := 38, 8+7*len(status)
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="prow: %s">`+
		`<rect width="%d" height="20" fill="#555"/><rect x="%d" width="%d" height="20" fill="%s"/>`+
		`<g fill="#fff" font-family="Verdana,sans-serif" font-size="11"><text x="6" y="14">prow</text>`+
		`<text x="%d" y="14">%s</text></g></svg>`,
		left+right, html.EscapeString(status), left, left, right, color, left+4, html.EscapeString(status))
}
