package sandbox

import (
	"fmt"
	"strings"

	"github.com/prowbot/prow/prow/mapkeys"
)

// maxPushCommits is how many commits a push payload lists, as on GitHub.
const maxPushCommits = 20

// emit queues a webhook about rp: what every payload carries
// (repository, sender, organization, installation, action) plus fields.
func (t *tx) emit(rp *repo, event, action string, fields obj) {
	repository := t.repoObj(rp)
	delete(repository, "permissions")
	delete(repository, "role_name")
	sender := t.login()
	if sender == "" {
		sender = rp.Owner
	}
	p := obj{"repository": repository, "sender": t.userObj(sender)}
	if action != "" {
		p["action"] = action
	}
	if o := t.w.org(rp.Owner); o != nil {
		p["organization"] = t.orgObj(o)
	}
	if id := t.s.opts.InstallationID; id != 0 {
		p["installation"] = obj{"id": id, "node_id": nodeID("IN", id)}
	}
	for k, v := range fields {
		p[k] = v
	}
	t.events = append(t.events, outgoing{event: event, action: action, payload: p})
}

// issueEvent sends issues, or pull_request for a pull request, about i.
func (t *tx) issueEvent(i *issue, action string, fields obj) {
	if fields == nil {
		fields = obj{}
	}
	if i.PR == nil {
		fields["issue"] = t.issueObj(i)
		t.emit(i.Repo, "issues", action, fields)
		return
	}
	fields["number"], fields["pull_request"] = i.Number, t.pullObjAsking(i, true, false)
	t.emit(i.Repo, "pull_request", action, fields)
}

func (t *tx) commentEvent(c *comment, action string, changes obj) {
	fields := obj{"issue": t.issueObj(c.Issue), "comment": t.commentObj(c)}
	if changes != nil {
		fields["changes"] = changes
	}
	t.emit(c.Issue.Repo, "issue_comment", action, fields)
}

func (t *tx) reviewEvent(i *issue, rv *review, action string) {
	review := t.reviewObj(i, rv)
	review["state"] = strings.ToLower(rv.State) // webhooks, unlike the API, write it in lower case
	t.emit(i.Repo, "pull_request_review", action, obj{"review": review, "pull_request": t.pullObj(i, false)})
}

func (t *tx) reviewCommentEvent(rc *reviewComment, action string) {
	t.emit(rc.Issue.Repo, "pull_request_review_comment", action, obj{"comment": t.reviewCommentObj(rc), "pull_request": t.pullObj(rc.Issue, false)})
}

func (t *tx) statusEvent(rp *repo, st *status) {
	var commit any
	if c, err := rp.Git.commit(t.ctx, st.SHA); err == nil {
		commit = t.commitObj(rp, c)
	}
	branches := []obj{}
	for _, name := range mapkeys.Sorted(rp.Branches) {
		if rp.Branches[name] == st.SHA {
			branches = append(branches, t.branchShortObj(rp, name))
		}
	}
	t.emit(rp, "status", "", obj{"id": st.ID, "sha": st.SHA, "name": rp.fullName(), "target_url": nilIfEmpty(st.TargetURL),
		"context": st.Context, "description": nilIfEmpty(st.Description), "state": st.State, "commit": commit, "branches": branches,
		"created_at": ts(st.CreatedAt), "updated_at": ts(st.UpdatedAt)})
}

func (t *tx) checkRunEvent(rp *repo, cr *checkRun, action string) {
	run := t.checkRunObj(rp, cr)
	suite := obj{"id": cr.ID, "head_sha": cr.HeadSHA, "head_branch": nil, "status": cr.Status, "conclusion": nilIfEmpty(cr.Conclusion),
		"url": fmt.Sprintf("%s/check-suites/%d", t.repoAPI(rp), cr.ID), "before": nil, "after": cr.HeadSHA, "app": nil,
		"pull_requests": run["pull_requests"], "created_at": ts(cr.StartedAt), "updated_at": ts(cr.StartedAt)}
	for _, name := range mapkeys.Sorted(rp.Branches) {
		if rp.Branches[name] == cr.HeadSHA {
			suite["head_branch"] = name
		}
	}
	run["check_suite"] = suite
	t.emit(rp, "check_run", action, obj{"check_run": run})
}

// pushEvent sends push for branch moving from before to after (zeroSHA
// for a created or deleted branch).
func (t *tx) pushEvent(rp *repo, branch, before, after string, forced bool) {
	var commits []commitInfo
	switch {
	case after == zeroSHA:
	case before == zeroSHA && branch != rp.DefaultBranch:
		commits, _ = rp.Git.log(t.ctx, "--reverse", after, "^"+rp.Branches[rp.DefaultBranch])
	case before == zeroSHA:
		commits, _ = rp.Git.log(t.ctx, "--reverse", "-n", fmt.Sprint(maxPushCommits), after)
	default:
		commits, _ = rp.Git.log(t.ctx, "--reverse", after, "^"+before)
	}
	if len(commits) > maxPushCommits {
		commits = commits[len(commits)-maxPushCommits:]
	}
	list := make([]obj, 0, len(commits))
	for _, c := range commits {
		list = append(list, t.pushCommitObj(rp, c))
	}
	var head any
	switch {
	case len(list) > 0:
		head = list[len(list)-1]
	case after != zeroSHA:
		if c, err := rp.Git.commit(t.ctx, after); err == nil {
			head = t.pushCommitObj(rp, c)
		}
	}
	pusher := t.w.signatureOf(firstNonEmpty(t.login(), rp.Owner), t.w.now())
	t.emit(rp, "push", "", obj{"ref": "refs/heads/" + branch, "before": before, "after": after, "created": before == zeroSHA,
		"deleted": after == zeroSHA, "forced": forced, "base_ref": nil, "commits": list, "head_commit": head,
		"compare": fmt.Sprintf("%s/compare/%s...%s", t.repoWeb(rp), before[:12], after[:12]),
		"pusher":  obj{"name": firstNonEmpty(t.login(), rp.Owner), "email": pusher.Email}})
	// The push payload's repository differs from the API's: the owner has
	// a name and an email, and times are Unix seconds.
	p := t.events[len(t.events)-1].payload
	repository := p["repository"].(obj)
	owner := repository["owner"].(obj)
	owner["name"], owner["email"] = owner["login"], nil
	repository["created_at"], repository["pushed_at"] = rp.CreatedAt.Unix(), rp.PushedAt.Unix()
	repository["master_branch"], repository["stargazers"] = rp.DefaultBranch, 0
}

// pushCommitObj is a commit as push payloads list it, with the paths it
// added, removed and modified.
func (t *tx) pushCommitObj(rp *repo, c commitInfo) obj {
	added, removed, modified, _ := rp.Git.changedPaths(t.ctx, c) // a git failure lists no paths
	person := func(s signature) obj {
		return obj{"name": s.Name, "email": s.Email, "username": t.loginByEmail(s.Email), "date": ts(s.When)}
	}
	return obj{"id": c.SHA, "tree_id": c.Tree, "distinct": true, "message": c.Message, "timestamp": ts(c.Committer.When),
		"url": t.repoWeb(rp) + "/commit/" + c.SHA, "author": person(c.Author), "committer": person(c.Committer),
		"added": orEmpty(added), "removed": orEmpty(removed), "modified": orEmpty(modified)}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// eventSummary names a delivery in logs: event.action.
func eventSummary(event, action string) string {
	return strings.TrimSuffix(event+"."+action, ".")
}
