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

// fullUserObj is the user as /user and /users/{login} show it: public for
// others, private (with plan-like counters) for oneself.
func (s *Server) fullUserObj(login string, self bool) obj {
	o := s.userObj(login)
	name := any(nil)
	if u, ok := s.w.user(login); ok && u.Name != "" {
		name = u.Name
	}
	o["name"], o["company"], o["blog"], o["location"], o["email"], o["hireable"], o["bio"] = name, nil, "", nil, nil, nil, nil
	o["public_repos"], o["public_gists"], o["followers"], o["following"] = 0, 0, 0, 0
	o["created_at"], o["updated_at"] = ts(time.Unix(1500000000, 0)), ts(time.Unix(1500000000, 0))
	o["user_view_type"] = "public"
	if self {
		o["user_view_type"] = "private"
		o["private_gists"], o["total_private_repos"], o["owned_private_repos"], o["disk_usage"], o["collaborators"] = 0, 0, 0, 0, 0
		o["two_factor_authentication"] = true
	}
	return o
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
	open := 0
	for _, i := range r.Issues {
		if i.State == "open" {
			open++
		}
	}
	o := obj{"id": r.ID, "node_id": fmt.Sprintf("R_%d", r.ID), "name": r.Name, "full_name": r.fullName(), "owner": owner,
		"private": r.Private, "html_url": s.base + "/" + r.fullName(), "description": nil, "fork": false, "url": api,
		"clone_url": s.base + "/" + r.fullName() + ".git", "git_url": s.base + "/" + r.fullName() + ".git",
		"ssh_url": "git@sandbox:" + r.fullName() + ".git", "svn_url": s.base + "/" + r.fullName(), "mirror_url": nil,
		"homepage": nil, "language": nil, "license": nil, "size": 0, "default_branch": r.DefaultBranch,
		"archived": false, "disabled": false, "has_issues": true, "has_projects": false, "has_wiki": false, "has_pages": false,
		"has_downloads": false, "has_discussions": false, "forks": 0, "forks_count": 0, "watchers": 0, "watchers_count": 0,
		"stargazers_count": 0, "open_issues": open, "open_issues_count": open, "network_count": 0, "subscribers_count": 0,
		"visibility": map[bool]string{true: "private", false: "public"}[r.Private],
		"created_at": ts(r.CreatedAt), "updated_at": ts(r.CreatedAt), "pushed_at": ts(r.CreatedAt)}
	for _, k := range []string{"archive_url:/{archive_format}{/ref}", "assignees_url:/assignees{/user}", "blobs_url:/git/blobs{/sha}",
		"branches_url:/branches{/branch}", "collaborators_url:/collaborators{/collaborator}", "comments_url:/comments{/number}",
		"commits_url:/commits{/sha}", "compare_url:/compare/{base}...{head}", "contents_url:/contents/{+path}",
		"contributors_url:/contributors", "deployments_url:/deployments", "downloads_url:/downloads", "events_url:/events",
		"forks_url:/forks", "git_commits_url:/git/commits{/sha}", "git_refs_url:/git/refs{/sha}", "git_tags_url:/git/tags{/sha}",
		"hooks_url:/hooks", "issue_comment_url:/issues/comments{/number}", "issue_events_url:/issues/events{/number}",
		"issues_url:/issues{/number}", "keys_url:/keys{/key_id}", "labels_url:/labels{/name}", "languages_url:/languages",
		"merges_url:/merges", "milestones_url:/milestones{/number}", "notifications_url:/notifications{?since,all,participating}",
		"pulls_url:/pulls{/number}", "releases_url:/releases{/id}", "stargazers_url:/stargazers", "statuses_url:/statuses/{sha}",
		"subscribers_url:/subscribers", "subscription_url:/subscription", "tags_url:/tags", "teams_url:/teams", "trees_url:/git/trees{/sha}"} {
		name, suffix, _ := strings.Cut(k, ":")
		o[name] = api + suffix
	}
	return o
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
	link := func(u any) obj { return obj{"href": u} }
	o["auto_merge"], o["_links"] = nil, obj{"self": link(api), "html": link(o["html_url"]), "issue": link(o["issue_url"]),
		"comments": link(o["issue_url"].(string) + "/comments"), "review_comments": link(api + "/comments"),
		"review_comment": link(o["review_comment_url"]), "commits": link(api + "/commits"), "statuses": link(o["statuses_url"])}
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
