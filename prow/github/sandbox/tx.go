package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// links are the base URLs objects are rendered with: the web (and git)
// URL and the API's.
type links struct {
	web, api string
}

// tx is one change or read of the world, made while the Server's mutex is
// held: the acting user, the URLs to render with, and the webhooks the
// change causes, queued in order when it ends.
type tx struct {
	s      *Server
	w      *world
	ctx    context.Context
	actor  *user // nil when the sandbox itself acts
	links  links
	events []outgoing
}

// outgoing is a webhook a change causes.
type outgoing struct {
	event   string
	action  string
	payload obj
}

func (t *tx) login() string {
	if t.actor == nil {
		return ""
	}
	return t.actor.Login
}

// do runs fn as the request's user with the world locked, queues the
// webhooks it caused and writes its answer: the status and body, or the
// error as GitHub's error JSON. A nil body writes no body.
func (s *Server) do(w http.ResponseWriter, r *http.Request, fn func(t *tx) (int, any, error)) {
	s.mu.Lock()
	t := &tx{s: s, w: s.w, ctx: context.WithoutCancel(r.Context()), links: s.linksFor(r), actor: s.w.user(r.Header.Get(actorHeader))}
	code, body, err := fn(t)
	s.hooks.enqueue(t.events)
	s.mu.Unlock()
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		writeError(w, ae)
	case err != nil:
		s.log.WithError(err).WithField("path", r.URL.Path).Error("Sandbox request failed")
		writeError(w, &apiError{Status: http.StatusInternalServerError, Message: err.Error()})
	case body == nil:
		w.WriteHeader(code)
	default:
		writeJSON(w, code, body)
	}
}

// apply runs fn as login ("" for the sandbox itself) with the world
// locked and queues the webhooks it caused; it is how Go callers and the
// /_sandbox/ API change the world. r, when set, gives the URLs.
func (s *Server) apply(ctx context.Context, r *http.Request, login string, fn func(t *tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &tx{s: s, w: s.w, ctx: context.WithoutCancel(ctx), links: s.linksFor(r), actor: s.w.user(login)}
	if login != "" && t.actor == nil {
		return fmt.Errorf("user %s: %w", login, errNotFound())
	}
	err := fn(t)
	s.hooks.enqueue(t.events)
	return err
}

// repo finds the request's repository, visible to the actor.
func (t *tx) repo(r *http.Request) (*repo, error) {
	rp := t.w.repo(r.PathValue("owner"), r.PathValue("repo"))
	if rp == nil || !t.w.canSee(rp, t.login()) {
		return nil, errNotFound()
	}
	return rp, nil
}

// issue finds the request's issue or pull request ({number}).
func (t *tx) issue(r *http.Request) (*issue, error) {
	rp, err := t.repo(r)
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || rp.Issues[n] == nil {
		return nil, errNotFound()
	}
	return rp.Issues[n], nil
}

// pull finds the request's pull request.
func (t *tx) pull(r *http.Request) (*issue, error) {
	i, err := t.issue(r)
	if err != nil {
		return nil, err
	}
	if i.PR == nil {
		return nil, errNotFound()
	}
	return i, nil
}

// need refuses actors with less than permission want on rp.
func (t *tx) need(rp *repo, want string) error {
	if t.actor == nil || t.w.can(rp, t.login(), want) {
		return nil
	}
	verb := map[string]string{"triage": "triage", "write": "push", "maintain": "maintain", "admin": "admin"}[want]
	return errForbidden(fmt.Sprintf("Must have %s access to repository %s.", verb, rp.fullName()))
}

// canManage says whether the actor may triage rp.
func (t *tx) canManage(rp *repo) bool { return t.need(rp, "triage") == nil }

// resolve turns a ref (SHA, branch, tag or full ref) into a commit SHA.
func (t *tx) resolve(rp *repo, ref string) (string, bool) {
	ref = strings.TrimPrefix(ref, "refs/heads/")
	if sha, ok := rp.Branches[ref]; ok {
		return sha, true
	}
	if rp.Git.commitExists(t.ctx, ref) {
		return ref, true
	}
	if strings.HasPrefix(ref, "-") {
		return "", false
	}
	refs, err := rp.Git.refs(t.ctx, "refs/")
	if err != nil {
		return "", false
	}
	for _, full := range []string{ref, "refs/" + ref, "refs/tags/" + ref} {
		if sha, ok := refs[full]; ok {
			return sha, true
		}
	}
	return "", false
}

// queryInt reads a numeric query parameter, def when absent or bad.
func queryInt(r *http.Request, name string, def int) int {
	n, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil {
		return def
	}
	return n
}

// doFound is do for a handler of one thing the request names: find looks
// it up (a miss is the handler's answer) and fn gets it.
func doFound[T any](s *Server, w http.ResponseWriter, r *http.Request, find func(t *tx, r *http.Request) (T, error), fn func(t *tx, v T) (int, any, error)) {
	s.do(w, r, func(t *tx) (int, any, error) {
		v, err := find(t, r)
		if err != nil {
			return 0, nil, err
		}
		return fn(t, v)
	})
}

// doRepo is do for a handler of the request's repository.
func (s *Server) doRepo(w http.ResponseWriter, r *http.Request, fn func(t *tx, rp *repo) (int, any, error)) {
	doFound(s, w, r, (*tx).repo, fn)
}

// doIssue is do for a handler of the request's issue or pull request.
func (s *Server) doIssue(w http.ResponseWriter, r *http.Request, fn func(t *tx, i *issue) (int, any, error)) {
	doFound(s, w, r, (*tx).issue, fn)
}

// doPull is do for a handler of the request's pull request.
func (s *Server) doPull(w http.ResponseWriter, r *http.Request, fn func(t *tx, i *issue) (int, any, error)) {
	doFound(s, w, r, (*tx).pull, fn)
}
