package sandbox

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitRepo is a real repository: a bare repository served over HTTP and a
// work tree the sandbox commits in.
type gitRepo struct {
	bare string
	work string
}

// git runs a git command in dir and returns its trimmed output.
func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME=sandbox", "GIT_AUTHOR_EMAIL=sandbox@example.invalid",
		"GIT_COMMITTER_NAME=sandbox", "GIT_COMMITTER_EMAIL=sandbox@example.invalid",
		"GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// newGitRepo creates the repository with files committed on branch.
func newGitRepo(root, fullName, branch string, files map[string]string) (*gitRepo, string, error) {
	g := &gitRepo{bare: filepath.Join(root, fullName+".git"), work: filepath.Join(root, "work", fullName)}
	for _, dir := range []string{g.bare, g.work} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, "", err
		}
	}
	if _, err := git(g.bare, "init", "--bare", "-q", "-b", branch); err != nil {
		return nil, "", err
	}
	if _, err := git(g.bare, "config", "http.receivepack", "false"); err != nil {
		return nil, "", err
	}
	if _, err := git(g.work, "init", "-q", "-b", branch); err != nil {
		return nil, "", err
	}
	if len(files) == 0 {
		files = map[string]string{"README.md": "# " + fullName + "\n"}
	}
	sha, err := g.commit(branch, "", files, "Initial commit")
	return g, sha, err
}

// commit writes files on top of parent branch `from` (or the current
// state when empty), commits on branch and pushes it; it returns the SHA.
func (g *gitRepo) commit(branch, from string, files map[string]string, message string) (string, error) {
	if from != "" {
		if _, err := git(g.work, "checkout", "-q", "-B", branch, from); err != nil {
			return "", err
		}
	} else if _, err := git(g.work, "checkout", "-q", "-B", branch); err != nil {
		return "", err
	}
	for path, content := range files {
		full := filepath.Join(g.work, filepath.FromSlash(path))
		if content == "" {
			if err := os.Remove(full); err != nil && !os.IsNotExist(err) {
				return "", err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			return "", err
		}
	}
	if _, err := git(g.work, "add", "-A"); err != nil {
		return "", err
	}
	if _, err := git(g.work, "commit", "-q", "--allow-empty", "-m", message); err != nil {
		return "", err
	}
	if _, err := git(g.work, "push", "-q", "-f", g.bare, branch+":refs/heads/"+branch); err != nil {
		return "", err
	}
	return git(g.work, "rev-parse", "HEAD")
}

// setRef points a ref of the bare repository at sha.
func (g *gitRepo) setRef(ref, sha string) error {
	_, err := git(g.bare, "update-ref", ref, sha)
	return err
}

// merge merges head into base with the method GitHub offers and pushes
// base; it returns the new base SHA.
func (g *gitRepo) merge(base, headSHA, method, message string) (string, error) {
	if _, err := git(g.work, "checkout", "-q", base); err != nil {
		return "", err
	}
	var err error
	switch method {
	case "squash":
		if _, err = git(g.work, "merge", "-q", "--squash", headSHA); err == nil {
			_, err = git(g.work, "commit", "-q", "-m", message)
		}
	case "rebase":
		_, err = git(g.work, "cherry-pick", "-q", "--allow-empty", "HEAD.."+headSHA)
	default:
		_, err = git(g.work, "merge", "-q", "--no-ff", "-m", message, headSHA)
	}
	if err != nil {
		_, _ = git(g.work, "merge", "--abort")
		_, _ = git(g.work, "reset", "-q", "--hard")
		return "", err
	}
	if _, err := git(g.work, "push", "-q", g.bare, base+":refs/heads/"+base); err != nil {
		return "", err
	}
	return git(g.work, "rev-parse", "HEAD")
}

// mergeable says whether head merges cleanly into base.
func (g *gitRepo) mergeable(base, headSHA string) bool {
	_, err := git(g.work, "merge-tree", "--write-tree", base, headSHA)
	return err == nil
}

// file reads a file at a ref.
func (g *gitRepo) file(ref, path string) ([]byte, bool) {
	out, err := exec.Command("git", "-C", g.bare, "show", ref+":"+path).Output()
	if err != nil {
		return nil, false
	}
	return out, true
}

// gitHTTP serves every repository read-only with git's own http-backend.
func gitHTTP(root string) http.Handler {
	gitPath, _ := exec.LookPath("git")
	return &cgi.Handler{
		Path: gitPath,
		Args: []string{"http-backend"},
		Env:  []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"},
	}
}
