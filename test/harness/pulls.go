package harness

import (
	"fmt"
	"net/http"
)

// OpenPull pushes files to a new branch head (from the default branch)
// as user (a login whose token is the login too, as test seeds have it),
// opens a pull request from it against base, and
// waits for everything to settle. It returns the pull request's number.
func (e *Env) OpenPull(user, org, repo, head, base, title string, files map[string]string) int {
	e.t.Helper()
	e.PushBranch(user, org, repo, head, files)
	var pr struct {
		Number int `json:"number"`
	}
	e.Do(user, http.MethodPost, fmt.Sprintf("/repos/%s/%s/pulls", org, repo),
		map[string]string{"title": title, "head": head, "base": base}, &pr)
	e.Settle()
	return pr.Number
}

// PushBranch commits files to branch (created from the default branch
// when missing) as user, and waits for everything to
// settle.
func (e *Env) PushBranch(user, org, repo, branch string, files map[string]string) {
	e.t.Helper()
	e.Do("", http.MethodPost, fmt.Sprintf("/_sandbox/repos/%s/%s/push", org, repo),
		map[string]any{"branch": branch, "files": files, "author": user}, nil)
	e.Settle()
}
