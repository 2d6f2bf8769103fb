package deck

import (
	"net/http"

	"github.com/prowbot/prow/deck/auth"
)

// requestUser is who made a request.
type requestUser struct {
	auth.User
	// sessionID keys the CSRF token.
	sessionID string
	// session is the login's session; zero for a user named by
	// Options.Authenticate.
	session auth.Session
}

// user returns the request's user: from Options.Authenticate when set,
// else from a valid session cookie. The zero value is nobody.
func (s *Server) user(r *http.Request) requestUser {
	if s.opts.Authenticate != nil {
		if login, ok := s.opts.Authenticate(r); ok && login != "" {
			return requestUser{User: auth.User{Login: login}, sessionID: "user:" + login}
		}
		return requestUser{}
	}
	if s.codec == nil {
		return requestUser{}
	}
	sess, ok := s.codec.SessionOf(r, s.opts.Now())
	if !ok {
		return requestUser{}
	}
	return requestUser{User: auth.User{Login: sess.Login, Orgs: sess.Orgs, Teams: sess.Teams, TeamIDs: sess.TeamIDs}, sessionID: sess.ID, session: sess}
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if s.oauth == nil {
		s.fail(w, r, http.StatusNotFound, "Login not configured", "This deck has no GitHub OAuth app configured.")
		return
	}
	s.oauth.Login(w, r)
}

func (s *Server) handleLoginCallback(w http.ResponseWriter, r *http.Request) {
	if s.oauth == nil {
		s.fail(w, r, http.StatusNotFound, "Login not configured", "This deck has no GitHub OAuth app configured.")
		return
	}
	login, dest, err := s.oauth.Callback(w, r)
	if err != nil {
		s.log.WithError(err).Info("GitHub login failed")
		s.fail(w, r, http.StatusForbidden, "Login failed", err.Error())
		return
	}
	s.log.WithField("user", login).Info("User logged in")
	http.Redirect(w, r, dest, http.StatusFound)
}

// handleLogout ends the session server-side, so that a copy of the
// cookie stops working too, and removes the cookie.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	u := s.user(r)
	if u.Login != "" && (s.codec == nil || !s.codec.CheckCSRF(u.sessionID, r.PostFormValue("csrf"))) {
		s.fail(w, r, http.StatusForbidden, "Bad form token", "The form's CSRF token is missing or wrong; reload the page and try again.")
		return
	}
	if u.session.ID != "" {
		if err := s.codec.Revoke(u.session); err != nil {
			s.log.WithError(err).WithField("user", u.Login).Error("Revoke session failed")
			s.fail(w, r, http.StatusServiceUnavailable, "Logout failed", "The session could not be ended; try again.")
			return
		}
		s.log.WithField("user", u.Login).Info("User logged out")
	}
	if s.codec != nil {
		s.codec.ClearSession(w, r)
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
