package sandbox

import (
	"net/http"
	"net/url"
	"strings"
)

func (s *Server) getPull(w http.ResponseWriter, r *http.Request) {
	s.doPull(w, r, func(t *tx, i *issue) (int, any, error) {
		return http.StatusOK, t.pullObj(i, true), nil
	})
}

func (s *Server) listPulls(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		q := r.URL.Query()
		state, head, base := firstNonEmpty(q.Get("state"), "open"), q.Get("head"), q.Get("base")
		if owner, branch, ok := strings.Cut(head, ":"); ok {
			if !strings.EqualFold(owner, rp.Owner) {
				return http.StatusOK, []obj{}, nil
			}
			head = branch
		}
		var list []*issue
		for _, i := range rp.Issues {
			if i.PR == nil || (state != "all" && i.State != state) || (head != "" && i.PR.Head != head) || (base != "" && i.PR.Base != base) {
				continue
			}
			list = append(list, i)
		}
		by, direction := firstNonEmpty(q.Get("sort"), "created"), q.Get("direction")
		if direction == "" {
			direction = map[bool]string{true: "desc", false: "asc"}[by == "created"]
		}
		sortIssues(list, by, direction)
		out := []obj{}
		for _, i := range page(w, r, t.links, list) {
			out = append(out, t.pullObj(i, false))
		}
		return http.StatusOK, out, nil
	})
}

func (s *Server) createPull(w http.ResponseWriter, r *http.Request) {
	var in pullInput
	if !decode(w, r, &in) {
		return
	}
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		i, err := t.createPull(rp, in)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, t.pullObj(i, true), nil
	})
}

func (s *Server) updatePull(w http.ResponseWriter, r *http.Request) {
	var in pullInput
	if !decode(w, r, &in) {
		return
	}
	s.doPull(w, r, func(t *tx, i *issue) (int, any, error) {
		if err := t.updatePull(i, in); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.pullObj(i, true), nil
	})
}

func (s *Server) listPullFiles(w http.ResponseWriter, r *http.Request) {
	s.doPull(w, r, func(t *tx, i *issue) (int, any, error) {
		rp, head := i.Repo, i.PR.HeadSHA
		files, err := rp.Git.diff(t.ctx, t.baseSHA(i), head)
		if err != nil {
			return 0, nil, err
		}
		out := []obj{}
		for _, f := range page(w, r, t.links, files) {
			o := obj{"sha": f.BlobSHA, "filename": f.Filename, "status": f.Status, "additions": f.Additions, "deletions": f.Deletions,
				"changes": f.Additions + f.Deletions, "blob_url": t.repoWeb(rp) + "/blob/" + head + "/" + f.Filename,
				"raw_url":      t.repoWeb(rp) + "/raw/" + head + "/" + f.Filename,
				"contents_url": t.repoAPI(rp) + "/contents/" + f.Filename + "?ref=" + url.QueryEscape(head)}
			if f.Patch != "" {
				o["patch"] = f.Patch
			}
			out = append(out, o)
		}
		return http.StatusOK, out, nil
	})
}

func (s *Server) listPullCommits(w http.ResponseWriter, r *http.Request) {
	s.doPull(w, r, func(t *tx, i *issue) (int, any, error) {
		commits, err := i.Repo.Git.log(t.ctx, "--reverse", i.PR.HeadSHA, "^"+t.baseSHA(i))
		if err != nil {
			return 0, nil, err
		}
		out := []obj{}
		for _, c := range page(w, r, t.links, commits) {
			out = append(out, t.commitObj(i.Repo, c))
		}
		return http.StatusOK, out, nil
	})
}

func (s *Server) checkMerged(w http.ResponseWriter, r *http.Request) {
	s.doPull(w, r, func(_ *tx, i *issue) (int, any, error) {
		if !i.PR.Merged {
			return 0, nil, errNotFound()
		}
		return http.StatusNoContent, nil, nil
	})
}

func (s *Server) mergePull(w http.ResponseWriter, r *http.Request) {
	var in mergeInput
	if !decode(w, r, &in) {
		return
	}
	s.doPull(w, r, func(t *tx, i *issue) (int, any, error) {
		sha, err := t.merge(i, in)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, obj{"sha": sha, "merged": true, "message": "Pull Request successfully merged"}, nil
	})
}
