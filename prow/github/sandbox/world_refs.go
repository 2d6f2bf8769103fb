package sandbox

import (
	"fmt"
	"strings"

	"github.com/prowbot/prow/prow/mapkeys"
)

// setBranch points branch at sha (deletes it when sha is zeroSHA), with
// the webhooks that follow. Unless force is set the move must be a fast
// forward.
func (t *tx) setBranch(rp *repo, branch, sha string, force bool) error {
	before, exists := rp.Branches[branch]
	if !exists {
		before = zeroSHA
	}
	forced := before != zeroSHA && sha != zeroSHA && !rp.Git.isAncestor(t.ctx, before, sha)
	if forced && !force {
		return errUnprocessable("Update is not a fast forward")
	}
	update := refUpdate{Ref: "refs/heads/" + branch, New: sha, Old: before}
	if sha == zeroSHA {
		update.New = ""
	}
	if err := rp.Git.updateRefs(t.ctx, update); err != nil {
		return fmt.Errorf("move branch %s of %s: %w", branch, rp.fullName(), err)
	}
	return t.branchMoved(rp, branch, before, sha, forced)
}

// branchMoved records a branch's move (already made in git) and sends
// push, then synchronize for each open pull request whose head it is.
func (t *tx) branchMoved(rp *repo, branch, before, after string, forced bool) error {
	if after == zeroSHA {
		delete(rp.Branches, branch)
	} else {
		rp.Branches[branch] = after
	}
	rp.PushedAt = t.w.now()
	t.pushEvent(rp, branch, before, after, forced)
	if after == zeroSHA {
		return nil
	}
	for _, i := range rp.openPullsWith(branch, true) {
		old := i.PR.HeadSHA
		if err := rp.Git.updateRefs(t.ctx, refUpdate{Ref: fmt.Sprintf("refs/pull/%d/head", i.Number), New: after}); err != nil {
			return fmt.Errorf("update the head of %s#%d: %w", rp.fullName(), i.Number, err)
		}
		i.PR.HeadSHA, i.UpdatedAt = after, t.w.now()
		t.issueEvent(i, "synchronize", obj{"before": old, "after": after})
		t.dismissStaleApprovals(i)
		if err := t.pullWorkflows(i); err != nil {
			return err
		}
	}
	return nil
}

// commitFiles commits files on branch (creating it from base, or the
// default branch, when missing) as the actor, returning the new tip.
func (t *tx) commitFiles(rp *repo, branch, base string, files FileChanges, message string) (string, error) {
	for path := range files {
		if problem := pathProblem(path); problem != "" {
			return "", errInvalid("Commit", "files", "invalid", fmt.Sprintf("path %q %s", path, problem))
		}
	}
	if problem := refNameProblem(branch); problem != "" {
		return "", errInvalid("Commit", "branch", "invalid", fmt.Sprintf("branch %q %s", branch, problem))
	}
	parent, exists := rp.Branches[branch]
	if !exists {
		parent, exists = rp.Branches[firstNonEmpty(base, rp.DefaultBranch)]
		if !exists {
			return "", errInvalid("Commit", "base", "invalid", fmt.Sprintf("base branch %q does not exist", base))
		}
	}
	who := t.w.signatureOf(firstNonEmpty(t.login(), rp.Owner), t.w.now())
	script := &importScript{}
	mark := script.commit("refs/sandbox/scratch", parent, files, firstNonEmpty(message, "Update "+branch), who, who)
	marks, err := rp.Git.fastImport(t.ctx, script)
	if err != nil {
		return "", fmt.Errorf("commit on %s of %s: %w", branch, rp.fullName(), err)
	}
	if err := rp.Git.updateRefs(t.ctx, refUpdate{Ref: "refs/sandbox/scratch"}); err != nil {
		return "", err
	}
	sha := marks[mark]
	return sha, t.setBranch(rp, branch, sha, false)
}

// refsUnder lists the refs of rp under prefix (a full ref or its start),
// sorted.
func (t *tx) refsUnder(rp *repo, prefix string) ([][2]string, error) {
	refs, err := rp.Git.refs(t.ctx, "refs/")
	if err != nil {
		return nil, err
	}
	var out [][2]string
	for _, ref := range mapkeys.Sorted(refs) {
		if strings.HasPrefix(ref, prefix) && !strings.HasPrefix(ref, "refs/sandbox/") {
			out = append(out, [2]string{ref, refs[ref]})
		}
	}
	return out, nil
}

// createRef creates refs/heads/* or refs/tags/* at sha.
func (t *tx) createRef(rp *repo, ref, sha string) error {
	if err := t.need(rp, "write"); err != nil {
		return err
	}
	kind, name, ok := strings.Cut(strings.TrimPrefix(ref, "refs/"), "/")
	if !strings.HasPrefix(ref, "refs/") || !ok || (kind != "heads" && kind != "tags") || refNameProblem(name) != "" {
		return errUnprocessable("Reference name is not valid: use refs/heads/<branch> or refs/tags/<tag>")
	}
	if !rp.Git.commitExists(t.ctx, sha) {
		return errUnprocessable("Object does not exist")
	}
	existing, err := t.refsUnder(rp, ref)
	if err != nil {
		return err
	}
	for _, e := range existing {
		if e[0] == ref {
			return errUnprocessable("Reference already exists")
		}
	}
	if kind == "heads" {
		return t.setBranch(rp, name, sha, false)
	}
	return rp.Git.updateRefs(t.ctx, refUpdate{Ref: ref, New: sha, Old: zeroSHA})
}

// updateRef moves (or with sha zeroSHA deletes) an existing branch or tag.
func (t *tx) updateRef(rp *repo, ref, sha string, force bool) error {
	if err := t.need(rp, "write"); err != nil {
		return err
	}
	existing, err := t.refsUnder(rp, ref)
	if err != nil {
		return err
	}
	found := ""
	for _, e := range existing {
		if e[0] == ref {
			found = e[1]
		}
	}
	switch {
	case found == "":
		return errUnprocessable("Reference does not exist")
	case sha != zeroSHA && !rp.Git.commitExists(t.ctx, sha):
		return errUnprocessable("Object does not exist")
	}
	if branch, ok := strings.CutPrefix(ref, "refs/heads/"); ok {
		if sha == zeroSHA && branch == rp.DefaultBranch {
			return errUnprocessable("Cannot delete the default branch")
		}
		return t.setBranch(rp, branch, sha, force)
	}
	if !strings.HasPrefix(ref, "refs/tags/") {
		return errUnprocessable("Only branches and tags can be changed")
	}
	update := refUpdate{Ref: ref, New: sha, Old: found}
	if sha == zeroSHA {
		update.New = ""
	}
	return rp.Git.updateRefs(t.ctx, update)
}
