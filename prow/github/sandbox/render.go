package sandbox

import (
	"fmt"
	"strings"
	"time"
)

// obj is a JSON object as GitHub writes it.
type obj = map[string]any

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (s *Server) userObj(login string) obj {
	u, ok := s.w.user(login)
	id, typ := int64(0), "User"
	if ok {
		id, login = u.ID, u.Login
		if u.Bot {
			typ = "Bot"
		}
	}
	return obj{"login": login, "id": id, "node_id": fmt.Sprintf("U_%d", id), "type": typ, "site_admin": false,
		"avatar_url": s.base + "/avatars/" + login, "gravatar_id": "", "url": s.api + "/users/" + login,
		"html_url": s.base + "/" + login, "followers_url": s.api + "/users/" + login + "/followers",
		"following_url": s.api + "/users/" + login + "/following{/other_user}", "gists_url": s.api + "/users/" + login + "/gists{/gist_id}",
		"starred_url": s.api + "/users/" + login + "/starred{/owner}{/repo}", "subscriptions_url": s.api + "/users/" + login + "/subscriptions",
		"organizations_url": s.api + "/users/" + login + "/orgs", "repos_url": s.api + "/users/" + login + "/repos",
		"events_url": s.api + "/users/" + login + "/events{/privacy}", "received_events_url": s.api + "/users/" + login + "/received_events"}
}

func (s *Server) usersObj(logins []string) []obj {
	out := make([]obj, 0, len(logins))
	for _, l := range logins {
		out = append(out, s.userObj(l))
	}
	return out
}

func (s *Server) labelObj(r *repo, l *label) obj {
	return obj{"id": l.ID, "node_id": fmt.Sprintf("LA_%d", l.ID), "url": s.api + "/repos/" + r.fullName() + "/labels/" + l.Name,
		"name": l.Name, "color": l.Color, "description": l.Description, "default": false}
}

func (s *Server) issueLabels(r *repo, names []string) []obj {
	out := make([]obj, 0, len(names))
	for _, n := range names {
		if l, ok := r.Labels[strings.ToLower(n)]; ok {
			out = append(out, s.labelObj(r, l))
		}
	}
	return out
}

func (s *Server) repoObj(r *repo) obj {
	api := s.api + "/repos/" + r.fullName()
	owner := s.userObj(r.Org)
	if o, ok := s.w.orgs[strings.ToLower(r.Org)]; ok {
		owner["type"], owner["id"] = "Organization", o.ID
	}
	return obj{"id": r.ID, "node_id": fmt.Sprintf("R_%d", r.ID), "name": r.Name, "full_name": r.fullName(), "owner": owner,
		"private": r.Private, "html_url": s.base + "/" + r.fullName(), "description": nil, "fork": false, "url": api,
		"clone_url": s.base + "/" + r.fullName() + ".git", "default_branch": r.DefaultBranch, "archived": false, "disabled": false,
		"visibility": map[bool]string{true: "private", false: "public"}[r.Private], "created_at": ts(r.CreatedAt), "updated_at": ts(r.CreatedAt),
		"pushed_at": ts(r.CreatedAt)}
}

func (s *Server) issueObj(r *repo, i *issue) obj {
	api := s.api + "/repos/" + r.fullName() + "/issues/" + fmt.Sprint(i.Number)
	kind := "issues"
	if i.PR != nil {
		kind = "pull"
	}
	o := obj{"id": i.ID, "node_id": fmt.Sprintf("I_%d", i.ID), "url": api, "repository_url": s.api + "/repos/" + r.fullName(),
		"labels_url": api + "/labels{/name}", "comments_url": api + "/comments", "events_url": api + "/events",
		"html_url": fmt.Sprintf("%s/%s/%s/%d", s.base, r.fullName(), kind, i.Number),
		"number":   i.Number, "state": i.State, "title": i.Title, "body": i.Body, "user": s.userObj(i.User),
		"labels": s.issueLabels(r, i.Labels), "assignee": nil, "assignees": s.usersObj(i.Assignees), "milestone": nil,
		"locked": i.Locked, "active_lock_reason": nil, "comments": len(i.Comments), "closed_at": nil,
		"created_at": ts(i.CreatedAt), "updated_at": ts(i.UpdatedAt), "author_association": s.association(r, i.User)}
	if len(i.Assignees) > 0 {
		o["assignee"] = s.userObj(i.Assignees[0])
	}
	if i.ClosedAt != nil {
		o["closed_at"] = ts(*i.ClosedAt)
	}
	if i.PR != nil {
		pr := s.api + "/repos/" + r.fullName() + "/pulls/" + fmt.Sprint(i.Number)
		o["pull_request"] = obj{"url": pr, "html_url": o["html_url"], "diff_url": fmt.Sprint(o["html_url"], ".diff"), "patch_url": fmt.Sprint(o["html_url"], ".patch")}
		o["draft"] = i.PR.Draft
	}
	return o
}

func (s *Server) association(r *repo, login string) string {
	switch {
	case strings.EqualFold(login, r.Org):
		return "OWNER"
	case s.w.orgs[strings.ToLower(r.Org)] != nil && s.w.orgs[strings.ToLower(r.Org)].Members[strings.ToLower(login)] != "":
		return "MEMBER"
	case r.Collaborators[strings.ToLower(login)] != "":
		return "COLLABORATOR"
	}
	return "NONE"
}

func (s *Server) branchObj(r *repo, ref, sha string) obj {
	return obj{"label": r.Org + ":" + ref, "ref": ref, "sha": sha, "user": s.userObj(r.Org), "repo": s.repoObj(r)}
}

func (s *Server) pullObj(r *repo, i *issue) obj {
	o := s.issueObj(r, i)
	p := i.PR
	api := s.api + "/repos/" + r.fullName() + "/pulls/" + fmt.Sprint(i.Number)
	delete(o, "pull_request")
	delete(o, "labels_url")
	delete(o, "events_url")
	delete(o, "repository_url")
	delete(o, "comments")
	o["url"] = api
	o["diff_url"], o["patch_url"] = fmt.Sprint(o["html_url"], ".diff"), fmt.Sprint(o["html_url"], ".patch")
	o["issue_url"] = s.api + "/repos/" + r.fullName() + "/issues/" + fmt.Sprint(i.Number)
	o["commits_url"], o["review_comments_url"] = api+"/commits", api+"/comments"
	o["review_comment_url"] = s.api + "/repos/" + r.fullName() + "/pulls/comments{/number}"
	o["statuses_url"] = s.api + "/repos/" + r.fullName() + "/statuses/" + p.HeadSHA
	o["head"], o["base"] = s.branchObj(r, p.Head, p.HeadSHA), s.branchObj(r, p.Base, p.BaseSHA)
	o["requested_reviewers"], o["requested_teams"] = s.usersObj(p.RequestedReviewers), []obj{}
	o["merged"], o["merge_commit_sha"], o["merged_at"], o["merged_by"] = p.Merged, nil, nil, nil
	if p.Merged {
		o["merge_commit_sha"], o["merged_at"], o["merged_by"] = p.MergeSHA, ts(*p.MergedAt), s.userObj(p.MergedBy)
	}
	o["draft"] = p.Draft
	adds, dels := 0, 0
	for _, f := range p.Files {
		adds += f.Additions
		dels += f.Deletions
	}
	mergeable := !p.Merged && i.State == "open" && r.Git.mergeable(p.Base, p.HeadSHA)
	o["mergeable"], o["mergeable_state"], o["rebaseable"] = mergeable, map[bool]string{true: "clean", false: "dirty"}[mergeable], mergeable
	o["additions"], o["deletions"], o["changed_files"], o["commits"] = adds, dels, len(p.Files), 1
	o["comments"], o["review_comments"], o["maintainer_can_modify"] = len(i.Comments), 0, false
	o["auto_merge"], o["_links"] = nil, obj{"self": obj{"href": api}, "html": obj{"href": o["html_url"]}}
	return o
}

func (s *Server) commentObj(r *repo, c *comment, number int) obj {
	return obj{"id": c.ID, "node_id": fmt.Sprintf("IC_%d", c.ID), "url": s.api + "/repos/" + r.fullName() + "/issues/comments/" + fmt.Sprint(c.ID),
		"html_url": fmt.Sprintf("%s/%s/issues/%d#issuecomment-%d", s.base, r.fullName(), number, c.ID), "body": c.Body,
		"user": s.userObj(c.User), "created_at": ts(c.CreatedAt), "updated_at": ts(c.UpdatedAt),
		"issue_url": s.api + "/repos/" + r.fullName() + "/issues/" + fmt.Sprint(number), "author_association": s.association(r, c.User)}
}

func (s *Server) reviewObj(r *repo, number int, rv *review) obj {
	return obj{"id": rv.ID, "node_id": fmt.Sprintf("PRR_%d", rv.ID), "user": s.userObj(rv.User), "body": rv.Body, "state": rv.State,
		"html_url":         fmt.Sprintf("%s/%s/pull/%d#pullrequestreview-%d", s.base, r.fullName(), number, rv.ID),
		"pull_request_url": s.api + "/repos/" + r.fullName() + "/pulls/" + fmt.Sprint(number),
		"commit_id":        rv.CommitID, "submitted_at": ts(rv.SubmittedAt), "author_association": s.association(r, rv.User),
		"_links": obj{"html": obj{"href": ""}, "pull_request": obj{"href": ""}}}
}

func (s *Server) statusObj(st *status) obj {
	return obj{"id": st.ID, "node_id": fmt.Sprintf("SC_%d", st.ID), "url": "", "avatar_url": nil, "state": st.State,
		"description": st.Description, "target_url": st.TargetURL, "context": st.Context, "created_at": ts(st.CreatedAt),
		"updated_at": ts(st.UpdatedAt), "creator": s.userObj(st.Creator)}
}
