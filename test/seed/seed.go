// Package seed builds the sandbox seeds that tests start from, so that
// each test states only what it needs: who the users are, who may write,
// which labels and files the repository has, and its pull requests and
// issues. Everything happens in the org demo and its repository
// demo/hello unless a test adds more with Repo and Org.
//
//	s := seed.New("alice", "bob").Bot(harness.Bot, harness.BotToken).
//		Members("alice").Labels(hold.Label).
//		Pull("bob", "Change", sandbox.FileChanges{"a": "a\n"}).Seed()
package seed

import (
	"net/http/httptest"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/testlog"
)

// The org and the repository a seed is built around.
const (
	Org  = "demo"
	Repo = "demo/hello"
)

// Builder builds a sandbox.Seed. Its methods change it and return it, to
// be chained; Seed gives the result.
type Builder struct {
	seed sandbox.Seed
	last int // the last pull request or issue number of demo/hello
}

// New is the org demo with its repository demo/hello, and users whose
// requests carry their login as token.
func New(users ...string) *Builder {
	b := &Builder{seed: sandbox.Seed{
		Orgs:  []sandbox.SeedOrg{{Login: Org}},
		Repos: []sandbox.SeedRepo{{Name: Repo}},
	}}
	for _, u := range users {
		b.User(u, u)
	}
	return b
}

// User adds a user whose requests carry token.
func (b *Builder) User(login, token string) *Builder {
	b.seed.Users = append(b.seed.Users, sandbox.SeedUser{Login: login, Token: token})
	return b
}

// Bot adds the bot: a user of type Bot whose requests carry token, a
// member of demo with write access to demo/hello.
func (b *Builder) Bot(login, token string) *Builder {
	b.seed.Users = append(b.seed.Users, sandbox.SeedUser{Login: login, Token: token, Bot: true})
	return b.Members(login).Collaborators("write", login)
}

// Members makes the logins members of demo.
func (b *Builder) Members(logins ...string) *Builder {
	b.seed.Orgs[0].Members = append(b.seed.Orgs[0].Members, logins...)
	return b
}

// Team adds a team of demo.
func (b *Builder) Team(t sandbox.SeedTeam) *Builder {
	b.seed.Orgs[0].Teams = append(b.seed.Orgs[0].Teams, t)
	return b
}

// Collaborators gives each login the permission (admin, maintain, write,
// triage or read) on demo/hello.
func (b *Builder) Collaborators(permission string, logins ...string) *Builder {
	r := &b.seed.Repos[0]
	if r.Collaborators == nil {
		r.Collaborators = map[string]string{}
	}
	for _, l := range logins {
		r.Collaborators[l] = permission
	}
	return b
}

// Labels creates labels in demo/hello.
func (b *Builder) Labels(names ...string) *Builder {
	for _, n := range names {
		b.seed.Repos[0].Labels = append(b.seed.Repos[0].Labels, sandbox.SeedLabel{Name: n})
	}
	return b
}

// Files adds files to demo/hello's default branch.
func (b *Builder) Files(files sandbox.FileChanges) *Builder {
	r := &b.seed.Repos[0]
	if r.Files == nil {
		r.Files = sandbox.FileChanges{}
	}
	for path, content := range files {
		r.Files[path] = content
	}
	return b
}

// Org adds an organization besides demo.
func (b *Builder) Org(o sandbox.SeedOrg) *Builder {
	b.seed.Orgs = append(b.seed.Orgs, o)
	return b
}

// Protect protects a branch of demo/hello with rule.
func (b *Builder) Protect(branch string, rule sandbox.SeedProtection) *Builder {
	r := &b.seed.Repos[0]
	if r.Protection == nil {
		r.Protection = map[string]sandbox.SeedProtection{}
	}
	r.Protection[branch] = rule
	return b
}

// Repo adds a repository besides demo/hello.
func (b *Builder) Repo(r sandbox.SeedRepo) *Builder {
	b.seed.Repos = append(b.seed.Repos, r)
	return b
}

// Pull opens the next pull request of demo/hello: author changes files.
func (b *Builder) Pull(author, title string, files sandbox.FileChanges) *Builder {
	return b.PullWith(sandbox.SeedPull{Author: author, Title: title, Files: files})
}

// PullWith adds p, in demo/hello when p.Repo is empty.
func (b *Builder) PullWith(p sandbox.SeedPull) *Builder {
	b.place(&p.Repo, &p.Number)
	b.seed.Pulls = append(b.seed.Pulls, p)
	return b
}

// Issue opens the next issue of demo/hello, by author, with labels.
func (b *Builder) Issue(author, title string, labels ...string) *Builder {
	return b.IssueWith(sandbox.SeedIssue{Author: author, Title: title, Labels: labels})
}

// IssueWith adds i, in demo/hello when i.Repo is empty.
func (b *Builder) IssueWith(i sandbox.SeedIssue) *Builder {
	b.place(&i.Repo, &i.Number)
	b.seed.Issues = append(b.seed.Issues, i)
	return b
}

// place puts a pull request or issue in demo/hello when repo is empty
// and there numbers it after the last one given when number is 0 (pull
// requests and issues share the numbers). In other repositories the
// sandbox numbers what is left 0.
func (b *Builder) place(repo *string, number *int) {
	if *repo == "" {
		*repo = Repo
	}
	if *repo != Repo {
		return
	}
	if *number == 0 {
		*number = b.last + 1
	}
	b.last = max(b.last, *number)
}

// Seed returns the seed built so far.
func (b *Builder) Seed() *sandbox.Seed {
	s := b.seed
	return &s
}

// Milestones creates open milestones in demo/hello, numbered from 1 in
// order.
func (b *Builder) Milestones(titles ...string) *Builder {
	for _, t := range titles {
		b.seed.Repos[0].Milestones = append(b.seed.Repos[0].Milestones, sandbox.SeedMilestone{Title: t})
	}
	return b
}

// Branches creates branches of demo/hello pointing at its default branch.
func (b *Builder) Branches(names ...string) *Builder {
	b.seed.Repos[0].Branches = append(b.seed.Repos[0].Branches, names...)
	return b
}

// Serve runs the sandbox GitHub seeded with s over HTTP on 127.0.0.1 until
// the test ends, its logs discarded and its repositories in a temporary
// directory.
func Serve(t testing.TB, s *sandbox.Seed) (*sandbox.Server, *httptest.Server) {
	t.Helper()
	return ServeWith(t, sandbox.Options{Seed: s})
}

// ServeWith is Serve with more options; GitDir and Logger default as in
// Serve.
func ServeWith(t testing.TB, o sandbox.Options) (*sandbox.Server, *httptest.Server) {
	t.Helper()
	if o.GitDir == "" {
		o.GitDir = t.TempDir()
	}
	if o.Logger == nil {
		o.Logger = testlog.Discard()
	}
	srv, err := sandbox.New(o)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return srv, ts
}
