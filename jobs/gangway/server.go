package gangway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/ondemand"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// The headers the API front identifies a client by, as in Prow.
const (
	HeaderConsumerType   = "x-endpoint-api-consumer-type"
	HeaderConsumerNumber = "x-endpoint-api-consumer-number"
)

// MaxListed bounds the runs one list returns (newest first).
const MaxListed = 5000

// maxBody bounds a request body.
const maxBody = 1 << 20

// Store is what the API needs of the job store.
type Store interface {
	jobs.Creator
	jobs.Getter
	jobs.Lister
}

// Server serves the job API.
type Server struct {
	Jobs   Store
	Config config.Getter
	Logger *logrus.Entry
	// Now is the clock of new runs; nil means time.Now.
	Now func() time.Time
}

// Handler serves the API's paths; every call must come from an allowed
// client.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/executions", s.create)
	mux.HandleFunc("GET /v1/executions/{id}", s.get)
	mux.HandleFunc("GET /v1/executions", s.list)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		typ, number := r.Header.Get(HeaderConsumerType), r.Header.Get(HeaderConsumerNumber)
		gw := s.Config().Gangway
		client := gw.ClientFor(typ, number)
		if client == nil {
			s.log().WithFields(logrus.Fields{"consumer_type": typ, "consumer_number": number}).Info("Refused a client not in gangway.allowed_api_clients")
			writeError(w, codePermissionDenied, fmt.Sprintf("client (%s %q, %s %q) is not in gangway.allowed_api_clients",
				HeaderConsumerType, typ, HeaderConsumerNumber, number))
			return
		}
		mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, client)))
	})
}

type clientKey struct{}

func (s *Server) log() *logrus.Entry {
	if s.Logger == nil {
		return logrus.NewEntry(logrus.StandardLogger())
	}
	return s.Logger
}

// create starts a run of the configured job the request names.
func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	client, _ := r.Context().Value(clientKey{}).(*config.AllowedAPIClient)
	var req CreateJobExecutionRequest
	if err := decodeRequest(http.MaxBytesReader(w, r.Body, maxBody), &req); err != nil {
		writeError(w, codeInvalidArgument, err.Error())
		return
	}
	if err := req.Validate(); err != nil {
		writeError(w, codeInvalidArgument, err.Error())
		return
	}
	cfg := s.Config()
	pj, code, err := s.build(cfg, &req)
	if err != nil {
		writeError(w, code, err.Error())
		return
	}
	tenant := tenantOf(cfg, pj)
	log := s.log().WithFields(logrus.Fields{"job": req.JobName, "tenant": tenant})
	if !client.MayRun(tenant) {
		log.Info("Refused a job the client may not run")
		writeError(w, codePermissionDenied, fmt.Sprintf("client is not authorized to execute the given job (tenant %q)", tenant))
		return
	}
	created, err := s.Jobs.Create(r.Context(), pj)
	if err != nil {
		log.WithError(err).Warn("Could not create the job")
		writeError(w, codeInternal, fmt.Sprintf("create job %s: %v", req.JobName, err))
		return
	}
	log.WithField("name", created.Name).Info("Job created")
	exec := execution(created)
	exec.Refs, exec.PodSpecOptions = req.Refs, req.PodSpecOptions
	writeJSON(w, exec)
}

// build finds the job and makes its ProwJob; the code says what kind of
// error an error is.
func (s *Server) build(cfg *config.Config, req *CreateJobExecutionRequest) (*prowapi.ProwJob, int, error) {
	q := ondemand.Query{Name: req.JobName, Type: req.JobExecutionType.ProwJobType()}
	if req.Refs != nil {
		q.Repo, q.Branch = req.Refs.Org+"/"+req.Refs.Repo, req.Refs.BaseRef
	}
	job, err := ondemand.Find(cfg, q)
	var unknown *ondemand.UnknownJobError
	if errors.As(err, &unknown) {
		where := ""
		if unknown.Where != "" {
			where = " for " + unknown.Where
		}
		return nil, codeNotFound, fmt.Errorf("failed to find the %s %q%s in the configuration", unknown.Kind, req.JobName, where)
	}
	if err != nil {
		return nil, codeInvalidArgument, err
	}
	o := ondemand.Overrides{}
	if p := req.PodSpecOptions; p != nil {
		o = ondemand.Overrides{Labels: p.Labels, Annotations: p.Annotations, Env: p.Envs}
	}
	now := s.Now
	if now == nil {
		now = time.Now
	}
	pj, err := job.Build(jobs.Builder{Now: now, Namespace: cfg.ProwJobNamespace}, req.Refs.ProwJobRefs(), o)
	if err != nil {
		return nil, codeInvalidArgument, err
	}
	return pj, 0, nil
}

// tenantOf is the job's tenant: its prowjob_defaults', else the one the
// configuration gives its repository and cluster.
func tenantOf(cfg *config.Config, pj *prowapi.ProwJob) string {
	if d := pj.Spec.ProwJobDefault; d != nil && d.TenantID != "" {
		return d.TenantID
	}
	repo := ""
	if r := pj.Spec.Refs; r != nil {
		repo = r.Org + "/" + r.Repo
	}
	return cfg.ProwJobDefaultFor(repo, jobs.ClusterOf(pj), nil).TenantID
}

// get reports one run.
func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	pj, err := s.Jobs.Get(r.Context(), id)
	switch {
	case errors.Is(err, jobs.ErrNotFound):
		writeError(w, codeNotFound, fmt.Sprintf("no job execution %q", id))
		return
	case err != nil:
		writeError(w, codeInternal, fmt.Sprintf("read job execution %s: %v", id, err))
		return
	}
	writeJSON(w, execution(pj))
}

// list reports the runs of a job, or all, newest first, optionally of
// one status.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status, err := ParseStatus(q.Get("status"))
	if err != nil {
		writeError(w, codeInvalidArgument, "status: "+err.Error())
		return
	}
	f := jobs.Filter{Job: q.Get("job_name")}
	if st := status.State(); st != "" {
		f.States = []prowapi.ProwJobState{st}
	}
	out := JobExecutions{}
	page := jobs.Page{Limit: 500}
	for len(out.JobExecution) < MaxListed {
		l, err := s.Jobs.List(r.Context(), f, page)
		if err != nil {
			writeError(w, codeInternal, fmt.Sprintf("list job executions: %v", err))
			return
		}
		for i := range l.Items {
			if len(out.JobExecution) < MaxListed {
				out.JobExecution = append(out.JobExecution, execution(&l.Items[i]))
			}
		}
		if l.Continue == "" {
			break
		}
		page.Continue = l.Continue
	}
	writeJSON(w, out)
}

// execution is pj as a JobExecution.
func execution(pj *prowapi.ProwJob) *JobExecution {
	e := &JobExecution{ID: pj.Name, JobName: pj.Spec.Job, JobType: TypeOf(pj.Spec.Type), JobStatus: StatusOf(pj.Status.State),
		Refs: refsOf(pj.Spec.Refs), JobURL: pj.Status.URL}
	if t := pj.Status.StartTime; !t.IsZero() {
		ct := t.UTC()
		e.CreateTime = &ct
	}
	if t := pj.Status.CompletionTime; t != nil && !t.IsZero() {
		ct := t.UTC()
		e.CompletionTime = &ct
	}
	if a, err := jobs.ArtifactsOf(pj); err == nil {
		e.GCSPath = a.GCSPath()
	}
	return e
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v) // the client went away
}
