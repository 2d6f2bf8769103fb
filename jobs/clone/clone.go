package clone

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/prowbot/prow/jobs/downward"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// The identity merges are made with, as Prow's clonerefs defaults.
const (
	DefaultUserName  = "ci-robot"
	DefaultUserEmail = "ci-robot@k8s.io"
)

// Cloner clones refs. The zero value clones from GitHub anonymously.
type Cloner struct {
	// RemoteURL returns the clone URL of org/repo; nil means
	// https://github.com/org/repo.git. A refs' clone_uri wins over it.
	RemoteURL func(org, repo string) string
	// Credentials, when set, give the user and password for fetching
	// org's repositories over HTTP(S). They reach git only through its
	// environment and never appear in records.
	Credentials func(ctx context.Context, org string) (user, password string, err error)
	// UserName and UserEmail make the merge commits (DefaultUserName and
	// DefaultUserEmail when empty).
	UserName, UserEmail string
	// Env holds extra environment variables ("NAME=value") for every git
	// command, after this process's own: GIT_SSH_COMMAND for SSH keys,
	// for example. Variables the cloner sets itself win over them.
	Env []string
}

// RefsOf is what a job clones: its refs, then its extra refs.
func RefsOf(pj *prowapi.ProwJob) []prowapi.Refs {
	var refs []prowapi.Refs
	if pj.Spec.Refs != nil {
		refs = append(refs, *pj.Spec.Refs)
	}
	return append(refs, pj.Spec.ExtraRefs...)
}

// URL is where r is cloned from.
func (c *Cloner) URL(r prowapi.Refs) string {
	switch {
	case r.CloneURI != "":
		return r.CloneURI
	case c.RemoteURL != nil:
		return c.RemoteURL(r.Org, r.Repo)
	default:
		return "https://github.com/" + r.Org + "/" + r.Repo + ".git"
	}
}

// Dir is the directory r is cloned into below root:
// root/src/<path_alias>, or root/src/<host>/<org>/<repo> where host is
// the clone URL's (github.com for GitHub).
func (c *Cloner) Dir(root string, r prowapi.Refs) string {
	h, b := downward.SourcePath(r, Host(c.URL(r)))
	return filepath.Join(root, "src", h, filepath.FromSlash(b))
}

// WorkDir is the directory the job's commands run in below root: the
// directory of the refs marked workdir, else of the first (refs must not
// be empty).
func (c *Cloner) WorkDir(root string, refs []prowapi.Refs) string {
	for _, r := range refs {
		if r.WorkDir {
			return c.Dir(root, r)
		}
	}
	return c.Dir(root, refs[0])
}

// Host is the host (with its port) of a clone URL, http(s), ssh or
// scp-like (git@host:org/repo); github.com when it has none.
func Host(cloneURL string) string {
	if u, err := url.Parse(cloneURL); err == nil && u.Host != "" {
		return u.Host
	}
	if !strings.Contains(cloneURL, "://") {
		if i := strings.IndexByte(cloneURL, ':'); i > 0 {
			h := cloneURL[:i]
			if j := strings.LastIndexByte(h, '@'); j >= 0 {
				h = h[j+1:]
			}
			if h != "" && !strings.Contains(h, "/") {
				return h
			}
		}
	}
	return downward.DefaultHost
}

// Clone clones each refs below root, in order, and records what it did.
// A refs that fails does not keep the others from being cloned; see
// Failed.
func (c *Cloner) Clone(ctx context.Context, root string, refs []prowapi.Refs) []Record {
	records := make([]Record, 0, len(refs))
	for _, r := range refs {
		records = append(records, c.CloneRefs(ctx, root, r))
	}
	return records
}

// CloneRefs clones one refs below root.
func (c *Cloner) CloneRefs(ctx context.Context, root string, r prowapi.Refs) Record {
	start := time.Now()
	g := &gitRun{dir: c.Dir(root, r), url: c.URL(r)}
	ok := g.setup(ctx, c, r.Org) && g.clone(ctx, r)
	rec := Record{Refs: r, Commands: g.commands, Failed: !ok}
	if ok {
		if sha, err := g.quiet(ctx, nil, "rev-parse", "HEAD"); err == nil {
			rec.FinalSHA = sha
		}
	}
	rec.Duration = time.Since(start)
	return rec
}

// setup builds git's environment and the censor of its output.
func (g *gitRun) setup(ctx context.Context, c *Cloner, org string) bool {
	name, email := c.UserName, c.UserEmail
	if name == "" {
		name = DefaultUserName
	}
	if email == "" {
		email = DefaultUserEmail
	}
	g.env = append(append(os.Environ(), c.Env...),
		"GIT_TERMINAL_PROMPT=0", "GIT_MERGE_AUTOEDIT=no", "GIT_ASKPASS=",
		"GIT_AUTHOR_NAME="+name, "GIT_AUTHOR_EMAIL="+email,
		"GIT_COMMITTER_NAME="+name, "GIT_COMMITTER_EMAIL="+email)
	config := [][2]string{
		{"advice.detachedHead", "false"},
		{"init.defaultBranch", "main"},
		{"commit.gpgsign", "false"},
	}
	if base := httpBase(g.url); base != "" && c.Credentials != nil {
		start := time.Now()
		user, password, err := c.Credentials(ctx, org)
		if err != nil {
			g.commands = append(g.commands, Command{Command: "get the credentials of " + org, Error: censorURLs(err.Error()), Duration: time.Since(start)})
			return false
		}
		if password != "" {
			basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
			g.secrets = append(g.secrets, basic, password)
			config = append(config, [2]string{"http." + base + ".extraHeader", "Authorization: Basic " + basic})
		}
	}
	g.env = append(g.env, "GIT_CONFIG_COUNT="+strconv.Itoa(len(config)))
	for i, kv := range config {
		g.env = append(g.env, fmt.Sprintf("GIT_CONFIG_KEY_%d=%s", i, kv[0]), fmt.Sprintf("GIT_CONFIG_VALUE_%d=%s", i, kv[1]))
	}
	return true
}

// httpBase is scheme://host/ of an HTTP(S) URL, empty for other URLs.
func httpBase(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/"
}

// clone runs the steps of a clone, stopping at the first that fails.
func (g *gitRun) clone(ctx context.Context, r prowapi.Refs) bool {
	start := time.Now()
	err := os.MkdirAll(g.dir, 0o755)
	g.commands = append(g.commands, Command{Command: "mkdir -p " + g.dir, Error: errString(err), Duration: time.Since(start)})
	if err != nil || !g.git(ctx, nil, "init") {
		return false
	}
	fetch := fetchArgs(r)
	if !g.checkoutBase(ctx, fetch, r) || !g.mergePulls(ctx, fetch, r.Pulls) {
		return false
	}
	return r.SkipSubmodules || g.git(ctx, nil, "submodule", "update", "--init", "--recursive")
}

// fetchArgs is the start of every fetch command of r.
func fetchArgs(r prowapi.Refs) []string {
	fetch := []string{"fetch"}
	if r.CloneDepth > 0 {
		fetch = append(fetch, "--depth", strconv.Itoa(r.CloneDepth))
	}
	if r.BloblessFetch != nil && *r.BloblessFetch {
		fetch = append(fetch, "--filter=blob:none")
	}
	return fetch
}

// checkoutBase fetches the base and checks it out on a branch named
// after the base ref.
func (g *gitRun) checkoutBase(ctx context.Context, fetch []string, r prowapi.Refs) bool {
	if r.BaseRef == "" && r.BaseSHA == "" {
		g.commands = append(g.commands, Command{Command: "# choose what to check out", Error: "the refs have neither base_ref nor base_sha"})
		return false
	}
	if r.BaseRef != "" {
		args := fetch[:len(fetch):len(fetch)]
		if !r.SkipFetchHead {
			args = append(args, "--tags")
		}
		if !g.git(ctx, nil, append(args, g.url, r.BaseRef)...) {
			return false
		}
	}
	target := "FETCH_HEAD"
	if r.BaseSHA != "" {
		target = r.BaseSHA
		if !g.ensure(ctx, fetch, r.BaseSHA) {
			return false
		}
	}
	if !g.git(ctx, nil, "checkout", target) {
		return false
	}
	return r.BaseRef == "" || (g.git(ctx, nil, "branch", "--force", r.BaseRef, target) && g.git(ctx, nil, "checkout", r.BaseRef))
}

// mergePulls fetches and merges each pull request in turn. Merge dates
// follow the base commit's, so the same inputs give the same merge SHAs.
func (g *gitRun) mergePulls(ctx context.Context, fetch []string, pulls []prowapi.Pull) bool {
	if len(pulls) == 0 {
		return true
	}
	ts, err := g.quiet(ctx, nil, "show", "-s", "--format=format:%ct", "HEAD")
	base, perr := strconv.ParseInt(ts, 10, 64)
	if err != nil || perr != nil {
		base = time.Now().Unix()
	}
	for i, p := range pulls {
		ref := p.Ref
		if ref == "" {
			ref = fmt.Sprintf("pull/%d/head", p.Number)
		}
		if !g.git(ctx, nil, append(fetch[:len(fetch):len(fetch)], g.url, ref)...) {
			return false
		}
		merge := "FETCH_HEAD"
		if p.SHA != "" {
			merge = p.SHA
			if !g.ensure(ctx, fetch, p.SHA) {
				return false
			}
		}
		date := fmt.Sprintf("@%d +0000", base+int64(i)+1)
		if !g.git(ctx, []string{"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}, "merge", "--no-ff", merge) {
			return false
		}
	}
	return true
}

// ensure fetches a commit unless the clone has it already.
func (g *gitRun) ensure(ctx context.Context, fetch []string, sha string) bool {
	if _, err := g.quiet(ctx, nil, "cat-file", "-e", sha+"^{commit}"); err == nil {
		return true
	}
	return g.git(ctx, nil, append(fetch[:len(fetch):len(fetch)], g.url, sha)...)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
