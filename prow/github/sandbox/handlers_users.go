package sandbox

import (
	"net/http"
	"sort"
	"strings"

	"github.com/prowbot/prow/prow/mapkeys"
)

func (s *Server) getAuthUser(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		return http.StatusOK, t.fullUserObj(t.actor, true), nil
	})
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		if o := t.w.org(r.PathValue("user")); o != nil {
			u := t.userObj(o.Login)
			u["name"], u["company"], u["blog"], u["location"], u["email"], u["hireable"], u["bio"] = o.Login, nil, "", nil, nil, nil, nil
			u["public_repos"], u["public_gists"], u["followers"], u["following"] = 0, 0, 0, 0
			u["created_at"], u["updated_at"] = ts(o.CreatedAt), ts(o.CreatedAt)
			return http.StatusOK, u, nil
		}
		u := t.w.user(r.PathValue("user"))
		if u == nil {
			return 0, nil, errNotFound()
		}
		return http.StatusOK, t.fullUserObj(u, u == t.actor), nil
	})
}

// getRateLimit shows the caller's budgets; it costs nothing.
func (s *Server) getRateLimit(w http.ResponseWriter, r *http.Request) {
	resources := obj{}
	for name, v := range s.limits.view(r.Header.Get(actorHeader)) {
		resources[name] = obj{"limit": v.Limit, "used": v.Used, "remaining": max(0, v.Limit-v.Used), "reset": v.Reset.Unix(), "resource": name}
	}
	writeJSON(w, http.StatusOK, obj{"resources": resources, "rate": resources["core"]})
}

// org finds the request's org.
func (t *tx) org(r *http.Request) (*org, error) {
	o := t.w.org(r.PathValue("org"))
	if o == nil {
		return nil, errNotFound()
	}
	return o, nil
}

// team finds the request's team.
func (t *tx) team(r *http.Request) (*team, error) {
	o, err := t.org(r)
	if err != nil {
		return nil, err
	}
	tm := o.Teams[strings.ToLower(r.PathValue("slug"))]
	if tm == nil {
		return nil, errNotFound()
	}
	return tm, nil
}

func (s *Server) getOrg(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		o, err := t.org(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.teamOrgObj(o), nil
	})
}

func (s *Server) listOrgRepos(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		o, err := t.org(r)
		if err != nil {
			return 0, nil, err
		}
		out := []obj{}
		for _, rp := range t.w.sortedRepos() {
			if strings.EqualFold(rp.Owner, o.Login) && t.w.canSee(rp, t.login()) {
				out = append(out, t.repoObj(rp))
			}
		}
		return http.StatusOK, page(w, r, t.links, out), nil
	})
}

// sortedLogins lists the logins of a role map whose role passes keep.
func (t *tx) sortedLogins(roles map[string]string, keep func(role string) bool) []string {
	var out []string
	for _, l := range mapkeys.Sorted(roles) {
		if keep(roles[l]) {
			if u := t.w.user(l); u != nil {
				out = append(out, u.Login)
			}
		}
	}
	sort.Strings(out)
	return out
}

// roleFilter keeps the roles a role query parameter asks for.
func roleFilter(r *http.Request) func(string) bool {
	want := r.URL.Query().Get("role")
	return func(have string) bool { return want == "" || want == "all" || want == have }
}

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		o, err := t.org(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, page(w, r, t.links, t.usersObj(t.sortedLogins(o.Roles, roleFilter(r)))), nil
	})
}

func (s *Server) checkMember(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		if !t.w.isMember(r.PathValue("org"), r.PathValue("user")) {
			return 0, nil, errNotFound()
		}
		return http.StatusNoContent, nil, nil
	})
}

func (s *Server) getMembership(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		o, err := t.org(r)
		if err != nil {
			return 0, nil, err
		}
		if o.Roles[strings.ToLower(r.PathValue("user"))] == "" {
			return 0, nil, errNotFound()
		}
		return http.StatusOK, t.membershipObj(o, t.w.user(r.PathValue("user")).Login), nil
	})
}

func (s *Server) listTeams(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		o, err := t.org(r)
		if err != nil {
			return 0, nil, err
		}
		out := []obj{}
		for _, slug := range mapkeys.Sorted(o.Teams) {
			out = append(out, t.teamObj(o.Teams[slug], false))
		}
		return http.StatusOK, page(w, r, t.links, out), nil
	})
}

func (s *Server) getTeam(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		tm, err := t.team(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.teamObj(tm, true), nil
	})
}

func (s *Server) listTeamMembers(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		tm, err := t.team(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, page(w, r, t.links, t.usersObj(t.sortedLogins(tm.Members, roleFilter(r)))), nil
	})
}

func (s *Server) getTeamMembership(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		tm, err := t.team(r)
		if err != nil {
			return 0, nil, err
		}
		role := tm.Members[strings.ToLower(r.PathValue("user"))]
		if role == "" {
			return 0, nil, errNotFound()
		}
		return http.StatusOK, obj{"url": t.teamObj(tm, false)["url"].(string) + "/memberships/" + r.PathValue("user"),
			"role": role, "state": "active"}, nil
	})
}

func (s *Server) listTeamRepos(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		tm, err := t.team(r)
		if err != nil {
			return 0, nil, err
		}
		out := []obj{}
		for _, name := range mapkeys.Sorted(tm.Repos) {
			rp := t.w.repo(tm.Org.Login, name)
			if rp == nil {
				continue
			}
			o := t.repoObj(rp)
			o["permissions"], o["role_name"] = permissionFlags(tm.Repos[name]), tm.Repos[name]
			out = append(out, o)
		}
		return http.StatusOK, page(w, r, t.links, out), nil
	})
}
