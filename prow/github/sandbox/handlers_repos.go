package sandbox

import (
	"net/http"
	"strings"

	"github.com/prowbot/prow/prow/mapkeys"
)

func (s *Server) getRepo(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		return http.StatusOK, t.repoObj(rp), nil
	})
}

func (s *Server) listBranches(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		out := []obj{}
		for _, name := range mapkeys.Sorted(rp.Branches) {
			out = append(out, t.branchShortObj(rp, name))
		}
		return http.StatusOK, page(w, r, t.links, out), nil
	})
}

func (s *Server) getBranch(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		name := r.PathValue("branch")
		sha, ok := rp.Branches[name]
		if !ok {
			return 0, nil, &apiError{Status: http.StatusNotFound, Message: "Branch not found"}
		}
		c, err := rp.Git.commit(t.ctx, sha)
		if err != nil {
			return 0, nil, err
		}
		self := t.repoAPI(rp) + "/branches/" + name
		return http.StatusOK, obj{"name": name, "commit": t.commitObj(rp, c), "protected": rp.Protection[name] != nil, "protection_url": self + "/protection",
			"_links": obj{"self": self, "html": t.repoWeb(rp) + "/tree/" + name}, "protection": branchProtectionSummary(rp.Protection[name])}, nil
	})
}

func (s *Server) getRef(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		ref := "refs/" + r.PathValue("ref")
		refs, err := t.refsUnder(rp, ref)
		if err != nil {
			return 0, nil, err
		}
		for _, e := range refs {
			if e[0] == ref {
				return http.StatusOK, t.refObj(rp, e[0], e[1]), nil
			}
		}
		return 0, nil, errNotFound()
	})
}

// getCommit answers one commit, named by SHA or branch.
func (s *Server) getCommit(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		ref := r.PathValue("ref")
		if ref == "" || strings.HasPrefix(ref, "-") {
			return 0, nil, errNotFound()
		}
		c, err := rp.Git.commit(t.ctx, ref)
		if err != nil {
			return 0, nil, errNotFound()
		}
		return http.StatusOK, t.commitObj(rp, c), nil
	})
}

// listMatchingRefs lists the refs starting with refs/{ref}.
func (s *Server) listMatchingRefs(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		refs, err := t.refsUnder(rp, "refs/"+r.PathValue("ref"))
		if err != nil {
			return 0, nil, err
		}
		out := []obj{}
		for _, e := range refs {
			out = append(out, t.refObj(rp, e[0], e[1]))
		}
		return http.StatusOK, page(w, r, t.links, out), nil
	})
}

// getRefLegacy is the old GET /git/refs/{ref}: the ref itself when it
// exists, else the refs under it.
func (s *Server) getRefLegacy(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		ref := "refs/" + r.PathValue("ref")
		refs, err := t.refsUnder(rp, ref)
		if err != nil {
			return 0, nil, err
		}
		var out []obj
		for _, e := range refs {
			if e[0] == ref {
				return http.StatusOK, t.refObj(rp, e[0], e[1]), nil
			}
			if strings.HasPrefix(e[0], strings.TrimSuffix(ref, "/")+"/") {
				out = append(out, t.refObj(rp, e[0], e[1]))
			}
		}
		if len(out) == 0 {
			return 0, nil, errNotFound()
		}
		return http.StatusOK, out, nil
	})
}

func (s *Server) createRef(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Ref string `json:"ref"`
		SHA string `json:"sha"`
	}
	if !decode(w, r, &in) {
		return
	}
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		if err := t.createRef(rp, in.Ref, in.SHA); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, t.refObj(rp, in.Ref, in.SHA), nil
	})
}

func (s *Server) updateRef(w http.ResponseWriter, r *http.Request) {
	var in struct {
		SHA   string `json:"sha"`
		Force bool   `json:"force"`
	}
	if !decode(w, r, &in) {
		return
	}
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		ref := "refs/" + strings.TrimPrefix(r.PathValue("ref"), "refs/")
		if !shaPattern.MatchString(in.SHA) {
			return 0, nil, errUnprocessable("Object does not exist")
		}
		if err := t.updateRef(rp, ref, in.SHA, in.Force); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.refObj(rp, ref, in.SHA), nil
	})
}

func (s *Server) deleteRef(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		ref := "refs/" + strings.TrimPrefix(r.PathValue("ref"), "refs/")
		return http.StatusNoContent, nil, t.updateRef(rp, ref, zeroSHA, true)
	})
}

func (s *Server) getContents(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		ref := firstNonEmpty(r.URL.Query().Get("ref"), rp.DefaultBranch)
		sha, ok := t.resolve(rp, ref)
		if !ok {
			return 0, nil, &apiError{Status: http.StatusNotFound, Message: "No commit found for the ref " + ref}
		}
		path := strings.Trim(r.PathValue("path"), "/")
		if path != "" && pathProblem(path) != "" {
			return 0, nil, errNotFound()
		}
		entries, err := rp.Git.lsTree(t.ctx, sha, path, path == "")
		if err != nil || len(entries) == 0 {
			return 0, nil, errNotFound()
		}
		if path != "" && entries[0].Type == "blob" {
			data, err := rp.Git.blob(t.ctx, entries[0].SHA)
			if err != nil {
				return 0, nil, err
			}
			return http.StatusOK, t.contentObj(rp, ref, entries[0], data), nil
		}
		if path != "" {
			if entries, err = rp.Git.lsTree(t.ctx, sha, path, true); err != nil {
				return 0, nil, err
			}
		}
		out := make([]obj, 0, len(entries))
		for _, e := range entries {
			out = append(out, t.contentObj(rp, ref, e, nil))
		}
		return http.StatusOK, out, nil
	})
}

func (s *Server) listCollaborators(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		affiliation := firstNonEmpty(r.URL.Query().Get("affiliation"), "all")
		out := []obj{}
		for _, key := range mapkeys.Sorted(t.w.users) {
			u := t.w.users[key]
			direct := rp.Collaborators[key] != ""
			keep := t.w.permission(rp, u.Login) != "none"
			switch affiliation {
			case "direct":
				keep = direct
			case "outside":
				keep = direct && !t.w.isMember(rp.Owner, u.Login)
			}
			if keep {
				out = append(out, t.collaboratorObj(rp, u.Login))
			}
		}
		return http.StatusOK, page(w, r, t.links, out), nil
	})
}

func (s *Server) checkCollaborator(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		if t.w.user(r.PathValue("user")) == nil || t.w.permission(rp, r.PathValue("user")) == "none" {
			return 0, nil, errNotFound()
		}
		return http.StatusNoContent, nil, nil
	})
}

func (s *Server) getPermission(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		u := t.w.user(r.PathValue("user"))
		if u == nil {
			return 0, nil, errNotFound()
		}
		p := t.w.permission(rp, u.Login)
		return http.StatusOK, obj{"permission": legacyPermission(p), "role_name": p, "user": t.collaboratorObj(rp, u.Login)}, nil
	})
}

func (s *Server) checkAssignee(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		login := r.PathValue("user")
		if t.w.user(login) == nil || (!t.w.can(rp, login, "write") && !t.w.isMember(rp.Owner, login)) {
			return 0, nil, errNotFound()
		}
		return http.StatusNoContent, nil, nil
	})
}
