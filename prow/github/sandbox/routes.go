package sandbox

import "net/http"

// apiRoutes are the REST API routes, GitHub's paths without /api/v3.
func (s *Server) apiRoutes() *router {
	rt := &router{}
	const (
		get, post, patch, put, del = http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete
		r                          = "/repos/{owner}/{repo}"
	)
	for _, h := range []struct {
		method, pattern string
		handler         http.HandlerFunc
	}{
		{get, "/user", s.getAuthUser},
		{get, "/users/{user}", s.getUser},
		{get, "/rate_limit", s.getRateLimit},
		{get, "/search/issues", s.searchIssues},
		{post, "/graphql", s.graphQL},
		{get, "/orgs/{org}", s.getOrg},
		{get, "/orgs/{org}/repos", s.listOrgRepos},
		{get, "/orgs/{org}/members", s.listMembers},
		{get, "/orgs/{org}/members/{user}", s.checkMember},
		{get, "/orgs/{org}/memberships/{user}", s.getMembership},
		{get, "/orgs/{org}/teams", s.listTeams},
		{get, "/orgs/{org}/teams/{slug}", s.getTeam},
		{get, "/orgs/{org}/teams/{slug}/members", s.listTeamMembers},
		{get, "/orgs/{org}/teams/{slug}/memberships/{user}", s.getTeamMembership},
		{get, "/orgs/{org}/teams/{slug}/repos", s.listTeamRepos},

		{get, r, s.getRepo},
		{get, r + "/branches", s.listBranches},
		{get, r + "/branches/{branch...}", s.getBranch},
		{get, r + "/branches/{branch}/protection", s.getProtection},
		{put, r + "/branches/{branch}/protection", s.putProtection},
		{del, r + "/branches/{branch}/protection", s.deleteProtection},
		{get, r + "/branches/{branch}/protection/required_status_checks", s.getRequiredStatusChecks},
		{get, r + "/branches/{branch}/protection/required_status_checks/contexts", s.listRequiredContexts},
		{get, r + "/git/ref/{ref...}", s.getRef},
		{get, r + "/git/matching-refs/{ref...}", s.listMatchingRefs},
		{get, r + "/git/refs", s.listMatchingRefs},
		{get, r + "/git/refs/{ref...}", s.getRefLegacy},
		{post, r + "/git/refs", s.createRef},
		{patch, r + "/git/refs/{ref...}", s.updateRef},
		{del, r + "/git/refs/{ref...}", s.deleteRef},
		{get, r + "/contents/{path...}", s.getContents},
		{get, r + "/collaborators", s.listCollaborators},
		{get, r + "/collaborators/{user}", s.checkCollaborator},
		{get, r + "/collaborators/{user}/permission", s.getPermission},
		{get, r + "/assignees/{user}", s.checkAssignee},
		{get, r + "/labels", s.listLabels},
		{post, r + "/labels", s.createLabel},
		{get, r + "/labels/{name...}", s.getLabel},
		{patch, r + "/labels/{name...}", s.updateLabel},
		{del, r + "/labels/{name...}", s.deleteLabel},
		{get, r + "/milestones", s.listMilestones},
		{post, r + "/statuses/{sha}", s.createStatus},
		{get, r + "/commits/{ref}", s.getCommit},
		{get, r + "/commits/{ref}/status", s.combinedStatus},
		{get, r + "/commits/{ref}/statuses", s.listStatuses},
		{get, r + "/commits/{ref}/check-runs", s.listCheckRuns},
		{post, r + "/check-runs", s.createCheckRun},
		{get, r + "/check-runs/{id}", s.getCheckRun},
		{patch, r + "/check-runs/{id}", s.updateCheckRun},
		{get, r + "/check-runs/{id}/annotations", s.listCheckRunAnnotations},
		{post, r + "/check-runs/{id}/rerequest", s.rerequestCheckRun},

		{get, r + "/issues", s.listIssues},
		{post, r + "/issues", s.createIssue},
		{get, r + "/issues/comments", s.listRepoComments},
		{get, r + "/issues/comments/{id}", s.getComment},
		{patch, r + "/issues/comments/{id}", s.editComment},
		{del, r + "/issues/comments/{id}", s.deleteComment},
		{get, r + "/issues/{number}", s.getIssue},
		{patch, r + "/issues/{number}", s.updateIssue},
		{get, r + "/issues/{number}/comments", s.listComments},
		{post, r + "/issues/{number}/comments", s.createComment},
		{get, r + "/issues/{number}/labels", s.listIssueLabels},
		{post, r + "/issues/{number}/labels", s.addIssueLabels},
		{put, r + "/issues/{number}/labels", s.setIssueLabels},
		{del, r + "/issues/{number}/labels", s.clearIssueLabels},
		{del, r + "/issues/{number}/labels/{name...}", s.removeIssueLabel},
		{post, r + "/issues/{number}/assignees", s.addAssignees},
		{del, r + "/issues/{number}/assignees", s.removeAssignees},

		{get, r + "/pulls", s.listPulls},
		{post, r + "/pulls", s.createPull},
		{get, r + "/pulls/{number}", s.getPull},
		{patch, r + "/pulls/{number}", s.updatePull},
		{get, r + "/pulls/{number}/files", s.listPullFiles},
		{get, r + "/pulls/{number}/commits", s.listPullCommits},
		{get, r + "/pulls/{number}/merge", s.checkMerged},
		{put, r + "/pulls/{number}/merge", s.mergePull},
		{put, r + "/pulls/{number}/update-branch", s.updatePullBranch},
		{get, r + "/pulls/{number}/reviews", s.listReviews},
		{post, r + "/pulls/{number}/reviews", s.createReview},
		{get, r + "/pulls/{number}/reviews/{id}", s.getReview},
		{put, r + "/pulls/{number}/reviews/{id}/dismissals", s.dismissReview},
		{get, r + "/pulls/{number}/comments", s.listReviewComments},
		{post, r + "/pulls/{number}/comments", s.createReviewComment},
		{get, r + "/pulls/{number}/requested_reviewers", s.listRequestedReviewers},
		{post, r + "/pulls/{number}/requested_reviewers", s.requestReviewers},
		{del, r + "/pulls/{number}/requested_reviewers", s.removeRequestedReviewers},
	} {
		rt.handle(h.method, h.pattern, h.handler)
	}
	s.actionsRoutes(rt)
	return rt
}

// adminRoutes are the sandbox's own API, under /_sandbox/.
func (s *Server) adminRoutes() *router {
	rt := &router{}
	const r = "/_sandbox/repos/{owner}/{repo}"
	rt.handle(http.MethodGet, "/_sandbox/faults", s.adminGetFaults)
	rt.handle(http.MethodPost, "/_sandbox/faults", s.adminSetFaults)
	rt.handle(http.MethodPost, "/_sandbox/ratelimit", s.adminSetRateLimit)
	rt.handle(http.MethodGet, "/_sandbox/deliveries", s.adminDeliveries)
	rt.handle(http.MethodPost, "/_sandbox/flush", s.adminFlush)
	rt.handle(http.MethodPost, r+"/push", s.adminPushBranch)
	rt.handle(http.MethodPost, r+"/pulls/{number}/push", s.adminPushPull)
	rt.handle(http.MethodPost, r+"/pulls/{number}/draft", s.adminSetDraft)
	s.adminActionsRoutes(rt)
	return rt
}
