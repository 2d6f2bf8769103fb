package sandbox

import (
	"fmt"
	"sort"
	"strings"
)

func (t *tx) issueAPI(i *issue) string {
	return fmt.Sprintf("%s/issues/%d", t.repoAPI(i.Repo), i.Number)
}

func (t *tx) issueWeb(i *issue) string {
	kind := "issues"
	if i.PR != nil {
		kind = "pull"
	}
	return fmt.Sprintf("%s/%s/%d", t.repoWeb(i.Repo), kind, i.Number)
}

func (t *tx) pullAPI(i *issue) string { return fmt.Sprintf("%s/pulls/%d", t.repoAPI(i.Repo), i.Number) }

// sortedLabels are an issue's labels by name, as GitHub lists them.
func sortedLabels(labels []*label) []*label {
	out := append([]*label(nil), labels...)
	sort.SliceStable(out, func(a, b int) bool { return strings.ToLower(out[a].Name) < strings.ToLower(out[b].Name) })
	return out
}

// reactionsObj is a reaction-rollup with no reactions.
func reactionsObj(api string) obj {
	return obj{"url": api + "/reactions", "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0}
}

// issueObj is an issue; pull requests carry a pull_request key.
func (t *tx) issueObj(i *issue) obj {
	rp, api, web := i.Repo, t.issueAPI(i), t.issueWeb(i)
	o := obj{"id": i.ID, "node_id": nodeID("I", i.ID), "url": api, "repository_url": t.repoAPI(rp), "labels_url": api + "/labels{/name}",
		"comments_url": api + "/comments", "events_url": api + "/events", "timeline_url": api + "/timeline", "html_url": web,
		"number": i.Number, "state": i.State, "state_reason": nilIfEmpty(i.StateReason), "title": i.Title, "body": nilIfEmpty(i.Body),
		"user": t.userObj(i.Author), "labels": t.labelsObj(rp, sortedLabels(i.Labels)), "assignee": nil, "assignees": t.usersObj(i.Assignees),
		"milestone": t.milestoneObj(rp, i.Milestone), "locked": i.Locked, "active_lock_reason": nil, "comments": len(i.Comments),
		"closed_at": tsOrNil(i.ClosedAt), "closed_by": t.userObjOrNil(i.ClosedBy), "created_at": ts(i.CreatedAt), "updated_at": ts(i.UpdatedAt),
		"author_association": t.w.association(rp, i.Author), "performed_via_github_app": nil, "reactions": reactionsObj(api)}
	if len(i.Assignees) > 0 {
		o["assignee"] = t.userObj(i.Assignees[0])
	}
	if i.PR != nil {
		o["draft"] = i.PR.Draft
		o["pull_request"] = obj{"url": t.pullAPI(i), "html_url": web, "diff_url": web + ".diff", "patch_url": web + ".patch",
			"merged_at": tsOrNil(i.PR.MergedAt)}
	}
	return o
}

// baseSHA is the base of a pull request: the base branch's tip while it
// is open, the tip when it closed after.
func (t *tx) baseSHA(i *issue) string {
	if sha, ok := i.Repo.Branches[i.PR.Base]; ok && i.State == "open" {
		return sha
	}
	return i.PR.BaseSHA
}

func (t *tx) branchRefObj(rp *repo, branch, sha string) obj {
	return obj{"label": rp.Owner + ":" + branch, "ref": branch, "sha": sha, "user": t.userObj(rp.Owner), "repo": t.repoObj(rp)}
}

// pullObj is a pull-request-simple, or with full set a pull-request with
// the counts and mergeability git computes.
func (t *tx) pullObj(i *issue, full bool) obj { return t.pullObjAsking(i, full, true) }

// pullObjAsking is pullObj; unless ask is set (webhooks) it shows
// mergeability without asking for it (see Options.LazyMergeable).
func (t *tx) pullObjAsking(i *issue, full, ask bool) obj {
	rp, p, api, web := i.Repo, i.PR, t.pullAPI(i), t.issueWeb(i)
	o := t.issueObj(i)
	for _, k := range []string{"pull_request", "repository_url", "labels_url", "events_url", "timeline_url", "comments", "reactions", "closed_by", "state_reason", "performed_via_github_app"} {
		delete(o, k)
	}
	base := t.baseSHA(i)
	o["url"], o["issue_url"], o["diff_url"], o["patch_url"] = api, t.issueAPI(i), web+".diff", web+".patch"
	o["commits_url"], o["review_comments_url"], o["comments_url"] = api+"/commits", api+"/comments", t.issueAPI(i)+"/comments"
	o["review_comment_url"], o["statuses_url"] = t.repoAPI(rp)+"/pulls/comments{/number}", t.repoAPI(rp)+"/statuses/"+p.HeadSHA
	o["head"], o["base"] = t.branchRefObj(rp, p.Head, p.HeadSHA), t.branchRefObj(rp, p.Base, base)
	o["requested_reviewers"], o["requested_teams"] = t.usersObj(p.RequestedReviewers), t.requestedTeamsObj(rp, p.RequestedTeams)
	o["merged_at"], o["merge_commit_sha"], o["auto_merge"], o["draft"] = tsOrNil(p.MergedAt), nilIfEmpty(p.MergeSHA), nil, p.Draft
	link := func(href string) obj { return obj{"href": href} }
	o["_links"] = obj{"self": link(api), "html": link(web), "issue": link(t.issueAPI(i)), "comments": link(t.issueAPI(i) + "/comments"),
		"review_comments": link(api + "/comments"), "review_comment": link(t.repoAPI(rp) + "/pulls/comments{/number}"),
		"commits": link(api + "/commits"), "statuses": link(t.repoAPI(rp) + "/statuses/" + p.HeadSHA)}
	if !full {
		return o
	}
	files, _ := rp.Git.diff(t.ctx, base, p.HeadSHA)      // a git failure shows as no files
	commits, _ := rp.Git.log(t.ctx, p.HeadSHA, "^"+base) // and no commits
	adds, dels := 0, 0
	for _, f := range files {
		adds, dels = adds+f.Additions, dels+f.Deletions
	}
	o["additions"], o["deletions"], o["changed_files"], o["commits"] = adds, dels, len(files), len(commits)
	o["comments"], o["review_comments"], o["maintainer_can_modify"] = len(i.Comments), len(p.ReviewComments), p.MaintainerCanEdit
	o["merged"], o["merged_by"] = p.Merged, t.userObjOrNil(p.MergedBy)
	o["mergeable"], o["rebaseable"], o["mergeable_state"] = nil, nil, "unknown"
	if i.State != "open" {
		return o
	}
	if ok, state := t.mergeState(i, ask); ok != nil {
		o["mergeable"], o["rebaseable"], o["mergeable_state"] = *ok, *ok, state
	}
	return o
}

// mergeState is an open pull request's mergeability (nil while it is not
// known) and GitHub's merge state: clean, dirty, blocked (by branch
// protection), behind (a strict branch moved on), draft or unknown.
func (t *tx) mergeState(i *issue, ask bool) (*bool, string) {
	ok := t.mergeable(i, ask)
	switch {
	case ok == nil:
		return nil, "unknown"
	case !*ok:
		return ok, "dirty"
	case i.PR.Draft:
		return ok, "draft"
	}
	if _, blocked := t.protectionProblem(i); blocked != "" {
		return ok, blocked
	}
	return ok, "clean"
}

func (t *tx) requestedTeamsObj(rp *repo, slugs []string) []obj {
	out := []obj{}
	if o := t.w.org(rp.Owner); o != nil {
		for _, s := range slugs {
			if tm := o.Teams[s]; tm != nil {
				out = append(out, t.teamObj(tm, false))
			}
		}
	}
	return out
}

// commentObj is an issue-comment.
func (t *tx) commentObj(c *comment) obj {
	rp := c.Issue.Repo
	api := fmt.Sprintf("%s/issues/comments/%d", t.repoAPI(rp), c.ID)
	return obj{"id": c.ID, "node_id": nodeID("IC", c.ID), "url": api, "html_url": fmt.Sprintf("%s#issuecomment-%d", t.issueWeb(c.Issue), c.ID),
		"body": c.Body, "user": t.userObj(c.Author), "created_at": ts(c.CreatedAt), "updated_at": ts(c.UpdatedAt),
		"issue_url": t.issueAPI(c.Issue), "author_association": t.w.association(rp, c.Author), "performed_via_github_app": nil,
		"reactions": reactionsObj(api)}
}

// reviewObj is a pull-request-review.
func (t *tx) reviewObj(i *issue, rv *review) obj {
	web := fmt.Sprintf("%s#pullrequestreview-%d", t.issueWeb(i), rv.ID)
	o := obj{"id": rv.ID, "node_id": nodeID("PRR", rv.ID), "user": t.userObj(rv.Author), "body": rv.Body, "state": rv.State,
		"html_url": web, "pull_request_url": t.pullAPI(i), "commit_id": rv.CommitID, "author_association": t.w.association(i.Repo, rv.Author),
		"_links": obj{"html": obj{"href": web}, "pull_request": obj{"href": t.pullAPI(i)}}}
	if rv.State != "PENDING" {
		o["submitted_at"] = ts(rv.SubmittedAt)
	}
	return o
}

// reviewCommentObj is a pull-request-review-comment.
func (t *tx) reviewCommentObj(rc *reviewComment) obj {
	i := rc.Issue
	api := fmt.Sprintf("%s/pulls/comments/%d", t.repoAPI(i.Repo), rc.ID)
	web := fmt.Sprintf("%s#discussion_r%d", t.issueWeb(i), rc.ID)
	o := obj{"url": api, "id": rc.ID, "node_id": nodeID("PRRC", rc.ID), "pull_request_review_id": rc.ReviewID, "diff_hunk": rc.DiffHunk,
		"path": rc.Path, "commit_id": rc.CommitID, "original_commit_id": rc.CommitID, "user": t.userObj(rc.Author), "body": rc.Body,
		"created_at": ts(rc.CreatedAt), "updated_at": ts(rc.UpdatedAt), "html_url": web, "pull_request_url": t.pullAPI(i),
		"author_association": t.w.association(i.Repo, rc.Author), "line": rc.Line, "original_line": rc.Line, "side": rc.Side,
		"start_line": nil, "original_start_line": nil, "start_side": nil, "subject_type": "line", "position": rc.Line, "original_position": rc.Line,
		"reactions": reactionsObj(api),
		"_links":    obj{"self": obj{"href": api}, "html": obj{"href": web}, "pull_request": obj{"href": t.pullAPI(i)}}}
	if rc.InReplyTo != 0 {
		o["in_reply_to_id"] = rc.InReplyTo
	}
	return o
}
