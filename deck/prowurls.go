package deck

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"regexp"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// prowRoutes adds the URLs Prow's deck answers at and that people's
// bookmarks, scripts and tools use: /prowjob, /prowjobs.js, /log,
// GET /rerun, /plugin, /plugin-help.js and /config. The machine-readable
// ones answer errors in plain text, as Prow does, so a script sees the
// message and not an HTML page.
func (s *Server) prowRoutes(mux *http.ServeMux) {
	s.addPage("plugin")
	mux.HandleFunc("GET /prowjob", s.handleProwJobYAML)
	mux.HandleFunc("GET /prowjobs.js", s.handleProwJobsJS)
	mux.HandleFunc("GET /log", s.handleLog)
	mux.HandleFunc("GET /rerun", s.handleRerunYAML)
	mux.HandleFunc("GET /plugin", s.handlePlugin)
	mux.HandleFunc("GET /plugin-help.js", s.handlePluginHelpJS)
	mux.HandleFunc("GET /config", (&configPage{s: s}).serve)
}

// addPage parses one more page template onto the layout. The templates
// are embedded, so a parse error is a bug the tests catch.
func (s *Server) addPage(name string) {
	t := template.Must(template.New("layout.html").Funcs(funcs()).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	s.pages.byName[name] = t
}

// textError answers a machine-readable URL's error: the status and one
// line of plain text.
func textError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, msg, status)
}

// failText answers an httpError in plain text.
func failText(w http.ResponseWriter, herr *httpError) {
	textError(w, herr.status, herr.Error())
}

// writeYAML answers v as YAML (sigs.k8s.io/yaml: the JSON field names),
// as plain text so that a browser shows it.
func writeYAML(w http.ResponseWriter, v any) {
	data, err := yaml.Marshal(v)
	if err != nil {
		textError(w, http.StatusInternalServerError, "internal error encoding YAML")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(data)
}

// asResource is pj as the API server returns it: with its kind and API
// version, so that `kubectl create -f` takes it, and without managed
// fields.
func asResource(pj *prowapi.ProwJob) *prowapi.ProwJob {
	out := pj.DeepCopy()
	out.APIVersion, out.Kind = prowapi.SchemeGroupVersion.String(), "ProwJob"
	out.ManagedFields = nil
	return out
}

// queryJob reads ?prowjob=NAME and gets that job, unless it is hidden.
func (s *Server) queryJob(r *http.Request) (*prowapi.ProwJob, *httpError) {
	name := r.URL.Query().Get("prowjob")
	if name == "" {
		return nil, refuse(http.StatusBadRequest, "Missing prowjob", "the prowjob query parameter names no job: ask for "+r.URL.Path+"?prowjob=NAME")
	}
	return s.visibleJob(r, name)
}

// handleProwJobYAML is GET /prowjob?prowjob=NAME: the job's record as
// YAML.
func (s *Server) handleProwJobYAML(w http.ResponseWriter, r *http.Request) {
	pj, herr := s.queryJob(r)
	if herr != nil {
		failText(w, herr)
		return
	}
	writeYAML(w, asResource(pj))
}

// handleRerunYAML is GET /rerun?prowjob=NAME: the job a rerun would
// create, for `kubectl create -f -`. Nothing is created; POST /rerun
// does that.
func (s *Server) handleRerunYAML(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("prowjob") == "" {
		// Without a job, a GET is a mistaken rerun (a link, an image).
		w.Header().Set("Allow", http.MethodPost)
		s.fail(w, r, http.StatusMethodNotAllowed, "Method not allowed",
			"/rerun reruns a job with a form sent with POST; GET /rerun?prowjob=NAME shows the job a rerun would create.")
		return
	}
	pj, herr := s.queryJob(r)
	if herr != nil {
		failText(w, herr)
		return
	}
	writeYAML(w, asResource(jobs.NextRun(pj, s.user(r).Login, s.opts.Now())))
}

// maxRunScan bounds the records /log looks through for a build ID.
const maxRunScan = 2000

// handleLog is GET /log?job=NAME&id=BUILD_ID: the build log of one run
// as plain text, live while the job runs (when deck has live logs),
// otherwise build-log.txt from its artifacts.
func (s *Server) handleLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	job, id := q.Get("job"), q.Get("id")
	if job == "" || id == "" {
		textError(w, http.StatusBadRequest, "Missing job or id: ask for /log?job=NAME&id=BUILD_ID")
		return
	}
	if strings.Contains(job, "*") || len(job) > 253 || len(id) > 253 {
		textError(w, http.StatusBadRequest, "Bad job or id: job must be one job's name (no *) and id one build ID")
		return
	}
	pj, herr := s.findRun(r.Context(), job, id)
	if herr != nil {
		failText(w, herr)
		return
	}
	if !pj.Status.State.IsFinal() && s.opts.LiveLog != nil {
		if rc, err := s.opts.LiveLog(r.Context(), pj); err == nil {
			defer rc.Close()
			textStream(w, rc)
			return
		}
	}
	s.storedLog(w, r, pj)
}

// logNotFound is the answer for a run without a log to show.
func logNotFound(job, id string) *httpError {
	return refuse(http.StatusNotFound, "Log not found", fmt.Sprintf("there is no log of job %s build %s", job, id))
}

// findRun finds the record of job's run id among the newest runs of
// the job, as not found when it is hidden.
func (s *Server) findRun(ctx context.Context, job, id string) (*prowapi.ProwJob, *httpError) {
	page := jobs.Page{Limit: 200}
	for scanned := 0; scanned < maxRunScan; {
		l, err := s.opts.Lister.List(ctx, jobs.Filter{Job: job}, page)
		if err != nil {
			s.log.WithError(err).WithField("job", job).Warn("List jobs failed")
			return nil, refuse(http.StatusServiceUnavailable, "Job store unavailable", "the job store cannot be read right now")
		}
		for i := range l.Items {
			if pj := &l.Items[i]; pj.Status.BuildID == id {
				if s.hidden(s.rules(), pj) {
					return nil, logNotFound(job, id)
				}
				return pj, nil
			}
		}
		scanned += len(l.Items)
		if l.Continue == "" || len(l.Items) == 0 {
			break
		}
		page.Continue = l.Continue
	}
	return nil, logNotFound(job, id)
}

// storedLog streams build-log.txt from the run's artifacts, checked
// like every other file deck serves.
func (s *Server) storedLog(w http.ResponseWriter, r *http.Request, pj *prowapi.ProwJob) {
	notFound := logNotFound(pj.Spec.Job, pj.Status.BuildID)
	a, err := jobs.ArtifactsOf(pj)
	if err != nil || s.opts.Storage == nil {
		failText(w, notFound)
		return
	}
	t := artifactsTarget(a)
	name := t.Dir + "/" + storage.BuildLogFile
	b, herr := s.visibleFile(r, t, name)
	if herr != nil {
		if herr.status == http.StatusNotFound {
			herr = notFound
		}
		failText(w, herr)
		return
	}
	rc, err := b.ReadRange(r.Context(), name, 0, -1)
	switch {
	case errors.Is(err, storage.ErrNotExist):
		failText(w, notFound)
		return
	case err != nil:
		s.log.WithError(err).WithField("job", pj.Spec.Job).WithField("build", pj.Status.BuildID).Warn("Read build log failed")
		textError(w, http.StatusServiceUnavailable, "Storage unavailable: the build log cannot be read right now")
		return
	}
	defer rc.Close()
	textStream(w, rc)
}

// textStream copies a log to the answer as plain text, without holding
// it in memory.
func textStream(w http.ResponseWriter, rc io.Reader) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.Copy(w, rc)
}

// jsIdent is a JavaScript identifier of ASCII letters, digits, _ and $.
var jsIdent = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]{0,99}$`)

// jsReserved are the words that cannot name a variable.
var jsReserved = map[string]bool{
	"await": true, "break": true, "case": true, "catch": true, "class": true, "const": true, "continue": true,
	"debugger": true, "default": true, "delete": true, "do": true, "else": true, "enum": true, "export": true,
	"extends": true, "false": true, "finally": true, "for": true, "function": true, "if": true, "implements": true,
	"import": true, "in": true, "instanceof": true, "interface": true, "let": true, "new": true, "null": true,
	"package": true, "private": true, "protected": true, "public": true, "return": true, "static": true,
	"super": true, "switch": true, "this": true, "throw": true, "true": true, "try": true, "typeof": true,
	"var": true, "void": true, "while": true, "with": true, "yield": true,
}

// jsVar reads ?var=: "" for plain JSON, else a variable name checked to
// be a JavaScript identifier, so that `var NAME = {...};` is a script
// that only sets it.
func jsVar(r *http.Request) (string, *httpError) {
	v := r.URL.Query().Get("var")
	if v == "" {
		return "", nil
	}
	if !jsIdent.MatchString(v) || jsReserved[v] {
		return "", refuse(http.StatusBadRequest, "Bad var",
			fmt.Sprintf("var %q is not a JavaScript identifier (a letter, _ or $, then letters, digits, _ or $; at most 100; not a reserved word)", v))
	}
	return v, nil
}

// jsHeaders set the content type of a .js answer: JavaScript with var=,
// JSON without.
func jsHeaders(w http.ResponseWriter, v string) {
	if v != "" {
		w.Header().Set("Content-Type", "application/javascript; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	w.Header().Set("Cache-Control", "no-store")
}
