package sandbox

import (
	"encoding/base64"
	"net/http"
	"sort"
	"strings"
)

func (s *Server) getAuthUser(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, s.fullUserObj(caller(r), true))
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.w.user(r.PathValue("login")); !ok {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	writeJSON(w, http.StatusOK, s.fullUserObj(r.PathValue("login"), strings.EqualFold(r.PathValue("login"), caller(r))))
}

func (s *Server) getRateLimit(w http.ResponseWriter, _ *http.Request) {
	core := obj{"limit": w.Header().Get("X-RateLimit-Limit"), "remaining": w.Header().Get("X-RateLimit-Remaining"),
		"reset": w.Header().Get("X-RateLimit-Reset"), "used": w.Header().Get("X-RateLimit-Used")}
	for k, v := range core {
		core[k] = atoi(v.(string))
	}
	writeJSON(w, http.StatusOK, obj{"resources": obj{"core": core}, "rate": core})
}

func (s *Server) getRepo(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.lockedRepo(w, r)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, s.repoObj(rp))
}

func (s *Server) sortedLabels(rp *repo) []obj {
	names := make([]string, 0, len(rp.Labels))
	for n := range rp.Labels {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]obj, 0, len(names))
	for _, n := range names {
		out = append(out, s.labelObj(rp, rp.Labels[n]))
	}
	return out
}

func (s *Server) listRepoLabels(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.lockedRepo(w, r)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, page(w, r, s.sortedLabels(rp)))
}

func (s *Server) createRepoLabel(w http.ResponseWriter, r *http.Request) {
	var in struct{ Name, Color, Description string }
	rp, ok := s.decodeRepoWrite(w, r, &in)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	if in.Name == "" || rp.Labels[strings.ToLower(in.Name)] != nil {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed")
		return
	}
	l := &label{ID: s.w.id(), Name: in.Name, Color: firstNonEmpty(in.Color, "ededed"), Description: in.Description}
	rp.Labels[strings.ToLower(in.Name)] = l
	writeJSON(w, http.StatusCreated, s.labelObj(rp, l))
}

func (s *Server) checkCollaborator(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.lockedRepo(w, r)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	if _, known := rp.Collaborators[strings.ToLower(r.PathValue("user"))]; known || permRank(s.w.permission(rp, r.PathValue("user"))) >= permRank("write") {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	apiError(w, http.StatusNotFound, "Not Found")
}

func (s *Server) getPermission(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.lockedRepo(w, r)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	login := r.PathValue("user")
	if _, known := s.w.user(login); !known {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	perm := s.w.permission(rp, login)
	legacy := map[string]string{"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read", "none": "none"}[perm]
	u := s.userObj(login)
	u["role_name"] = perm
	writeJSON(w, http.StatusOK, obj{"permission": legacy, "role_name": perm, "user": u})
}

func (s *Server) checkMember(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	og, ok := s.w.orgs[strings.ToLower(r.PathValue("org"))]
	if ok && og.Members[strings.ToLower(r.PathValue("user"))] != "" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	apiError(w, http.StatusNotFound, "Not Found")
}

func (s *Server) listTeamMembers(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	og, ok := s.w.orgs[strings.ToLower(r.PathValue("org"))]
	if !ok || og.Teams[strings.ToLower(r.PathValue("slug"))] == nil {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	writeJSON(w, http.StatusOK, page(w, r, s.usersObj(og.Teams[strings.ToLower(r.PathValue("slug"))].Members)))
}

func (s *Server) getRef(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.lockedRepo(w, r)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	ref := "refs/" + r.PathValue("ref")
	sha, err := git(rp.Git.bare, "rev-parse", "--verify", "-q", ref)
	if err != nil || sha == "" {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	writeJSON(w, http.StatusOK, obj{"ref": ref, "node_id": "REF_" + sha[:8], "url": s.api + "/repos/" + rp.fullName() + "/git/" + ref,
		"object": obj{"type": "commit", "sha": sha, "url": s.api + "/repos/" + rp.fullName() + "/git/commits/" + sha}})
}

func (s *Server) getContents(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.lockedRepo(w, r)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	ref := firstNonEmpty(r.URL.Query().Get("ref"), rp.DefaultBranch)
	path := r.PathValue("path")
	data, found := rp.Git.file(ref, path)
	if !found {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	name := path[strings.LastIndex(path, "/")+1:]
	writeJSON(w, http.StatusOK, obj{"type": "file", "encoding": "base64", "size": len(data), "name": name, "path": path,
		"content": base64.StdEncoding.EncodeToString(data), "sha": "", "url": s.api + "/repos/" + rp.fullName() + "/contents/" + path,
		"git_url": nil, "html_url": nil, "download_url": nil, "_links": obj{"self": "", "git": nil, "html": nil}})
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return n
		}
		n = n*10 + int(c-'0')
	}
	return n
}
