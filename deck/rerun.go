package deck

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/deck/auth"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// donePage is the answer to a rerun or abort.
type donePage struct {
	Message string
	Link    string
	Label   string
}

// action checks a rerun or abort form: a logged-in user, the session's
// CSRF token, and the job's rerun_auth_config naming the user.
func (s *Server) action(w http.ResponseWriter, r *http.Request, verb string) (*requestUser, string, bool) {
	u := s.user(r)
	if u.Login == "" {
		s.fail(w, r, http.StatusUnauthorized, "Log in first", "You must log in with GitHub to "+verb+" jobs.")
		return nil, "", false
	}
	if s.codec == nil || !s.codec.CheckCSRF(u.sessionID, r.PostFormValue("csrf")) {
		s.fail(w, r, http.StatusForbidden, "Bad form token", "The form's CSRF token is missing or wrong; reload the page and try again.")
		return nil, "", false
	}
	if origin := r.Header.Get("Origin"); origin != "" && origin != "null" {
		if o, err := url.Parse(origin); err != nil || o.Host != r.Host {
			s.fail(w, r, http.StatusForbidden, "Cross-site request", "The form was sent from another site.")
			return nil, "", false
		}
	}
	return &u, r.PostFormValue("job"), true
}

// allowedJob checks that this deck can do the action at all (enabled),
// checks its form (see action), finds the job it names, and checks that
// the job's rerun_auth_config names the user. The returned logger
// carries the job, build and user.
func (s *Server) allowedJob(w http.ResponseWriter, r *http.Request, verb string, enabled bool) (*requestUser, *prowapi.ProwJob, *logrus.Entry, bool) {
	if !enabled {
		s.fail(w, r, http.StatusNotFound, strings.ToUpper(verb[:1])+verb[1:]+" disabled", "This deck cannot "+verb+" jobs.")
		return nil, nil, nil, false
	}
	u, name, ok := s.action(w, r, verb)
	if !ok {
		return nil, nil, nil, false
	}
	pj, herr := s.visibleJob(r, name)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return nil, nil, nil, false
	}
	log := s.log.WithField("job", pj.Spec.Job).WithField("build", pj.Status.BuildID).WithField("user", u.Login)
	if !auth.Allowed(auth.RerunAuthFor(pj, &s.config().Deck), u.User) {
		log.WithField("action", verb).Info("Action refused")
		s.fail(w, r, http.StatusForbidden, "Not allowed to "+verb,
			fmt.Sprintf("%s may not %s %s: the job's rerun_auth_config does not name this GitHub user, an org or team of theirs.", u.Login, verb, pj.Spec.Job))
		return nil, nil, nil, false
	}
	return u, pj, log, true
}

func (s *Server) handleRerun(w http.ResponseWriter, r *http.Request) {
	u, pj, log, ok := s.allowedJob(w, r, "rerun", s.opts.Rerun != nil)
	if !ok {
		return
	}
	created, err := s.opts.Rerun(r.Context(), pj, u.Login)
	if err != nil {
		log.WithError(err).Warn("Rerun failed")
		s.fail(w, r, http.StatusServiceUnavailable, "Rerun failed", "The job could not be started: "+err.Error())
		return
	}
	log.Info("Rerun started")
	s.render(w, r, http.StatusOK, "done", "Rerun started", donePage{
		Message: fmt.Sprintf("A new run of %s was started by %s.", pj.Spec.Job, u.Login),
		Link:    "/view/prowjob/" + url.PathEscape(created.Name), Label: "Follow the new run",
	})
}

func (s *Server) handleAbort(w http.ResponseWriter, r *http.Request) {
	u, pj, log, ok := s.allowedJob(w, r, "abort", s.opts.Abort != nil)
	if !ok {
		return
	}
	if pj.Status.State.IsFinal() {
		s.fail(w, r, http.StatusConflict, "Job already finished", "The job finished as "+string(pj.Status.State)+"; there is nothing to abort.")
		return
	}
	if err := s.opts.Abort(r.Context(), pj, u.Login); err != nil {
		log.WithError(err).Warn("Abort failed")
		s.fail(w, r, http.StatusServiceUnavailable, "Abort failed", "The job could not be aborted: "+err.Error())
		return
	}
	log.Info("Job aborted")
	s.render(w, r, http.StatusOK, "done", "Job aborted", donePage{
		Message: fmt.Sprintf("%s was aborted by %s.", pj.Spec.Job, u.Login),
		Link:    "/view/prowjob/" + url.PathEscape(pj.Name), Label: "Back to the job",
	})
}
