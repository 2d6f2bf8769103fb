package sandbox

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"path"
	"strings"
)

// repoURLs are the URL templates every repository object carries.
var repoURLs = [][2]string{{"archive_url", "/{archive_format}{/ref}"}, {"assignees_url", "/assignees{/user}"},
	{"blobs_url", "/git/blobs{/sha}"}, {"branches_url", "/branches{/branch}"}, {"collaborators_url", "/collaborators{/collaborator}"},
	{"comments_url", "/comments{/number}"}, {"commits_url", "/commits{/sha}"}, {"compare_url", "/compare/{base}...{head}"},
	{"contents_url", "/contents/{+path}"}, {"contributors_url", "/contributors"}, {"deployments_url", "/deployments"},
	{"downloads_url", "/downloads"}, {"events_url", "/events"}, {"forks_url", "/forks"}, {"git_commits_url", "/git/commits{/sha}"},
	{"git_refs_url", "/git/refs{/sha}"}, {"git_tags_url", "/git/tags{/sha}"}, {"hooks_url", "/hooks"},
	{"issue_comment_url", "/issues/comments{/number}"}, {"issue_events_url", "/issues/events{/number}"}, {"issues_url", "/issues{/number}"},
	{"keys_url", "/keys{/key_id}"}, {"labels_url", "/labels{/name}"}, {"languages_url", "/languages"}, {"merges_url", "/merges"},
	{"milestones_url", "/milestones{/number}"}, {"notifications_url", "/notifications{?since,all,participating}"},
	{"pulls_url", "/pulls{/number}"}, {"releases_url", "/releases{/id}"}, {"stargazers_url", "/stargazers"},
	{"statuses_url", "/statuses/{sha}"}, {"subscribers_url", "/subscribers"}, {"subscription_url", "/subscription"},
	{"tags_url", "/tags"}, {"teams_url", "/teams"}, {"trees_url", "/git/trees{/sha}"}}

func (t *tx) repoAPI(rp *repo) string { return t.links.api + "/repos/" + rp.fullName() }

func (t *tx) repoWeb(rp *repo) string { return t.links.web + "/" + rp.fullName() }

// repoObj is a full-repository, which also satisfies repository,
// minimal-repository and team-repository; with the actor's permissions.
func (t *tx) repoObj(rp *repo) obj {
	api, web := t.repoAPI(rp), t.repoWeb(rp)
	open := 0
	for _, i := range rp.Issues {
		if i.State == "open" {
			open++
		}
	}
	visibility := "public"
	if rp.Private {
		visibility = "private"
	}
	o := obj{"id": rp.ID, "node_id": nodeID("R", rp.ID), "name": rp.Name, "full_name": rp.fullName(), "owner": t.userObj(rp.Owner),
		"private": rp.Private, "visibility": visibility, "html_url": web, "description": nil, "fork": false, "url": api,
		"clone_url": web + ".git", "git_url": strings.Replace(web, "http", "git", 1) + ".git", "ssh_url": "git@sandbox:" + rp.fullName() + ".git",
		"svn_url": web, "mirror_url": nil, "homepage": nil, "language": nil, "license": nil, "size": 0, "default_branch": rp.DefaultBranch,
		"archived": false, "disabled": false, "is_template": false, "topics": []string{}, "has_issues": true, "has_projects": false,
		"has_wiki": false, "has_pages": false, "has_downloads": false, "has_discussions": false, "forks": 0, "forks_count": 0,
		"watchers": 0, "watchers_count": 0, "stargazers_count": 0, "open_issues": open, "open_issues_count": open, "network_count": 0,
		"subscribers_count": 0, "allow_merge_commit": true, "allow_squash_merge": true, "allow_rebase_merge": true,
		"created_at": ts(rp.CreatedAt), "updated_at": ts(rp.PushedAt), "pushed_at": ts(rp.PushedAt)}
	for _, u := range repoURLs {
		o[u[0]] = api + u[1]
	}
	if t.actor != nil {
		p := t.w.permission(rp, t.login())
		o["permissions"], o["role_name"] = permissionFlags(p), p
	}
	return o
}

func (t *tx) labelObj(rp *repo, l *label) obj {
	return obj{"id": l.ID, "node_id": nodeID("LA", l.ID), "url": t.repoAPI(rp) + "/labels/" + url.PathEscape(l.Name),
		"name": l.Name, "color": l.Color, "description": l.Description, "default": false}
}

func (t *tx) labelsObj(rp *repo, labels []*label) []obj {
	out := make([]obj, 0, len(labels))
	for _, l := range labels {
		out = append(out, t.labelObj(rp, l))
	}
	return out
}

func (t *tx) milestoneObj(rp *repo, m *milestone) any {
	if m == nil {
		return nil
	}
	open, closed := 0, 0
	for _, i := range rp.Issues {
		if i.Milestone != m {
			continue
		}
		if i.State == "open" {
			open++
		} else {
			closed++
		}
	}
	api := fmt.Sprintf("%s/milestones/%d", t.repoAPI(rp), m.Number)
	return obj{"url": api, "html_url": fmt.Sprintf("%s/milestone/%d", t.repoWeb(rp), m.Number), "labels_url": api + "/labels",
		"id": m.ID, "node_id": nodeID("MI", m.ID), "number": m.Number, "state": m.State, "title": m.Title,
		"description": nilIfEmpty(m.Description), "creator": t.userObj(m.Creator), "open_issues": open, "closed_issues": closed,
		"created_at": ts(m.CreatedAt), "updated_at": ts(m.UpdatedAt), "closed_at": tsOrNil(m.ClosedAt), "due_on": nil}
}

// branchShortObj is a short-branch, as branch lists show it.
func (t *tx) branchShortObj(rp *repo, name string) obj {
	sha := rp.Branches[name]
	return obj{"name": name, "commit": obj{"sha": sha, "url": t.repoAPI(rp) + "/commits/" + sha}, "protected": rp.Protection[name] != nil}
}

// refObj is a git-ref.
func (t *tx) refObj(rp *repo, ref, sha string) obj {
	return obj{"ref": ref, "node_id": "REF_" + base64.RawStdEncoding.EncodeToString([]byte(rp.fullName()+":"+ref)),
		"url": t.repoAPI(rp) + "/git/" + ref, "object": obj{"type": "commit", "sha": sha, "url": t.repoAPI(rp) + "/git/commits/" + sha}}
}

// contentObj is a content-file (with content) or a directory entry.
func (t *tx) contentObj(rp *repo, ref string, e treeEntry, content []byte) obj {
	typ := map[string]string{"blob": "file", "tree": "dir", "commit": "submodule"}[e.Type]
	if e.Mode == "120000" {
		typ = "symlink"
	}
	self := t.repoAPI(rp) + "/contents/" + e.Path + "?ref=" + url.QueryEscape(ref)
	gitURL := t.repoAPI(rp) + "/git/" + map[bool]string{true: "trees/", false: "blobs/"}[e.Type == "tree"] + e.SHA
	html := t.repoWeb(rp) + "/" + map[bool]string{true: "tree/", false: "blob/"}[e.Type == "tree"] + ref + "/" + e.Path
	var download any
	if typ == "file" {
		download = t.links.web + "/raw/" + rp.fullName() + "/" + ref + "/" + e.Path
	}
	o := obj{"type": typ, "size": e.Size, "name": path.Base(e.Path), "path": e.Path, "sha": e.SHA, "url": self,
		"git_url": gitURL, "html_url": html, "download_url": download, "_links": obj{"self": self, "git": gitURL, "html": html}}
	if content != nil {
		o["encoding"], o["content"] = "base64", wrapBase64(content)
	}
	return o
}

// wrapBase64 encodes as GitHub does: lines of 60 characters.
func wrapBase64(data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 60 {
		b.WriteString(enc[:60] + "\n")
		enc = enc[60:]
	}
	b.WriteString(enc + "\n")
	return b.String()
}

// gitUserObj is a commit's author or committer as git knows them.
func gitUserObj(s signature) obj {
	return obj{"name": s.Name, "email": s.Email, "date": ts(s.When)}
}

// commitObj is a commit, as pull request commit lists show it.
func (t *tx) commitObj(rp *repo, c commitInfo) obj {
	api := t.repoAPI(rp)
	parents := make([]obj, 0, len(c.Parents))
	for _, p := range c.Parents {
		parents = append(parents, obj{"sha": p, "url": api + "/commits/" + p, "html_url": t.repoWeb(rp) + "/commit/" + p})
	}
	return obj{"sha": c.SHA, "node_id": "C_" + c.SHA[:12], "url": api + "/commits/" + c.SHA, "html_url": t.repoWeb(rp) + "/commit/" + c.SHA,
		"comments_url": api + "/commits/" + c.SHA + "/comments", "parents": parents,
		"author": t.userObjOrNil(t.loginByEmail(c.Author.Email)), "committer": t.userObjOrNil(t.loginByEmail(c.Committer.Email)),
		"commit": obj{"url": api + "/git/commits/" + c.SHA, "author": gitUserObj(c.Author), "committer": gitUserObj(c.Committer),
			"message": c.Message, "comment_count": 0, "tree": obj{"sha": c.Tree, "url": api + "/git/trees/" + c.Tree},
			"verification": obj{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil, "verified_at": nil}}}
}

// loginByEmail finds the user whose commits carry email, "" for none.
func (t *tx) loginByEmail(email string) string {
	for _, u := range t.w.users {
		if t.w.signatureOf(u.Login, t.w.now()).Email == email {
			return u.Login
		}
	}
	return ""
}

func (t *tx) statusObj(rp *repo, st *status) obj {
	return obj{"id": st.ID, "node_id": nodeID("SC", st.ID), "url": t.repoAPI(rp) + "/statuses/" + st.SHA,
		"avatar_url": nil, "state": st.State, "description": nilIfEmpty(st.Description), "target_url": nilIfEmpty(st.TargetURL),
		"context": st.Context, "created_at": ts(st.CreatedAt), "updated_at": ts(st.UpdatedAt), "creator": t.userObj(st.Creator)}
}

func (t *tx) checkRunObj(rp *repo, cr *checkRun) obj {
	api := fmt.Sprintf("%s/check-runs/%d", t.repoAPI(rp), cr.ID)
	return obj{"id": cr.ID, "node_id": nodeID("CR", cr.ID), "name": cr.Name, "head_sha": cr.HeadSHA, "status": cr.Status,
		"conclusion": nilIfEmpty(cr.Conclusion), "details_url": cr.DetailsURL, "external_id": cr.ExternalID,
		"html_url": fmt.Sprintf("%s/runs/%d", t.repoWeb(rp), cr.ID), "url": api, "started_at": ts(cr.StartedAt),
		"completed_at": tsOrNil(cr.CompletedAt), "check_suite": obj{"id": cr.ID}, "app": t.checkRunApp(cr), "pull_requests": t.pullRefsFor(rp, cr.HeadSHA),
		"output": obj{"title": nilIfEmpty(cr.Title), "summary": nilIfEmpty(cr.Summary), "text": nilIfEmpty(cr.Text),
			"annotations_count": len(cr.Annotations), "annotations_url": api + "/annotations"}}
}

// pullRefsFor lists the open pull requests whose head is sha, as
// pull-request-minimal objects.
func (t *tx) pullRefsFor(rp *repo, sha string) []obj {
	out := []obj{}
	for _, i := range rp.sortedIssues() {
		if i.PR == nil || i.State != "open" || i.PR.HeadSHA != sha {
			continue
		}
		mini := obj{"id": rp.ID, "url": t.repoAPI(rp), "name": rp.Name}
		out = append(out, obj{"id": i.ID, "number": i.Number, "url": fmt.Sprintf("%s/pulls/%d", t.repoAPI(rp), i.Number),
			"head": obj{"ref": i.PR.Head, "sha": i.PR.HeadSHA, "repo": mini},
			"base": obj{"ref": i.PR.Base, "sha": t.baseSHA(i), "repo": mini}})
	}
	return out
}
