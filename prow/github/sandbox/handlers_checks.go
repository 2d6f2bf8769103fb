package sandbox

import "net/http"

func (s *Server) createStatus(w http.ResponseWriter, r *http.Request) {
	var in statusInput
	if !decode(w, r, &in) {
		return
	}
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		st, err := t.createStatus(rp, r.PathValue("sha"), in)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, t.statusObj(rp, st), nil
	})
}

// commitOf resolves the request's {ref}; 404 when unknown.
func (t *tx) commitOf(r *http.Request) (*repo, string, error) {
	rp, err := t.repo(r)
	if err != nil {
		return nil, "", err
	}
	sha, ok := t.resolve(rp, r.PathValue("ref"))
	if !ok {
		return nil, "", &apiError{Status: http.StatusNotFound, Message: "No commit found for SHA: " + r.PathValue("ref")}
	}
	return rp, sha, nil
}

func (s *Server) combinedStatus(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		rp, sha, err := t.commitOf(r)
		if err != nil {
			return 0, nil, err
		}
		latest := latestStatuses(rp, sha)
		statuses := make([]obj, 0, len(latest))
		for _, st := range page(w, r, t.links, latest) {
			o := t.statusObj(rp, st)
			delete(o, "creator")
			statuses = append(statuses, o)
		}
		repository := t.repoObj(rp)
		delete(repository, "permissions")
		return http.StatusOK, obj{"state": combinedState(latest), "statuses": statuses, "sha": sha, "total_count": len(latest),
			"repository": repository, "commit_url": t.repoAPI(rp) + "/commits/" + sha, "url": t.repoAPI(rp) + "/commits/" + sha + "/status"}, nil
	})
}

func (s *Server) listStatuses(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		rp, sha, err := t.commitOf(r)
		if err != nil {
			return 0, nil, err
		}
		all := rp.Statuses[sha]
		newest := make([]*status, 0, len(all))
		for k := len(all) - 1; k >= 0; k-- {
			newest = append(newest, all[k])
		}
		out := []obj{}
		for _, st := range page(w, r, t.links, newest) {
			out = append(out, t.statusObj(rp, st))
		}
		return http.StatusOK, out, nil
	})
}

func (s *Server) createCheckRun(w http.ResponseWriter, r *http.Request) {
	var in checkRunInput
	if !decode(w, r, &in) {
		return
	}
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		cr, err := t.createCheckRun(rp, in)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, t.checkRunObj(rp, cr), nil
	})
}

func (s *Server) getCheckRun(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		rp, cr, err := t.checkRun(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.checkRunObj(rp, cr), nil
	})
}

func (s *Server) updateCheckRun(w http.ResponseWriter, r *http.Request) {
	var in checkRunInput
	if !decode(w, r, &in) {
		return
	}
	s.do(w, r, func(t *tx) (int, any, error) {
		rp, cr, err := t.checkRun(r)
		if err != nil {
			return 0, nil, err
		}
		if err := t.updateCheckRun(rp, cr, in); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.checkRunObj(rp, cr), nil
	})
}

// listCheckRuns lists a commit's check runs, newest first; by default
// (filter=latest) only the newest of each name.
func (s *Server) listCheckRuns(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		rp, sha, err := t.commitOf(r)
		if err != nil {
			return 0, nil, err
		}
		q := r.URL.Query()
		latest := q.Get("filter") != "all"
		seen := map[string]bool{}
		var runs []*checkRun
		for k := len(rp.CheckRuns) - 1; k >= 0; k-- {
			cr := rp.CheckRuns[k]
			if cr.HeadSHA != sha || (latest && seen[cr.Name]) {
				continue
			}
			seen[cr.Name] = true
			if (q.Get("check_name") == "" || q.Get("check_name") == cr.Name) && (q.Get("status") == "" || q.Get("status") == cr.Status) {
				runs = append(runs, cr)
			}
		}
		out := []obj{}
		for _, cr := range page(w, r, t.links, runs) {
			out = append(out, t.checkRunObj(rp, cr))
		}
		return http.StatusOK, obj{"total_count": len(runs), "check_runs": out}, nil
	})
}

// listCheckRunAnnotations lists a check run's annotations, oldest first.
func (s *Server) listCheckRunAnnotations(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		rp, cr, err := t.checkRun(r)
		if err != nil {
			return 0, nil, err
		}
		out := []obj{}
		for _, a := range page(w, r, t.links, cr.Annotations) {
			out = append(out, t.annotationObj(rp, cr, a))
		}
		return http.StatusOK, out, nil
	})
}

// rerequestCheckRun answers 201 with an empty object and sends
// check_run rerequested.
func (s *Server) rerequestCheckRun(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		rp, cr, err := t.checkRun(r)
		if err != nil {
			return 0, nil, err
		}
		if err := t.rerequestCheckRun(rp, cr); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, obj{}, nil
	})
}
