package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/prowbot/prow/prow/mapkeys"
)

// zeroSHA is git's "no commit", as push payloads write a created or
// deleted branch's other side.
const zeroSHA = "0000000000000000000000000000000000000000"

var (
	shaPattern        = regexp.MustCompile(`^[0-9a-f]{40}$`)
	gitVersionPattern = regexp.MustCompile(`git version (\d+)\.(\d+)`)
)

// signature is a commit's author or committer.
type signature struct {
	Name  string
	Email string
	When  time.Time
}

func (s signature) String() string {
	return fmt.Sprintf("%s <%s> %d +0000", s.Name, s.Email, s.When.Unix())
}

// gitRepo is one bare repository, changed only through git's plumbing
// (no work tree), with caches of what is costly to compute. The world's
// lock guards it.
type gitRepo struct {
	name string // owner/name, for errors
	dir  string

	mergeable map[[2]string]bool       // {base sha, head sha} -> merges cleanly
	notFF     map[[2]string]bool       // {base sha, head sha} of heads without base (see noteFastForwards)
	diffs     map[[2]string][]fileDiff // {from, to} -> changed files
}

// gitEnv is the environment of every git command: no user or system
// configuration, no prompts, no inherited GIT_ variables.
func gitEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			env = append(env, kv)
		}
	}
	env = append(env, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	return append(env, extra...)
}

// runGit runs git in dir with stdin, returning stdout; a failure carries
// git's stderr.
func runGit(ctx context.Context, dir string, stdin []byte, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv(env...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), &gitError{args: args, err: err, stderr: strings.TrimSpace(stderr.String())}
	}
	return stdout.Bytes(), nil
}

// gitError is a failed git command.
type gitError struct {
	args   []string
	err    error
	stderr string
}

func (e *gitError) Error() string {
	return fmt.Sprintf("git %s: %v: %s", strings.Join(e.args, " "), e.err, e.stderr)
}

func (e *gitError) Unwrap() error { return e.err }

// exitCode is the exit status of a failed git command, -1 for other errors.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// checkGitVersion fails unless git can merge without a work tree
// (merge-tree --write-tree, git 2.38).
func checkGitVersion(ctx context.Context) error {
	out, err := runGit(ctx, os.TempDir(), nil, nil, "version")
	if err != nil {
		return fmt.Errorf("the sandbox needs the git binary: %w", err)
	}
	m := gitVersionPattern.FindStringSubmatch(string(out))
	if m == nil {
		return fmt.Errorf("cannot read the git version from %q", strings.TrimSpace(string(out)))
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	if major < 2 || (major == 2 && minor < 38) {
		return fmt.Errorf("the sandbox needs git 2.38 or newer, found %s", strings.TrimSpace(string(out)))
	}
	return nil
}

// initRepo creates a bare repository whose HEAD is branch.
func initRepo(ctx context.Context, dir, name, branch string, allowPush bool) (*gitRepo, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create the git directory of %s: %w", name, err)
	}
	g := &gitRepo{name: name, dir: dir, mergeable: map[[2]string]bool{}, notFF: map[[2]string]bool{}, diffs: map[[2]string][]fileDiff{}}
	if _, err := g.git(ctx, nil, "init", "--bare", "-q", "-b", branch, dir); err != nil {
		return nil, err
	}
	for _, kv := range [][2]string{{"http.receivepack", strconv.FormatBool(allowPush)}, {"core.logAllRefUpdates", "false"},
		{"uploadpack.allowAnySHA1InWant", "true"}, {"receive.denyDeleteCurrent", "true"}} {
		if _, err := g.git(ctx, nil, "config", kv[0], kv[1]); err != nil {
			return nil, err
		}
	}
	for _, hidden := range []string{"refs/pull", "refs/sandbox"} {
		// A push may not touch what the sandbox owns.
		if _, err := g.git(ctx, nil, "config", "--add", "receive.hideRefs", hidden); err != nil {
			return nil, err
		}
	}
	return g, nil
}

func (g *gitRepo) git(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	out, err := runGit(ctx, g.dir, stdin, nil, args...)
	if err != nil {
		return out, fmt.Errorf("repository %s: %w", g.name, err)
	}
	return out, nil
}

// importScript builds a git fast-import stream: commits on refs, each
// named by a mark (":1", ":2", ...).
type importScript struct {
	buf   bytes.Buffer
	marks []string
}

// commit adds a commit on ref with parent from (a SHA or mark; none when
// empty) and files changed; it returns the commit's mark.
func (s *importScript) commit(ref, from string, files FileChanges, message string, author, committer signature) string {
	mark := ":" + strconv.Itoa(len(s.marks)+1)
	s.marks = append(s.marks, mark)
	fmt.Fprintf(&s.buf, "commit %s\nmark %s\nauthor %s\ncommitter %s\n", ref, mark, author, committer)
	writeData(&s.buf, message)
	if from != "" {
		fmt.Fprintf(&s.buf, "from %s\n", from)
	}
	for _, path := range mapkeys.Sorted(files) {
		if files[path] == Deleted {
			fmt.Fprintf(&s.buf, "D %s\n", quotePath(path))
			continue
		}
		fmt.Fprintf(&s.buf, "M 100644 inline %s\n", quotePath(path))
		writeData(&s.buf, files[path])
	}
	s.buf.WriteString("\n")
	return mark
}

// reset points ref at from.
func (s *importScript) reset(ref, from string) {
	fmt.Fprintf(&s.buf, "reset %s\nfrom %s\n\n", ref, from)
}

func writeData(buf *bytes.Buffer, data string) {
	fmt.Fprintf(buf, "data %d\n%s\n", len(data), data)
}

// quotePath quotes a path for fast-import when it needs it.
func quotePath(p string) string {
	if !strings.ContainsAny(p, "\" \t\\") {
		return p
	}
	return strconv.Quote(p)
}

// fastImport runs the script and returns the SHA of each mark.
func (g *gitRepo) fastImport(ctx context.Context, s *importScript) (map[string]string, error) {
	stream := bytes.NewBuffer(append([]byte(nil), s.buf.Bytes()...))
	for _, m := range s.marks {
		fmt.Fprintf(stream, "get-mark %s\n", m)
	}
	stream.WriteString("done\n")
	out, err := g.git(ctx, stream.Bytes(), "fast-import", "--quiet", "--force", "--done")
	if err != nil {
		return nil, err
	}
	shas := strings.Fields(string(out))
	if len(shas) != len(s.marks) {
		return nil, fmt.Errorf("repository %s: fast-import printed %d commits for %d marks", g.name, len(shas), len(s.marks))
	}
	marks := make(map[string]string, len(shas))
	for k, m := range s.marks {
		marks[m] = shas[k]
	}
	return marks, nil
}

// refUpdate sets Ref to New (deletes it when New is empty) if it is at
// Old (zeroSHA: must not exist; empty: any).
type refUpdate struct {
	Ref, New, Old string
}

// updateRefs applies the updates in one transaction.
func (g *gitRepo) updateRefs(ctx context.Context, updates ...refUpdate) error {
	var in bytes.Buffer
	for _, u := range updates {
		line := "update " + u.Ref + " " + u.New
		if u.New == "" {
			line = "delete " + u.Ref
		}
		if u.Old != "" {
			line += " " + u.Old
		}
		in.WriteString(line + "\n")
	}
	_, err := g.git(ctx, in.Bytes(), "update-ref", "--stdin")
	return err
}

// refs maps every ref under prefix to its SHA.
func (g *gitRepo) refs(ctx context.Context, prefix string) (map[string]string, error) {
	out, err := g.git(ctx, nil, "for-each-ref", "--format=%(objectname) %(refname)", prefix)
	if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if sha, ref, ok := strings.Cut(line, " "); ok {
			refs[ref] = sha
		}
	}
	return refs, nil
}

// commitExists says whether sha names a commit of the repository.
func (g *gitRepo) commitExists(ctx context.Context, sha string) bool {
	if !shaPattern.MatchString(sha) {
		return false
	}
	_, err := g.git(ctx, nil, "cat-file", "-e", sha+"^{commit}")
	return err == nil
}

// isAncestor says whether ancestor is reachable from sha.
func (g *gitRepo) isAncestor(ctx context.Context, ancestor, sha string) bool {
	_, err := g.git(ctx, nil, "merge-base", "--is-ancestor", ancestor, sha)
	return err == nil
}

// treeEntry is one entry of a tree.
type treeEntry struct {
	Mode, Type, SHA, Path string
	Size                  int64
}

// lsTree lists the entries at path of the commit sha: the entry itself
// for a file, or with children set a directory's entries.
func (g *gitRepo) lsTree(ctx context.Context, sha, path string, children bool) ([]treeEntry, error) {
	args, prefix := []string{"ls-tree", "-z", "-l", "--full-tree"}, ""
	switch {
	case !children:
		args = append(args, sha, "--", path)
	case path == "":
		args = append(args, sha)
	default:
		args, prefix = append(args, sha+":"+path), path+"/"
	}
	out, err := g.git(ctx, nil, args...)
	if err != nil {
		return nil, err
	}
	var entries []treeEntry
	for _, rec := range strings.Split(string(out), "\x00") {
		meta, name, ok := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 4 {
			continue
		}
		size, _ := strconv.ParseInt(f[3], 10, 64)
		entries = append(entries, treeEntry{Mode: f[0], Type: f[1], SHA: f[2], Path: prefix + name, Size: size})
	}
	return entries, nil
}

// blob reads an object's content.
func (g *gitRepo) blob(ctx context.Context, sha string) ([]byte, error) {
	return g.git(ctx, nil, "cat-file", "blob", sha)
}
