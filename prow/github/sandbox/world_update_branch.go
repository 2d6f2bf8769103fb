package sandbox

import (
	"errors"
	"fmt"
	"net/http"
)

// updateBranchInput is the body of PUT .../pulls/{number}/update-branch.
type updateBranchInput struct {
	ExpectedHeadSHA string `json:"expected_head_sha"`
}

// updateBranch is GitHub's "Update branch" button: it merges the base
// branch into the pull request's head branch with a merge commit (two
// parents: the old head, then the base), then push and synchronize follow.
// GitHub refuses with 422 when the head moved, when the head already
// holds the base, and when the two conflict.
func (t *tx) updateBranch(i *issue, in updateBranchInput) error {
	if err := t.need(i.Repo, "write"); err != nil {
		return err
	}
	rp, p := i.Repo, i.PR
	if i.State != "open" || p.Merged {
		return errUnprocessable("Pull request is closed.")
	}
	if in.ExpectedHeadSHA != "" && in.ExpectedHeadSHA != p.HeadSHA {
		return errUnprocessable("expected head sha didn't match current head ref.")
	}
	base, ok := rp.Branches[p.Base]
	if !ok {
		return errUnprocessable("The base branch does not exist.")
	}
	if rp.Git.isAncestor(t.ctx, base, p.HeadSHA) {
		return errUnprocessable("There are no new commits on the base branch.")
	}
	tree, err := rp.Git.mergeTree(t.ctx, p.HeadSHA, base)
	if errors.Is(err, errConflict) {
		return errUnprocessable("merge conflict between base and head")
	}
	if err != nil {
		return fmt.Errorf("update the branch of %s#%d: %w", rp.fullName(), i.Number, err)
	}
	now := t.w.now()
	committer := signature{Name: "GitHub", Email: "noreply@github.com", When: now}
	message := fmt.Sprintf("Merge branch '%s' into %s", p.Base, p.Head)
	sha, err := rp.Git.commitTree(t.ctx, tree, []string{p.HeadSHA, base}, message, t.w.signatureOf(t.login(), now), committer)
	if err != nil {
		return fmt.Errorf("update the branch of %s#%d: %w", rp.fullName(), i.Number, err)
	}
	return t.setBranch(rp, p.Head, sha, false)
}

func (s *Server) updatePullBranch(w http.ResponseWriter, r *http.Request) {
	var in updateBranchInput
	if !decode(w, r, &in) {
		return
	}
	s.doPull(w, r, func(t *tx, i *issue) (int, any, error) {
		if err := t.updateBranch(i, in); err != nil {
			return 0, nil, err
		}
		return http.StatusAccepted, obj{"message": "Updating pull request branch.", "url": t.links.web + fmt.Sprintf("/%s/pull/%d", i.Repo.fullName(), i.Number)}, nil
	})
}
