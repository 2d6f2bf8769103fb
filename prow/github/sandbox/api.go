package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /user", s.getAuthUser)
	m.HandleFunc("GET /users/{login}", s.getUser)
	m.HandleFunc("GET /rate_limit", s.getRateLimit)
	m.HandleFunc("GET /repos/{owner}/{repo}", s.getRepo)
	m.HandleFunc("GET /repos/{owner}/{repo}/labels", s.listRepoLabels)
	m.HandleFunc("POST /repos/{owner}/{repo}/labels", s.createRepoLabel)
	m.HandleFunc("GET /repos/{owner}/{repo}/collaborators/{user}", s.checkCollaborator)
	m.HandleFunc("GET /repos/{owner}/{repo}/collaborators/{user}/permission", s.getPermission)
	m.HandleFunc("GET /repos/{owner}/{repo}/git/ref/{ref...}", s.getRef)
	m.HandleFunc("GET /repos/{owner}/{repo}/contents/{path...}", s.getContents)
	m.HandleFunc("POST /repos/{owner}/{repo}/statuses/{sha}", s.createStatus)
	m.HandleFunc("GET /repos/{owner}/{repo}/commits/{ref}/status", s.combinedStatus)
	m.HandleFunc("GET /repos/{owner}/{repo}/commits/{ref}/statuses", s.listStatuses)
	m.HandleFunc("POST /repos/{owner}/{repo}/check-runs", s.createCheckRun)
	m.HandleFunc("PATCH /repos/{owner}/{repo}/check-runs/{id}", s.updateCheckRun)
	m.HandleFunc("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", s.listCheckRuns)
	m.HandleFunc("GET /orgs/{org}/members/{user}", s.checkMember)
	m.HandleFunc("GET /orgs/{org}/teams/{slug}/members", s.listTeamMembers)

	m.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}", s.getIssue)
	m.HandleFunc("PATCH /repos/{owner}/{repo}/issues/{number}", s.editIssue)
	m.HandleFunc("DELETE /repos/{owner}/{repo}/issues/{number}/labels/{name...}", s.removeIssueLabel)
	// /issues/comments/{id} and /issues/{number}/{labels,comments,assignees}
	// share a shape, so one pattern per method dispatches both.
	m.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}/{sub}", s.issueSub(map[string]http.HandlerFunc{
		"labels": s.listIssueLabels, "comments": s.listComments}, s.getComment))
	m.HandleFunc("POST /repos/{owner}/{repo}/issues/{number}/{sub}", s.issueSub(map[string]http.HandlerFunc{
		"labels": s.addIssueLabels, "comments": s.createComment, "assignees": s.addAssignees}, nil))
	m.HandleFunc("PATCH /repos/{owner}/{repo}/issues/{number}/{sub}", s.issueSub(nil, s.editComment))
	m.HandleFunc("DELETE /repos/{owner}/{repo}/issues/{number}/{sub}", s.issueSub(map[string]http.HandlerFunc{
		"assignees": s.removeAssignees}, s.deleteComment))

	m.HandleFunc("GET /repos/{owner}/{repo}/pulls/{number}", s.getPull)
	m.HandleFunc("GET /repos/{owner}/{repo}/pulls/{number}/files", s.listPullFiles)
	m.HandleFunc("GET /repos/{owner}/{repo}/pulls/{number}/reviews", s.listReviews)
	m.HandleFunc("POST /repos/{owner}/{repo}/pulls/{number}/reviews", s.createReview)
	m.HandleFunc("POST /repos/{owner}/{repo}/pulls/{number}/requested_reviewers", s.requestReviewers)
	m.HandleFunc("DELETE /repos/{owner}/{repo}/pulls/{number}/requested_reviewers", s.removeReviewers)
	m.HandleFunc("PUT /repos/{owner}/{repo}/pulls/{number}/merge", s.mergePull)

	m.HandleFunc("POST /_sandbox/faults", s.handleFaults)
	m.HandleFunc("POST /_sandbox/repos/{owner}/{repo}/pulls/{number}/push", s.pushToPull)
	m.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { apiError(w, http.StatusNotFound, "Not Found") })
}

// issueSub routes /issues/{number}/{sub} by sub, and
// /issues/comments/{id} to onComment.
func (s *Server) issueSub(bySub map[string]http.HandlerFunc, onComment http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("number") == "comments" && onComment != nil {
			r.SetPathValue("id", r.PathValue("sub"))
			onComment(w, r)
			return
		}
		if h, ok := bySub[r.PathValue("sub")]; ok {
			h(w, r)
			return
		}
		apiError(w, http.StatusNotFound, "Not Found")
	}
}

// caller is the authenticated user of a request.
func caller(r *http.Request) string { return r.Header.Get("X-Sandbox-User") }

// lockedRepo locks the server and finds the request's repository; on false
// the answer was written and the lock released.
func (s *Server) lockedRepo(w http.ResponseWriter, r *http.Request) (*repo, bool) {
	s.mu.Lock()
	rp, ok := s.w.repo(r.PathValue("owner"), r.PathValue("repo"))
	if !ok || (rp.Private && s.w.permission(rp, caller(r)) == "none") {
		s.mu.Unlock()
		apiError(w, http.StatusNotFound, "Not Found")
		return nil, false
	}
	return rp, true
}

// lockedIssue also finds the issue or pull request; wantPR requires one.
func (s *Server) lockedIssue(w http.ResponseWriter, r *http.Request, wantPR bool) (*repo, *issue, bool) {
	rp, ok := s.lockedRepo(w, r)
	if !ok {
		return nil, nil, false
	}
	n, err := strconv.Atoi(r.PathValue("number"))
	i, found := rp.Issues[n]
	if err != nil || !found || (wantPR && i.PR == nil) {
		s.mu.Unlock()
		apiError(w, http.StatusNotFound, "Not Found")
		return nil, nil, false
	}
	return rp, i, true
}

// decodeIssue decodes the request body into in, then locks the server
// and finds the issue (a pull request when wantPR); on false the answer
// was written and the lock released.
func (s *Server) decodeIssue(w http.ResponseWriter, r *http.Request, in any, wantPR bool) (*repo, *issue, bool) {
	if !decode(w, r, in) {
		return nil, nil, false
	}
	return s.lockedIssue(w, r, wantPR)
}

// decodeRepoWrite decodes the request body into in, then locks the server,
// finds the repository and checks that the caller may write to it.
func (s *Server) decodeRepoWrite(w http.ResponseWriter, r *http.Request, in any) (*repo, bool) {
	if !decode(w, r, in) {
		return nil, false
	}
	rp, ok := s.lockedRepo(w, r)
	if !ok || !s.needWrite(w, r, rp) {
		return nil, false
	}
	return rp, true
}

// needWrite refuses callers without write access (unlocks on refusal).
func (s *Server) needWrite(w http.ResponseWriter, r *http.Request, rp *repo) bool {
	if permRank(s.w.permission(rp, caller(r))) >= permRank("triage") {
		return true
	}
	s.mu.Unlock()
	apiError(w, http.StatusForbidden, "Must have admin rights to Repository.")
	return false
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		apiError(w, http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	return true
}

// page slices a list by per_page and page, setting the Link header.
func page[T any](w http.ResponseWriter, r *http.Request, all []T) []T {
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if per <= 0 || per > 100 {
		per = 30
	}
	p, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if p <= 0 {
		p = 1
	}
	start := (p - 1) * per
	if start >= len(all) {
		return []T{}
	}
	end := start + per
	if end < len(all) {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p+1))
		q.Set("per_page", strconv.Itoa(per))
		w.Header().Set("Link", "<http://"+r.Host+"/api/v3"+r.URL.Path+"?"+q.Encode()+`>; rel="next"`)
	} else {
		end = len(all)
	}
	return all[start:end]
}

// eventBase is what every webhook payload carries.
func (s *Server) eventBase(rp *repo, sender, action string) obj {
	o := obj{"repository": s.repoObj(rp), "sender": s.userObj(sender)}
	if action != "" {
		o["action"] = action
	}
	if og, ok := s.w.orgs[strings.ToLower(rp.Org)]; ok {
		o["organization"] = obj{"login": og.Login, "id": og.ID}
	}
	return o
}

// issueEvent sends issues or pull_request with action for i.
func (s *Server) issueEvent(rp *repo, i *issue, sender, action string, extra obj) {
	o := s.eventBase(rp, sender, action)
	event := "issues"
	if i.PR != nil {
		event = "pull_request"
		o["number"], o["pull_request"] = i.Number, s.pullObj(rp, i)
	} else {
		o["issue"] = s.issueObj(rp, i)
	}
	for k, v := range extra {
		o[k] = v
	}
	s.hooks.send(event, o)
}
