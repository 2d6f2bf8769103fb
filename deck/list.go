package deck

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// maxContinue bounds the continue token accepted.
const maxContinue = 512

// listQuery is the job list's filters, as the query string names them
// (Prow's names: job takes a "*" glob, author any case, pull a PR
// number; pr is accepted for pull).
type listQuery struct {
	Repo, Job, Type, State, Author, PR, Cluster string
	Continue                                    string
}

// jobStates and jobTypes are what the filters offer.
var (
	jobStates = []string{"triggered", "pending", "success", "failure", "aborted", "error", "scheduling"}
	jobTypes  = []string{"presubmit", "postsubmit", "periodic", "batch"}
)

// parseListQuery reads and checks the filters.
func parseListQuery(q url.Values) (listQuery, jobs.Filter, error) {
	lq := listQuery{Repo: strings.TrimSpace(q.Get("repo")), Job: strings.TrimSpace(q.Get("job")), Type: q.Get("type"),
		State: q.Get("state"), Author: strings.TrimSpace(q.Get("author")), PR: strings.TrimSpace(q.Get("pull")), Continue: q.Get("continue"),
		Cluster: strings.TrimSpace(q.Get("cluster"))}
	if lq.PR == "" {
		lq.PR = strings.TrimSpace(q.Get("pr")) // this deck's earlier name for pull
	}
	var f jobs.Filter
	if lq.Repo != "" {
		org, repo, _ := strings.Cut(lq.Repo, "/")
		if org == "" || strings.Contains(repo, "/") {
			return lq, f, fmt.Errorf("repo %q is not org or org/repo", lq.Repo)
		}
		f.Org, f.Repo = org, repo
	}
	f.Job, f.Author, f.Cluster = lq.Job, lq.Author, lq.Cluster
	if lq.Type != "" {
		if !slices.Contains(jobTypes, lq.Type) {
			return lq, f, fmt.Errorf("type %q is not one of %s", lq.Type, strings.Join(jobTypes, ", "))
		}
		f.Type = prowapi.ProwJobType(lq.Type)
	}
	if lq.State != "" {
		if !slices.Contains(jobStates, lq.State) {
			return lq, f, fmt.Errorf("state %q is not one of %s", lq.State, strings.Join(jobStates, ", "))
		}
		f.States = []prowapi.ProwJobState{prowapi.ProwJobState(lq.State)}
	}
	if lq.PR != "" {
		n, err := strconv.Atoi(lq.PR)
		if err != nil || n <= 0 {
			return lq, f, fmt.Errorf("pull %q is not a pull request number", lq.PR)
		}
		f.Pull = n
	}
	if len(lq.Continue) > maxContinue {
		return lq, f, errors.New("the continue token is too long")
	}
	return lq, f, nil
}

// query is the filters without the continue token, for links.
func (lq listQuery) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"repo": lq.Repo, "job": lq.Job, "type": lq.Type, "state": lq.State, "author": lq.Author, "pull": lq.PR, "cluster": lq.Cluster} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// APIQuery is the filters as a query string, for the refresh script.
func (lq listQuery) APIQuery() string { return lq.query().Encode() }

// jobRow is one job as the list and the API show it.
type jobRow struct {
	Name        string    `json:"name"`
	Job         string    `json:"job"`
	Type        string    `json:"type"`
	State       string    `json:"state"`
	Description string    `json:"description,omitempty"`
	Repo        string    `json:"repo,omitempty"`
	BaseRef     string    `json:"base_ref,omitempty"`
	Pulls       []pullRow `json:"pulls,omitempty"`
	BuildID     string    `json:"build_id,omitempty"`
	Started     int64     `json:"started,omitempty"`
	Finished    int64     `json:"finished,omitempty"`
	Duration    string    `json:"duration,omitempty"`
	// Revision is the commit the job tests, as every page says it;
	// RevisionWhat says which commit that is.
	Revision     string `json:"revision,omitempty"`
	RevisionWhat string `json:"revision_what,omitempty"`
	Cluster      string `json:"cluster"`
	URL          string `json:"url"`
	// YAML is the job's ProwJob at Prow's /prowjob URL.
	YAML string `json:"yaml_url"`
	// Final says the job has finished, so it may be rerun.
	Final bool `json:"final"`
}

type pullRow struct {
	Number int    `json:"number"`
	Author string `json:"author,omitempty"`
	SHA    string `json:"sha,omitempty"`
	Link   string `json:"link,omitempty"`
}

// StartTime and FinishTime are for templates.
func (r jobRow) StartTime() time.Time  { return timeOf(r.Started) }
func (r jobRow) FinishTime() time.Time { return timeOf(r.Finished) }

func timeOf(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

func (s *Server) rowOf(pj *prowapi.ProwJob) jobRow {
	r := jobRow{Name: pj.Name, Job: pj.Spec.Job, Type: string(pj.Spec.Type), State: string(pj.Status.State),
		Description: pj.Status.Description, BuildID: pj.Status.BuildID, Started: unixOrZero(pj.Status.StartTime.Time), URL: viewURL(pj)}
	if ref := pj.Spec.Refs; ref != nil {
		r.Repo, r.BaseRef = ref.Org+"/"+ref.Repo, ref.BaseRef
		for _, p := range ref.Pulls {
			r.Pulls = append(r.Pulls, pullRow{Number: p.Number, Author: p.Author, SHA: p.SHA, Link: p.Link})
		}
	}
	if c := pj.Status.CompletionTime; c != nil {
		r.Finished = c.Unix()
	}
	r.Duration = runTook(pj, noMetadata)
	rev := revisionOf(pj, noMetadata)
	r.Revision, r.RevisionWhat = rev.SHA, rev.What
	r.Cluster, r.Final = jobs.ClusterOf(pj), pj.Status.State.IsFinal()
	r.YAML = "/prowjob?" + url.Values{"prowjob": {pj.Name}}.Encode()
	return r
}

// viewURL is the deck page of a job: its storage directory when it has
// one, else /view/prowjob/<name>.
func viewURL(pj *prowapi.ProwJob) string {
	if a, err := jobs.ArtifactsOf(pj); err == nil {
		return "/view/" + a.URL("")[1:]
	}
	return "/view/prowjob/" + url.PathEscape(pj.Name)
}

// listPage is the list's data.
type listPage struct {
	Query    listQuery
	Rows     []jobRow
	Next     string
	First    string
	Paged    bool
	States   []string
	Types    []string
	Interval int
	// CanRerun says deck can rerun jobs; RevisionNote what the revision
	// column shows.
	CanRerun     bool
	RevisionNote string
}

// jobsAnswer is /api/jobs.
type jobsAnswer struct {
	Jobs     []jobRow `json:"jobs"`
	Continue string   `json:"continue,omitempty"`
}

func (s *Server) listRows(r *http.Request) (listQuery, []jobRow, string, *httpError) {
	lq, f, err := parseListQuery(r.URL.Query())
	if err != nil {
		return lq, nil, "", refuse(http.StatusBadRequest, "Bad filter", err.Error())
	}
	l, err := s.listVisible(r.Context(), f, jobs.Page{Limit: s.opts.PageSize, Continue: lq.Continue})
	if err != nil {
		s.log.WithError(err).Warn("List jobs failed")
		if lq.Continue != "" {
			return lq, nil, "", refuse(http.StatusBadRequest, "Cannot list jobs", "The job store refused the continue token; start again from the first page.")
		}
		return lq, nil, "", refuse(http.StatusServiceUnavailable, "Job store unavailable", "The job store cannot be read right now.")
	}
	rows := make([]jobRow, len(l.Items))
	for i := range l.Items {
		rows[i] = s.rowOf(&l.Items[i])
	}
	return lq, rows, l.Continue, nil
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	lq, rows, next, herr := s.listRows(r)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return
	}
	p := listPage{Query: lq, Rows: rows, States: jobStates, Types: jobTypes, Paged: lq.Continue != "", Interval: max(1, int(s.opts.RefreshInterval/time.Second)),
		CanRerun: s.opts.Rerun != nil, RevisionNote: "a presubmit's pull request head commit, else the base commit (the same while the job runs and after)"}
	base := lq.query()
	p.First = "/?" + base.Encode()
	if next != "" {
		base.Set("continue", next)
		p.Next = "/?" + base.Encode()
	}
	s.render(w, r, http.StatusOK, "list", "Jobs", p)
}

func (s *Server) handleAPIJobs(w http.ResponseWriter, r *http.Request) {
	_, rows, next, herr := s.listRows(r)
	s.answer(w, r, jobsAnswer{Jobs: rows, Continue: next}, herr)
}

func (s *Server) handleAPIJob(w http.ResponseWriter, r *http.Request) {
	pj, herr := s.visibleJob(r, r.PathValue("name"))
	s.answer(w, r, pj, herr)
}

// visibleJob gets a job by name, as not found when it is hidden.
func (s *Server) visibleJob(r *http.Request, name string) (*prowapi.ProwJob, *httpError) {
	notFound := refuse(http.StatusNotFound, "Job not found", fmt.Sprintf("There is no job %q.", name))
	if name == "" || len(name) > 253 {
		return nil, notFound
	}
	pj, err := s.opts.Getter.Get(r.Context(), name)
	if errors.Is(err, jobs.ErrNotFound) {
		return nil, notFound
	}
	if err != nil {
		s.log.WithError(err).WithField("name", name).Warn("Get job failed")
		return nil, refuse(http.StatusServiceUnavailable, "Job store unavailable", "The job store cannot be read right now.")
	}
	if s.hidden(s.rules(), pj) {
		return nil, notFound
	}
	return pj, nil
}
