package deck

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Bounds of /prowjobs.js. Prow's deck sends every job it has; this one
// sends the newest ProwJobsDefault (at most ProwJobsMax with ?limit=N),
// reading the store a page at a time and encoding each job as it goes,
// so a store of 100,000 jobs costs one page of memory. When more jobs
// match, metadata.continue (as in a Kubernetes list) is the token that
// ?continue= takes to read on.
const (
	ProwJobsDefault = 1000
	ProwJobsMax     = 10000
	// prowJobsPage is how many records one store read asks for.
	prowJobsPage = 200
)

// omittable are the parts ?omit= may leave out of each job (Prow's
// names).
var omittable = map[string]func(*prowapi.ProwJob){
	"annotations":       func(pj *prowapi.ProwJob) { pj.Annotations = nil },
	"labels":            func(pj *prowapi.ProwJob) { pj.Labels = nil },
	"decoration_config": func(pj *prowapi.ProwJob) { pj.Spec.DecorationConfig = nil },
	"pod_spec":          func(pj *prowapi.ProwJob) { pj.Spec.PodSpec = nil },
}

// parseOmit reads ?omit=a,b; as in Prow, names it does not know are
// ignored.
func parseOmit(v string) []func(*prowapi.ProwJob) {
	var out []func(*prowapi.ProwJob)
	seen := map[string]bool{}
	for name := range strings.SplitSeq(v, ",") {
		name = strings.TrimSpace(name)
		if f, ok := omittable[name]; ok && !seen[name] {
			seen[name] = true
			out = append(out, f)
		}
	}
	return out
}

// parseLimit reads ?limit=N.
func parseLimit(v string) (int, *httpError) {
	if v == "" {
		return ProwJobsDefault, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > ProwJobsMax {
		return 0, refuse(http.StatusBadRequest, "Bad limit", fmt.Sprintf("limit must be a number of jobs between 1 and %d", ProwJobsMax))
	}
	return n, nil
}

// handleProwJobsJS is GET /prowjobs.js: {"items":[ProwJob...]} with
// Prow's field names, newest first, wrapped as `var NAME = ...;` with
// ?var=NAME. It takes the job list's filters (repo, job, type, state,
// author, pull) too.
func (s *Server) handleProwJobsJS(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v, herr := jsVar(r)
	if herr == nil {
		var limit int
		if limit, herr = parseLimit(q.Get("limit")); herr == nil {
			s.streamProwJobs(w, r, v, limit)
			return
		}
	}
	failText(w, herr)
}

func (s *Server) streamProwJobs(w http.ResponseWriter, r *http.Request, v string, limit int) {
	q := r.URL.Query()
	lq, f, err := parseListQuery(q)
	if err != nil {
		textError(w, http.StatusBadRequest, "Bad filter: "+err.Error())
		return
	}
	omit := parseOmit(q.Get("omit"))
	ctx := r.Context()
	// The first page is read before anything is written, so that a store
	// that cannot be read is a clean error.
	page, err := s.listVisible(ctx, f, jobs.Page{Limit: min(prowJobsPage, limit), Continue: lq.Continue})
	if err != nil {
		s.log.WithError(err).Warn("List jobs failed")
		if lq.Continue != "" {
			textError(w, http.StatusBadRequest, "Cannot list jobs: the job store refused the continue token; start again without it")
			return
		}
		textError(w, http.StatusServiceUnavailable, "Job store unavailable: the job store cannot be read right now")
		return
	}
	jsHeaders(w, v)
	bw := bufio.NewWriterSize(w, 32<<10)
	defer func() { _ = bw.Flush() }()
	if v != "" {
		_, _ = bw.WriteString("var " + v + " = ")
	}
	_, _ = bw.WriteString(`{"items":[`)
	page = s.encodeJobs(ctx, bw, f, page, limit, omit)
	_, _ = bw.WriteString("]")
	if page.Continue != "" {
		tok, _ := json.Marshal(page.Continue) // a string always encodes
		_, _ = bw.WriteString(`,"metadata":{"continue":` + string(tok) + `}`)
	}
	_, _ = bw.WriteString("}")
	if v != "" {
		_, _ = bw.WriteString(";")
	}
	_ = bw.WriteByte('\n')
}

// encodeJobs writes the jobs of page and of the pages after it, up to
// limit, comma-separated, and returns the last page read.
func (s *Server) encodeJobs(ctx context.Context, bw *bufio.Writer, f jobs.Filter, page *jobs.List, limit int, omit []func(*prowapi.ProwJob)) *jobs.List {
	// The encoder escapes <, > and &, so a job's text cannot end a
	// <script> element the answer is put in.
	enc := json.NewEncoder(bw)
	n := 0
	for {
		for i := range page.Items {
			pj := &page.Items[i]
			for _, drop := range omit {
				drop(pj)
			}
			if n > 0 {
				_ = bw.WriteByte(',')
			}
			if err := enc.Encode(pj); err != nil {
				s.log.WithError(err).WithField("name", pj.Name).Warn("Encode job failed")
				return &jobs.List{}
			}
			n++
		}
		// A page with nothing visible means the scan bound was reached:
		// the caller reads on with the continue token.
		if n >= limit || page.Continue == "" || len(page.Items) == 0 {
			return page
		}
		next, err := s.listVisible(ctx, f, jobs.Page{Limit: min(prowJobsPage, limit-n), Continue: page.Continue})
		if err != nil {
			s.log.WithError(err).Warn("List jobs failed")
			return page
		}
		page = next
	}
}
