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
	return e.OpenPullFrom(user, org, repo, head, base, title)
}

// OpenPullFrom opens, as user, a pull request from the existing branch
// head against base, and waits for everything to settle. It returns the
// pull request's number.
func (e *Env) OpenPullFrom(user, org, repo, head, base, title string) int {
	e.t.Helper()
	var pr struct {
		Number int `json:"number"`
	}
	e.Do(user, http.MethodPost, fmt.Sprintf("/repos/%s/%s/pulls", org, repo),
		map[string]string{"title": title, "head": head, "base": base}, &pr)
	e.Settle()
	return pr.Number
}

// Commit pushes one commit to branch of demo/hello as author: file,
// holding message, with message as the commit message. It waits for
// everything to settle and returns the commit's SHA.
func (e *Env) Commit(author, branch, file, message string) string {
	e.t.Helper()
	var out struct {
		SHA string `json:"sha"`
	}
	e.Do("", http.MethodPost, "/_sandbox/repos/demo/hello/push",
		map[string]any{"branch": branch, "author": author, "message": message, "files": map[string]string{file: message + "\n"}}, &out)
	e.Settle()
	return out.SHA
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
