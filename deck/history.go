package deck

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/prowbot/prow/deck/history"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// historyRow is one build of a job history.
type historyRow struct {
	ID       string `json:"id"`
	State    string `json:"state"`
	Started  int64  `json:"started,omitempty"`
	Duration string `json:"duration,omitempty"`
	PR       string `json:"pr,omitempty"`
	Revision string `json:"revision,omitempty"`
	// RevisionWhat says which commit Revision is.
	RevisionWhat string `json:"-"`
	URL          string `json:"url,omitempty"`
	Error        string `json:"error,omitempty"`
}

// StartTime is for templates.
func (h historyRow) StartTime() time.Time { return timeOf(h.Started) }

// historyPage is a job history page and /api/history.
type historyPage struct {
	Job    string       `json:"job"`
	Dir    string       `json:"dir"`
	Total  int          `json:"total"`
	Builds []historyRow `json:"builds"`
	Newer  string       `json:"newer,omitempty"`
	Older  string       `json:"older,omitempty"`
	Latest string       `json:"latest,omitempty"`
}

// readHistory reads the page of the history that /job-history/<rest>
// names.
func (s *Server) readHistory(r *http.Request) (*historyPage, *httpError) {
	t, herr := s.parseTarget(r.PathValue("rest"))
	if herr != nil {
		return nil, herr
	}
	job, ok := historyJob(t.Dir)
	if !ok {
		return nil, refuse(http.StatusNotFound, "Not a job history", "A job history is at <bucket>/logs/<job> or <bucket>/pr-logs/directory/<job>.")
	}
	notFound := refuse(http.StatusNotFound, "Job not found", "There is no history for job "+job+".")
	top := r.URL.Query().Get("buildId")
	if top != "" && !history.IsBuildID(top) {
		return nil, refuse(http.StatusBadRequest, "Bad build ID", "buildId must be a build number.")
	}
	b, herr := s.bucket(r.Context(), t)
	if herr != nil {
		return nil, herr
	}
	check := s.newPathCheck(r.Context(), b, t.Location)
	if !check.dir(t.Dir) {
		return nil, notFound
	}
	page, err := history.Read(r.Context(), b, t.Dir, top)
	if err != nil {
		s.log.WithError(err).WithField("job", job).Warn("Read job history failed")
		return nil, refuse(http.StatusServiceUnavailable, "Storage unavailable", "The job history cannot be read right now.")
	}
	if page.Total == 0 {
		return nil, notFound
	}
	out := &historyPage{Job: job, Dir: t.Dir, Total: page.Total, Newer: page.Newer, Older: page.Older, Latest: page.Latest}
	left := 0
	out.Builds, left = s.visibleRows(check, t, page.Builds, s.storeRuns(r.Context(), job))
	if left > 0 && len(out.Builds) == 0 {
		return nil, notFound
	}
	return out, nil
}

// visibleRows are the rows of the builds that may be shown, and how many
// were left out. A build is shown by its own directory, since an alias
// may point anywhere in the bucket; a build whose alias could not be read
// has no directory to decide by.
func (s *Server) visibleRows(check *pathCheck, t target, builds []history.Build, runs map[string]*prowapi.ProwJob) ([]historyRow, int) {
	rows, left := []historyRow{}, 0
	for _, build := range builds {
		if build.Dir == "" || !check.dir(build.Dir) || (!s.opts.ShowHidden && check.rules.reposVerdict(build.Metadata.Repos()) != shown) {
			left++
			continue
		}
		row := historyRow{ID: build.ID, State: build.State(), Started: unixOrZero(build.Start()), Duration: runTook(runs[build.ID], build.Metadata),
			Error: build.Err}
		rev := revisionOf(runs[build.ID], build.Metadata)
		row.Revision, row.RevisionWhat = rev.SHA, rev.What
		if st := build.Metadata.Started; st != nil {
			row.PR = st.Pull
		}
		bt := t
		bt.Dir = build.Dir
		row.URL = "/view/" + escapePath(bt.URLPath())
		rows = append(rows, row)
	}
	return rows, left
}

// historyRuns is how many of a job's newest runs in the store a history
// page looks at for exact durations and revisions.
const historyRuns = 200

// storeRuns are the job's newest runs the store still has, by build ID,
// so that a history row says what the list and the job page say.
func (s *Server) storeRuns(ctx context.Context, job string) map[string]*prowapi.ProwJob {
	runs := map[string]*prowapi.ProwJob{}
	l, err := s.opts.Lister.List(ctx, jobs.Filter{Job: job}, jobs.Page{Limit: historyRuns})
	if err != nil {
		s.log.WithError(err).WithField("job", job).Warn("List runs for a history failed")
		return runs
	}
	for i := range l.Items {
		if pj := &l.Items[i]; pj.Spec.Job == job && pj.Status.BuildID != "" {
			runs[pj.Status.BuildID] = pj
		}
	}
	return runs
}

// historyJob finds the job of a history directory: .../logs/<job> or
// .../pr-logs/directory/<job>.
func historyJob(dir string) (string, bool) {
	segs := strings.Split(dir, "/")
	n := len(segs)
	switch {
	case n >= 2 && segs[n-2] == "logs":
		return segs[n-1], true
	case n >= 3 && segs[n-3] == "pr-logs" && segs[n-2] == "directory":
		return segs[n-1], true
	}
	return "", false
}

func (s *Server) handleJobHistory(w http.ResponseWriter, r *http.Request) {
	p, herr := s.readHistory(r)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return
	}
	s.render(w, r, http.StatusOK, "history", "History of "+p.Job, p)
}

func (s *Server) handleAPIHistory(w http.ResponseWriter, r *http.Request) {
	p, herr := s.readHistory(r)
	s.answer(w, r, p, herr)
}

// maxPRRuns is the most runs of one pull request the PR history reads.
const maxPRRuns = 1000

// prJob is one job of a PR history with its runs, newest first.
type prJob struct {
	Job  string   `json:"job"`
	Runs []jobRow `json:"runs"`
}

// prHistoryPage is the PR history page and /api/pr-history.
type prHistoryPage struct {
	Org  string  `json:"org"`
	Repo string  `json:"repo"`
	PR   int     `json:"pr"`
	Jobs []prJob `json:"jobs"`
}

func (s *Server) readPRHistory(r *http.Request) (*prHistoryPage, *httpError) {
	q := r.URL.Query()
	org, repo := q.Get("org"), q.Get("repo")
	pr, err := strconv.Atoi(q.Get("pr"))
	if org == "" || repo == "" || err != nil || pr <= 0 || strings.ContainsAny(org+repo, "/ ") {
		return nil, refuse(http.StatusBadRequest, "Bad pull request", "The PR history needs ?org=<org>&repo=<repo>&pr=<number>.")
	}
	p := &prHistoryPage{Org: org, Repo: repo, PR: pr, Jobs: []prJob{}}
	if !s.opts.ShowHidden && repoHidden(s.config(), org, repo) {
		return nil, refuse(http.StatusNotFound, "Pull request not found", "There are no runs for that pull request.")
	}
	l, err := s.listVisible(r.Context(), jobs.Filter{Org: org, Repo: repo, Pull: pr}, jobs.Page{Limit: maxPRRuns})
	if err != nil {
		s.log.WithError(err).WithField("org", org).WithField("repo", repo).WithField("pr", pr).Warn("List PR jobs failed")
		return nil, refuse(http.StatusServiceUnavailable, "Job store unavailable", "The job store cannot be read right now.")
	}
	byJob := map[string]int{}
	for i := range l.Items {
		pj := &l.Items[i]
		if pj.Spec.Type != prowapi.PresubmitJob && pj.Spec.Type != prowapi.BatchJob {
			continue
		}
		k, ok := byJob[pj.Spec.Job]
		if !ok {
			k = len(p.Jobs)
			byJob[pj.Spec.Job] = k
			p.Jobs = append(p.Jobs, prJob{Job: pj.Spec.Job})
		}
		p.Jobs[k].Runs = append(p.Jobs[k].Runs, s.rowOf(pj))
	}
	sort.SliceStable(p.Jobs, func(a, b int) bool { return p.Jobs[a].Job < p.Jobs[b].Job })
	return p, nil
}

func (s *Server) handlePRHistory(w http.ResponseWriter, r *http.Request) {
	p, herr := s.readPRHistory(r)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return
	}
	s.render(w, r, http.StatusOK, "prhistory", "PR history "+p.Org+"/"+p.Repo+"#"+itoa(p.PR), p)
}

func (s *Server) handleAPIPRHistory(w http.ResponseWriter, r *http.Request) {
	p, herr := s.readPRHistory(r)
	s.answer(w, r, p, herr)
}
