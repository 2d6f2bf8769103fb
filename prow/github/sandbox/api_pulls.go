package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

func (s *Server) getPull(w http.ResponseWriter, r *http.Request) {
	rp, i, ok := s.lockedIssue(w, r, true)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, s.pullObj(rp, i))
}

func (s *Server) listPullFiles(w http.ResponseWriter, r *http.Request) {
	rp, i, ok := s.lockedIssue(w, r, true)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	out := make([]obj, 0, len(i.PR.Files))
	for _, f := range i.PR.Files {
		out = append(out, obj{"sha": i.PR.HeadSHA, "filename": f.Filename, "status": f.Status, "additions": f.Additions,
			"deletions": f.Deletions, "changes": f.Additions + f.Deletions,
			"blob_url":     s.base + "/" + rp.fullName() + "/blob/" + i.PR.HeadSHA + "/" + f.Filename,
			"raw_url":      s.base + "/" + rp.fullName() + "/raw/" + i.PR.HeadSHA + "/" + f.Filename,
			"contents_url": s.api + "/repos/" + rp.fullName() + "/contents/" + f.Filename + "?ref=" + i.PR.HeadSHA})
	}
	writeJSON(w, http.StatusOK, page(w, r, out))
}

func (s *Server) listReviews(w http.ResponseWriter, r *http.Request) {
	rp, i, ok := s.lockedIssue(w, r, true)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	out := make([]obj, 0, len(i.PR.Reviews))
	for _, rv := range i.PR.Reviews {
		out = append(out, s.reviewObj(rp, i.Number, rv))
	}
	writeJSON(w, http.StatusOK, page(w, r, out))
}

func (s *Server) createReview(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Body  string `json:"body"`
		Event string `json:"event"`
	}
	rp, i, ok := s.decodeIssue(w, r, &in, true)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	state := map[string]string{"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}[in.Event]
	if state == "" || (state != "APPROVED" && in.Body == "") {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed")
		return
	}
	if strings.EqualFold(caller(r), i.User) && state != "COMMENTED" {
		apiError(w, http.StatusUnprocessableEntity, "Can not approve your own pull request")
		return
	}
	rv := &review{ID: s.w.id(), User: caller(r), Body: in.Body, State: state, CommitID: i.PR.HeadSHA, SubmittedAt: s.w.now()}
	i.PR.Reviews = append(i.PR.Reviews, rv)
	i.PR.RequestedReviewers = removeFold(i.PR.RequestedReviewers, caller(r))
	o := s.eventBase(rp, caller(r), "submitted")
	o["review"], o["pull_request"] = s.reviewObj(rp, i.Number, rv), s.pullObj(rp, i)
	s.hooks.send("pull_request_review", o)
	writeJSON(w, http.StatusOK, s.reviewObj(rp, i.Number, rv))
}

func (s *Server) requestReviewers(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reviewers     []string `json:"reviewers"`
		TeamReviewers []string `json:"team_reviewers"`
	}
	rp, i, ok := s.decodeIssue(w, r, &in, true)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	for _, login := range in.Reviewers {
		if strings.EqualFold(login, i.User) || !s.w.assignable(rp, login) {
			apiError(w, http.StatusUnprocessableEntity, fmt.Sprintf("Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the %s repository.", rp.fullName()))
			return
		}
	}
	for _, login := range in.Reviewers {
		if !containsFold(i.PR.RequestedReviewers, login) {
			i.PR.RequestedReviewers = append(i.PR.RequestedReviewers, login)
			s.issueEvent(rp, i, caller(r), "review_requested", obj{"requested_reviewer": s.userObj(login)})
		}
	}
	writeJSON(w, http.StatusCreated, s.pullObj(rp, i))
}

func (s *Server) removeReviewers(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reviewers []string `json:"reviewers"`
	}
	rp, i, ok := s.decodeIssue(w, r, &in, true)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	for _, login := range in.Reviewers {
		if containsFold(i.PR.RequestedReviewers, login) {
			i.PR.RequestedReviewers = removeFold(i.PR.RequestedReviewers, login)
			s.issueEvent(rp, i, caller(r), "review_request_removed", obj{"requested_reviewer": s.userObj(login)})
		}
	}
	writeJSON(w, http.StatusOK, s.pullObj(rp, i))
}

func (s *Server) mergePull(w http.ResponseWriter, r *http.Request) {
	var in struct {
		SHA           string `json:"sha"`
		MergeMethod   string `json:"merge_method"`
		CommitTitle   string `json:"commit_title"`
		CommitMessage string `json:"commit_message"`
	}
	rp, i, ok := s.decodeIssue(w, r, &in, true)
	if !ok {
		return
	}
	if permRank(s.w.permission(rp, caller(r))) < permRank("write") {
		s.mu.Unlock()
		apiError(w, http.StatusForbidden, "Must have push access to merge this pull request.")
		return
	}
	defer s.mu.Unlock()
	p := i.PR
	switch {
	case p.Merged || i.State != "open":
		apiError(w, http.StatusMethodNotAllowed, "Pull Request is not mergeable")
		return
	case in.SHA != "" && in.SHA != p.HeadSHA:
		apiError(w, http.StatusConflict, "Head branch was modified. Review and try the merge again.")
		return
	}
	title := firstNonEmpty(in.CommitTitle, fmt.Sprintf("Merge pull request #%d from %s", i.Number, p.Head))
	before, _ := git(rp.Git.work, "rev-parse", p.Base)
	sha, err := rp.Git.merge(p.Base, p.HeadSHA, firstNonEmpty(in.MergeMethod, "merge"), title+"\n\n"+in.CommitMessage)
	if err != nil {
		apiError(w, http.StatusMethodNotAllowed, "Pull Request is not mergeable")
		return
	}
	now := s.w.now()
	p.Merged, p.MergeSHA, p.MergedAt, p.MergedBy = true, sha, &now, caller(r)
	i.State, i.ClosedAt, i.UpdatedAt = "closed", &now, now
	s.issueEvent(rp, i, caller(r), "closed", nil)
	s.pushEvent(rp, p.Base, before, sha, caller(r), p.Files)
	writeJSON(w, http.StatusOK, obj{"sha": sha, "merged": true, "message": "Pull Request successfully merged"})
}

// pushEvent sends push for a branch update.
func (s *Server) pushEvent(rp *repo, branch, before, after, sender string, files []fileChange) {
	var added, removed, modified []string
	for _, f := range files {
		switch f.Status {
		case "added":
			added = append(added, f.Filename)
		case "removed":
			removed = append(removed, f.Filename)
		default:
			modified = append(modified, f.Filename)
		}
	}
	o := s.eventBase(rp, sender, "")
	repoObj := o["repository"].(obj)
	repoObj["owner"] = obj{"name": rp.Org, "login": rp.Org}
	commit := obj{"id": after, "message": "merge", "added": added, "removed": removed, "modified": modified,
		"author": obj{"name": sender, "username": sender}, "distinct": true}
	o["ref"], o["before"], o["after"], o["created"], o["deleted"], o["forced"] = "refs/heads/"+branch, before, after, false, false, false
	o["pusher"], o["commits"], o["head_commit"], o["compare"] = obj{"name": sender}, []obj{commit}, commit, s.base+"/"+rp.fullName()+"/compare/"+before+"..."+after
	s.hooks.send("push", o)
}

// pushToPull is the admin API that simulates a developer pushing to a pull
// request: {"files": {"path": "content"}, "message": "..."}.
func (s *Server) pushToPull(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Files   map[string]string `json:"files"`
		Message string            `json:"message"`
	}
	if !decode(w, r, &in) {
		return
	}
	r.Header.Set("X-Sandbox-User", "")
	s.mu.Lock()
	rp, ok := s.w.repo(r.PathValue("owner"), r.PathValue("repo"))
	var i *issue
	if n, err := strconv.Atoi(r.PathValue("number")); ok && err == nil {
		i = rp.Issues[n]
	}
	if i == nil || i.PR == nil {
		s.mu.Unlock()
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	defer s.mu.Unlock()
	p := i.PR
	before := p.HeadSHA
	sha, err := rp.Git.commit(p.Head, p.HeadSHA, in.Files, firstNonEmpty(in.Message, "Update"))
	if err != nil {
		apiError(w, http.StatusInternalServerError, err.Error())
		return
	}
	if err := rp.Git.setRef(fmt.Sprintf("refs/pull/%d/head", i.Number), sha); err != nil {
		apiError(w, http.StatusInternalServerError, err.Error())
		return
	}
	p.HeadSHA = sha
	merged := map[string]string{}
	for _, f := range p.Files {
		merged[f.Filename] = "x"
	}
	for k, v := range in.Files {
		merged[k] = v
	}
	p.Files = diffFiles(rp, p.Base, currentContents(rp, sha, merged))
	s.issueEvent(rp, i, i.User, "synchronize", obj{"before": before, "after": sha})
	writeJSON(w, http.StatusOK, obj{"sha": sha})
}

// currentContents reads the files at sha ("" for deleted ones).
func currentContents(rp *repo, sha string, paths map[string]string) map[string]string {
	out := map[string]string{}
	for p := range paths {
		data, _ := rp.Git.file(sha, p)
		out[p] = string(data)
	}
	return out
}
