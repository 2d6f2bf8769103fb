package harness

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Git runs git in dir with a fixed identity and no user or system
// configuration, and returns its trimmed output; a failure ends the
// test.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// BareRepo makes a bare repository, name in a temporary directory, whose
// main holds one commit adding README.md; it returns the repository's
// path, a working clone beside it (on main) and the commit's SHA.
func BareRepo(t testing.TB, name string) (bare, work, sha string) {
	t.Helper()
	root := t.TempDir()
	bare, work = filepath.Join(root, name), filepath.Join(root, "work")
	Git(t, root, "init", "--bare", "-b", "main", bare)
	Git(t, root, "init", "-b", "main", work)
	if err := os.WriteFile(filepath.Join(work, "README.md"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	Git(t, work, "add", ".")
	Git(t, work, "commit", "-m", "base")
	Git(t, work, "push", bare, "main")
	return bare, work, Git(t, work, "rev-parse", "HEAD")
}
