package sandbox

import (
	"net/http"
)

// The branch protection API: reading needs the repository visible, and
// (as on GitHub) admin permission, since protection is an admin setting.

func (s *Server) getProtection(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		rp, branch, p, err := t.protectionRequest(r)
		if err != nil {
			return 0, nil, err
		}
		o := t.protectionObj(rp, branch, p)
		o["enabled"], o["name"], o["protection_url"] = true, branch, o["url"]
		return http.StatusOK, o, nil
	})
}

func (s *Server) putProtection(w http.ResponseWriter, r *http.Request) {
	var in protectionInput
	if !decode(w, r, &in) {
		return
	}
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		p, err := in.toProtection()
		if err != nil {
			return 0, nil, err
		}
		if err := in.restrict(t.w, rp, p); err != nil {
			return 0, nil, err
		}
		branch := r.PathValue("branch")
		if err := t.protect(rp, branch, p); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.protectionObj(rp, branch, p), nil
	})
}

func (s *Server) deleteProtection(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		if err := t.unprotect(rp, r.PathValue("branch")); err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, nil
	})
}

func (s *Server) getRequiredStatusChecks(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		rp, branch, p, err := t.protectionRequest(r)
		if err != nil {
			return 0, nil, err
		}
		if !p.StatusChecks {
			return 0, nil, &apiError{Status: http.StatusNotFound, Message: "Required status checks not enabled"}
		}
		return http.StatusOK, t.statusChecksObj(rp, branch, p), nil
	})
}

func (s *Server) listRequiredContexts(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		_, _, p, err := t.protectionRequest(r)
		if err != nil {
			return 0, nil, err
		}
		if !p.StatusChecks {
			return 0, nil, &apiError{Status: http.StatusNotFound, Message: "Required status checks not enabled"}
		}
		return http.StatusOK, append([]string{}, p.Contexts...), nil
	})
}

// protectionRequest finds the request's repository, branch and rule, for
// an admin of the repository.
func (t *tx) protectionRequest(r *http.Request) (*repo, string, *protection, error) {
	rp, err := t.repo(r)
	if err != nil {
		return nil, "", nil, err
	}
	if err := t.need(rp, "admin"); err != nil {
		return nil, "", nil, errNotFound()
	}
	branch := r.PathValue("branch")
	p, err := protectionOf(rp, branch)
	return rp, branch, p, err
}

// protectionObj is a protected-branch (and, with enabled, name and
// protection_url added, a branch-protection).
func (t *tx) protectionObj(rp *repo, branch string, p *protection) obj {
	url := t.repoAPI(rp) + "/branches/" + branch + "/protection"
	enabled := func(b bool) obj { return obj{"enabled": b} }
	o := obj{"url": url,
		"required_signatures":              obj{"url": url + "/required_signatures", "enabled": false},
		"enforce_admins":                   obj{"url": url + "/enforce_admins", "enabled": p.EnforceAdmins},
		"required_linear_history":          enabled(p.LinearHistory),
		"allow_force_pushes":               enabled(p.ForcePushes),
		"allow_deletions":                  enabled(p.Deletions),
		"block_creations":                  enabled(false),
		"required_conversation_resolution": enabled(p.Conversations),
		"lock_branch":                      enabled(false),
		"allow_fork_syncing":               enabled(false),
	}
	if p.StatusChecks {
		o["required_status_checks"] = t.statusChecksObj(rp, branch, p)
	}
	if p.Reviews {
		o["required_pull_request_reviews"] = obj{"url": url + "/required_pull_request_reviews",
			"dismiss_stale_reviews": p.DismissStale, "require_code_owner_reviews": p.CodeOwners,
			"required_approving_review_count": p.ApprovalCount, "require_last_push_approval": p.LastPush}
	}
	if p.Restricted {
		o["restrictions"] = t.restrictionsObj(rp, url+"/restrictions", p)
	}
	return o
}

// restrictionsObj is a branch-restriction-policy.
func (t *tx) restrictionsObj(rp *repo, url string, p *protection) obj {
	teams := []obj{}
	if o := t.w.org(rp.Owner); o != nil {
		for _, slug := range p.RestrictTeams {
			if tm := o.Teams[slug]; tm != nil {
				teams = append(teams, t.teamObj(tm, false))
			}
		}
	}
	return obj{"url": url, "users_url": url + "/users", "teams_url": url + "/teams", "apps_url": url + "/apps",
		"users": t.usersObj(p.RestrictUsers), "teams": teams, "apps": []obj{}}
}

// statusChecksObj is a status-check-policy.
func (t *tx) statusChecksObj(rp *repo, branch string, p *protection) obj {
	url := t.repoAPI(rp) + "/branches/" + branch + "/protection/required_status_checks"
	checks := make([]obj, 0, len(p.Contexts))
	for _, c := range p.Contexts {
		checks = append(checks, obj{"context": c, "app_id": nil})
	}
	return obj{"url": url, "strict": p.Strict, "contexts": append([]string{}, p.Contexts...), "checks": checks, "contexts_url": url + "/contexts"}
}
