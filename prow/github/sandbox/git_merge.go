package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// errConflict: the change does not merge cleanly.
var errConflict = errors.New("merge conflict")

// commitInfo is a commit as the API shows it.
type commitInfo struct {
	SHA       string
	Tree      string
	Parents   []string
	Author    signature
	Committer signature
	Message   string
}

// fileDiff is one changed file, as the pull request files API shows it.
type fileDiff struct {
	Filename  string
	Status    string // added, removed, modified
	Additions int
	Deletions int
	Patch     string
	BlobSHA   string
}

func (g *gitRepo) gitWithEnv(ctx context.Context, env []string, stdin []byte, args ...string) ([]byte, error) {
	out, err := runGit(ctx, g.dir, stdin, env, args...)
	if err != nil {
		return out, fmt.Errorf("repository %s: %w", g.name, err)
	}
	return out, nil
}

// mergeTree merges head into base without a work tree, returning the
// merged tree; errConflict when it does not merge cleanly.
func (g *gitRepo) mergeTree(ctx context.Context, base, head string) (string, error) {
	out, err := g.git(ctx, nil, "merge-tree", "--write-tree", "--no-messages", base, head)
	if exitCode(err) == 1 {
		return "", errConflict
	}
	if err != nil {
		return "", err
	}
	tree, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return tree, nil
}

// canMerge says whether head merges cleanly into base (cached).
func (g *gitRepo) canMerge(ctx context.Context, base, head string) bool {
	key := [2]string{base, head}
	if ok, known := g.mergeable[key]; known {
		return ok
	}
	_, err := g.mergeTree(ctx, base, head)
	if err != nil && !errors.Is(err, errConflict) {
		return false // not cached: git itself failed
	}
	g.mergeable[key] = err == nil
	return err == nil
}

// mergeKnown says whether canMerge of base and head is cached.
func (g *gitRepo) mergeKnown(base, head string) bool {
	_, known := g.mergeable[[2]string{base, head}]
	return known
}

// noteFastForwards records, with one git call, that each of heads that
// already contains base merges cleanly into it (a fast-forward always
// does), so that canMerge runs merge-tree only for the others: reading
// the mergeability of a repository's many pull requests costs one git
// process instead of one each. heads must be tips of refs/pull/ or
// refs/heads/ refs.
func (g *gitRepo) noteFastForwards(ctx context.Context, base string, heads []string) {
	var todo []string
	for _, h := range heads {
		if key := [2]string{base, h}; !g.mergeKnown(base, h) && !g.notFF[key] {
			todo = append(todo, h)
		}
	}
	if len(todo) < 2 {
		return // one merge-tree costs what the scan does
	}
	out, err := g.git(ctx, nil, "for-each-ref", "--contains="+base, "--format=%(objectname)", "refs/pull", "refs/heads")
	if err != nil {
		return // canMerge asks merge-tree
	}
	contains := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		contains[line] = true
	}
	for _, h := range todo {
		if contains[h] {
			g.mergeable[[2]string{base, h}] = true
		} else {
			g.notFF[[2]string{base, h}] = true
		}
	}
}

// commitTree writes a commit of tree with parents.
func (g *gitRepo) commitTree(ctx context.Context, tree string, parents []string, message string, author, committer signature) (string, error) {
	args := []string{"commit-tree", tree}
	for _, p := range parents {
		args = append(args, "-p", p)
	}
	args = append(args, "-F", "-")
	env := []string{"GIT_AUTHOR_NAME=" + author.Name, "GIT_AUTHOR_EMAIL=" + author.Email, "GIT_AUTHOR_DATE=" + gitDate(author.When),
		"GIT_COMMITTER_NAME=" + committer.Name, "GIT_COMMITTER_EMAIL=" + committer.Email, "GIT_COMMITTER_DATE=" + gitDate(committer.When)}
	out, err := g.gitWithEnv(ctx, env, []byte(message), args...)
	return strings.TrimSpace(string(out)), err
}

func gitDate(t time.Time) string { return fmt.Sprintf("%d +0000", t.Unix()) }

// mergeCommits builds what merging head into base with method (merge,
// squash or rebase) puts on the base branch, returning its new tip.
func (g *gitRepo) mergeCommits(ctx context.Context, method, base, head, message string, merger signature) (string, error) {
	committer := signature{Name: "GitHub", Email: "noreply@github.com", When: merger.When}
	switch method {
	case "squash", "merge":
		tree, err := g.mergeTree(ctx, base, head)
		if err != nil {
			return "", err
		}
		parents := []string{base, head}
		if method == "squash" {
			parents = parents[:1]
		}
		return g.commitTree(ctx, tree, parents, message, merger, committer)
	case "rebase":
		commits, err := g.log(ctx, "--reverse", "--topo-order", head, "^"+base)
		if err != nil {
			return "", err
		}
		tip := base
		for _, c := range commits {
			tree, err := g.mergeTree(ctx, tip, c.SHA)
			if err != nil {
				return "", err
			}
			if tip, err = g.commitTree(ctx, tree, []string{tip}, c.Message, c.Author, committer); err != nil {
				return "", err
			}
		}
		return tip, nil
	}
	return "", fmt.Errorf("merge method %q: use merge, squash or rebase", method)
}

// log lists commits, newest first unless args say otherwise.
func (g *gitRepo) log(ctx context.Context, args ...string) ([]commitInfo, error) {
	out, err := g.git(ctx, nil, append([]string{"log", "--format=%H%x1f%T%x1f%P%x1f%an%x1f%ae%x1f%at%x1f%cn%x1f%ce%x1f%ct%x1f%B%x1e"}, args...)...)
	if err != nil {
		return nil, err
	}
	var commits []commitInfo
	for _, rec := range strings.Split(string(out), "\x1e") {
		f := strings.Split(strings.TrimLeft(rec, "\n"), "\x1f")
		if len(f) != 10 {
			continue
		}
		c := commitInfo{SHA: f[0], Tree: f[1], Parents: strings.Fields(f[2]), Message: strings.TrimRight(f[9], "\n"),
			Author: signature{Name: f[3], Email: f[4], When: unixTime(f[5])}, Committer: signature{Name: f[6], Email: f[7], When: unixTime(f[8])}}
		commits = append(commits, c)
	}
	return commits, nil
}

func unixTime(s string) time.Time {
	n, _ := strconv.ParseInt(s, 10, 64)
	return time.Unix(n, 0).UTC()
}

// commit reads one commit.
func (g *gitRepo) commit(ctx context.Context, sha string) (commitInfo, error) {
	commits, err := g.log(ctx, "-1", sha)
	if err != nil {
		return commitInfo{}, err
	}
	if len(commits) != 1 {
		return commitInfo{}, fmt.Errorf("repository %s: no commit %s", g.name, sha)
	}
	return commits[0], nil
}

// changedPaths lists what a commit added, removed and modified against its
// first parent.
func (g *gitRepo) changedPaths(ctx context.Context, c commitInfo) (added, removed, modified []string, err error) {
	args := []string{"diff-tree", "-r", "-z", "--no-commit-id", "--name-status", "--no-renames"}
	if len(c.Parents) == 0 {
		args = append(args, "--root", c.SHA)
	} else {
		args = append(args, c.Parents[0], c.SHA)
	}
	out, err := g.git(ctx, nil, args...)
	if err != nil {
		return nil, nil, nil, err
	}
	f := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	for k := 0; k+1 < len(f); k += 2 {
		switch f[k] {
		case "A":
			added = append(added, f[k+1])
		case "D":
			removed = append(removed, f[k+1])
		default:
			modified = append(modified, f[k+1])
		}
	}
	return added, removed, modified, nil
}

// diff lists the files changed between the merge base of base and head,
// and head (cached).
func (g *gitRepo) diff(ctx context.Context, base, head string) ([]fileDiff, error) {
	key := [2]string{base, head}
	if d, ok := g.diffs[key]; ok {
		return d, nil
	}
	out, err := g.git(ctx, nil, "-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", "--no-renames", "--full-index", base+"..."+head)
	if err != nil {
		return nil, err
	}
	d := parseDiff(out)
	g.diffs[key] = d
	return d, nil
}

// diffParser reads `git diff` output into files.
type diffParser struct {
	files   []fileDiff
	cur     *fileDiff
	patch   []string
	inHunks bool
}

// parseDiff reads `git diff` output into files, the patch of each being
// its hunks as GitHub shows them.
func parseDiff(out []byte) []fileDiff {
	p := &diffParser{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	for sc.Scan() {
		p.line(sc.Text())
	}
	p.finish()
	return p.files
}

func (p *diffParser) finish() {
	if p.cur != nil {
		p.cur.Patch = strings.Join(p.patch, "\n")
		p.files = append(p.files, *p.cur)
	}
}

func (p *diffParser) line(line string) {
	switch {
	case strings.HasPrefix(line, "diff --git "):
		p.finish()
		p.cur, p.patch, p.inHunks = &fileDiff{Status: "modified"}, nil, false
		if _, b, ok := strings.Cut(line, " b/"); ok {
			p.cur.Filename = b
		}
	case p.cur == nil:
	case p.inHunks || strings.HasPrefix(line, "@@"):
		p.inHunks = true
		p.patch = append(p.patch, line)
		switch {
		case strings.HasPrefix(line, "+"):
			p.cur.Additions++
		case strings.HasPrefix(line, "-"):
			p.cur.Deletions++
		}
	default:
		p.header(line)
	}
}

// header reads a line between "diff --git" and the first hunk.
func (p *diffParser) header(line string) {
	switch {
	case strings.HasPrefix(line, "new file mode"):
		p.cur.Status = "added"
	case strings.HasPrefix(line, "deleted file mode"):
		p.cur.Status = "removed"
	case strings.HasPrefix(line, "index "):
		objects, _, _ := strings.Cut(strings.TrimPrefix(line, "index "), " ")
		before, after, _ := strings.Cut(objects, "..")
		p.cur.BlobSHA = after
		if p.cur.Status == "removed" {
			p.cur.BlobSHA = before
		}
	case strings.HasPrefix(line, "+++ b/"):
		p.cur.Filename = strings.TrimPrefix(line, "+++ b/")
	case strings.HasPrefix(line, "--- a/"):
		p.cur.Filename = strings.TrimPrefix(line, "--- a/")
	}
}
