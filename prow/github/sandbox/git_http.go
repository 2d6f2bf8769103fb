package sandbox

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"strings"

	"github.com/prowbot/prow/prow/mapkeys"
)

// maxPushBytes bounds a buffered git request body.
const maxPushBytes = 512 << 20

// gitHandler serves the repositories with git's own http-backend: clone
// and fetch for anyone who may see the repository, and, with
// Options.GitPush, push for users with write access (basic auth, the
// password being their token). A push is followed by the webhooks of the
// branches it moved.
func (s *Server) gitHandler() http.Handler {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		gitPath = "git" // New checked git is there; this keeps the handler total
	}
	backend := &cgi.Handler{Path: gitPath, Args: []string{"http-backend"},
		Env: []string{"GIT_PROJECT_ROOT=" + s.opts.GitDir, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rp, login, push, ok := s.gitAccess(w, r)
		if !ok {
			return
		}
		if err := bufferBody(r); err != nil {
			http.Error(w, "Cannot read the request.", http.StatusBadRequest)
			return
		}
		backend.ServeHTTP(w, r)
		if push && r.Method == http.MethodPost {
			s.syncBranches(r, rp, login)
		}
	})
}

// gitAccess decides whether a git request may go on: a repository the
// user may see, and for a push write access with GitPush set. On false the
// answer was written.
func (s *Server) gitAccess(w http.ResponseWriter, r *http.Request) (rp *repo, login string, push, ok bool) {
	segs := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 3)
	owner, name := segs[0], strings.TrimSuffix(segs[1], ".git")
	push = strings.HasSuffix(r.URL.Path, "/git-receive-pack") || r.URL.Query().Get("service") == "git-receive-pack"
	u := s.basicUser(r)
	login = loginOf(u)
	s.mu.Lock()
	rp = s.w.repo(owner, name)
	visible, writable := rp != nil && s.w.canSee(rp, login), rp != nil && s.w.can(rp, login, "write")
	s.mu.Unlock()
	switch {
	case rp == nil:
		http.Error(w, "Repository not found.", http.StatusNotFound)
	case (push || !visible) && u == nil:
		w.Header().Set("WWW-Authenticate", `Basic realm="sandbox GitHub"`)
		http.Error(w, "Authentication required: use your token as the password.", http.StatusUnauthorized)
	case !visible:
		http.Error(w, "Repository not found.", http.StatusNotFound)
	case push && (!s.opts.GitPush || !writable):
		http.Error(w, "Permission to push denied.", http.StatusForbidden)
	default:
		return rp, login, push, true
	}
	return nil, "", false, false
}

// bufferBody reads a chunked request body into memory: CGI takes none.
func bufferBody(r *http.Request) error {
	if r.ContentLength >= 0 || r.Body == nil {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxPushBytes))
	if err != nil {
		return err
	}
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(data)), int64(len(data))
	r.TransferEncoding = nil
	return nil
}

func loginOf(u *user) string {
	if u == nil {
		return ""
	}
	return u.Login
}

// basicUser is the user whose token is the basic-auth password (or, for
// tools that put it there, the user name).
func (s *Server) basicUser(r *http.Request) *user {
	name, pass, ok := r.BasicAuth()
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.w.byToken[pass]; u != nil {
		return u
	}
	return s.w.byToken[name]
}

// syncBranches brings the world up to date with the branches a git push
// moved, sending their webhooks.
func (s *Server) syncBranches(r *http.Request, rp *repo, login string) {
	err := s.apply(r.Context(), r, login, func(t *tx) error {
		refs, err := rp.Git.refs(t.ctx, "refs/heads/")
		if err != nil {
			return err
		}
		now := map[string]string{}
		for ref, sha := range refs {
			now[strings.TrimPrefix(ref, "refs/heads/")] = sha
		}
		for _, b := range mapkeys.Sorted(rp.Branches) {
			if _, ok := now[b]; !ok {
				if err := t.branchMoved(rp, b, rp.Branches[b], zeroSHA, false); err != nil {
					return err
				}
			}
		}
		for _, b := range mapkeys.Sorted(now) {
			before, ok := rp.Branches[b]
			if !ok {
				before = zeroSHA
			}
			if before == now[b] {
				continue
			}
			forced := before != zeroSHA && !rp.Git.isAncestor(t.ctx, before, now[b])
			if err := t.branchMoved(rp, b, before, now[b], forced); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.log.WithError(err).WithField("org", rp.Owner).WithField("repo", rp.Name).Error("Cannot record a git push")
	}
}
