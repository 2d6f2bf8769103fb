package sandbox

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/prowbot/prow/prow/mapkeys"
)

var (
	loginPattern = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?$`)
	slugPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	colorPattern = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)
)

// seedRepoFacts is what checking pulls and issues needs to know of a repo.
type seedRepoFacts struct {
	branches   map[string]bool
	milestones map[string]bool
	numbers    map[int]string // number -> what uses it
	heads      map[string]bool
}

// seedChecker collects every problem of a seed, each naming its object.
type seedChecker struct {
	problems []error
	users    map[string]bool
	orgs     map[string]bool
	repos    map[string]*seedRepoFacts
}

func (c *seedChecker) fail(where, format string, args ...any) {
	c.problems = append(c.problems, fmt.Errorf("%s: %s", where, fmt.Sprintf(format, args...)))
}

func (c *seedChecker) needUser(where, what, login string) {
	if !c.users[strings.ToLower(login)] {
		c.fail(where, "%s %q is not a user of the seed", what, login)
	}
}

// Validate checks the seed: that names are well formed and unique, and
// that everything it refers to (users, repos, branches, milestones)
// exists. The error lists every problem.
func (s *Seed) Validate() error {
	c := &seedChecker{users: map[string]bool{}, orgs: map[string]bool{}, repos: map[string]*seedRepoFacts{}}
	c.checkUsers(s.Users)
	for k, o := range s.Orgs {
		where := fmt.Sprintf("orgs[%d] (%s)", k, o.Login)
		switch {
		case !loginPattern.MatchString(o.Login):
			c.fail(where, "login %q is not a valid GitHub login", o.Login)
		case c.orgs[strings.ToLower(o.Login)]:
			c.fail(where, "org %s appears twice", o.Login)
		case c.users[strings.ToLower(o.Login)]:
			c.fail(where, "%s is both a user and an org", o.Login)
		}
		c.orgs[strings.ToLower(o.Login)] = true
	}
	for k, r := range s.Repos {
		c.checkRepo(k, r)
	}
	for k, o := range s.Orgs {
		c.checkOrg(k, o)
	}
	for k, p := range s.Pulls {
		c.checkPull(k, p)
	}
	for k, i := range s.Issues {
		where := fmt.Sprintf("issues[%d] (%s %q)", k, i.Repo, i.Title)
		c.checkItem(where, i.Repo, i.Number, i.Title, i.Author, i.Assignees, i.Milestone)
		if i.State != "" && i.State != "open" && i.State != "closed" {
			c.fail(where, "state %q: use open or closed", i.State)
		}
	}
	return errors.Join(c.problems...)
}

func (c *seedChecker) checkUsers(users []SeedUser) {
	tokens := map[string]string{}
	for k, u := range users {
		where := fmt.Sprintf("users[%d] (%s)", k, u.Login)
		switch {
		case u.Login == "":
			c.fail(fmt.Sprintf("users[%d]", k), "login is empty")
		case !loginPattern.MatchString(u.Login):
			c.fail(where, "login %q is not a valid GitHub login (letters, digits and inner dashes, optionally ending in [bot])", u.Login)
		case c.users[strings.ToLower(u.Login)]:
			c.fail(where, "user %s appears twice", u.Login)
		}
		c.users[strings.ToLower(u.Login)] = true
		if u.Type != "" && u.Type != "User" && u.Type != "Bot" {
			c.fail(where, "type %q: use User or Bot", u.Type)
		}
		if u.Bot && u.Type == "User" {
			c.fail(where, "bot: true contradicts type: User")
		}
		if u.Token == "" {
			continue
		}
		if other, dup := tokens[u.Token]; dup {
			c.fail(where, "token is also the token of %s", other)
		}
		tokens[u.Token] = u.Login
	}
}

func (c *seedChecker) checkOrg(k int, o SeedOrg) {
	where := fmt.Sprintf("orgs[%d] (%s)", k, o.Login)
	for _, m := range o.Members {
		c.needUser(where, "member", m)
	}
	for _, m := range o.Admins {
		c.needUser(where, "admin", m)
	}
	slugs := map[string]bool{}
	for n, t := range o.Teams {
		tw := fmt.Sprintf("%s teams[%d] (%s)", where, n, t.Slug)
		if !slugPattern.MatchString(t.Slug) {
			c.fail(tw, "slug %q: use lower-case letters, digits, - and _", t.Slug)
		}
		if slugs[t.Slug] {
			c.fail(tw, "team %s appears twice", t.Slug)
		}
		slugs[t.Slug] = true
		for _, m := range t.Members {
			c.needUser(tw, "member", m)
		}
		for _, m := range t.Maintainers {
			c.needUser(tw, "maintainer", m)
		}
		for _, name := range mapkeys.Sorted(t.Repos) {
			if c.repos[strings.ToLower(o.Login+"/"+name)] == nil {
				c.fail(tw, "repo %q is not a repo of org %s in the seed", name, o.Login)
			}
			if permRank(t.Repos[name]) == 0 {
				c.fail(tw, "permission %q on %s: use admin, maintain, write, triage or read", t.Repos[name], name)
			}
		}
	}
}

func (c *seedChecker) checkRepo(k int, r SeedRepo) {
	where := fmt.Sprintf("repos[%d] (%s)", k, r.Name)
	owner, name, ok := strings.Cut(r.Name, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		c.fail(fmt.Sprintf("repos[%d]", k), "repo %q is not owner/name", r.Name)
		return
	}
	if !c.orgs[strings.ToLower(owner)] && !c.users[strings.ToLower(owner)] {
		c.fail(where, "owner %q is neither an org nor a user of the seed", owner)
	}
	if c.repos[strings.ToLower(r.Name)] != nil {
		c.fail(where, "repo %s appears twice", r.Name)
	}
	facts := &seedRepoFacts{branches: map[string]bool{}, milestones: map[string]bool{}, numbers: map[int]string{}, heads: map[string]bool{}}
	c.repos[strings.ToLower(r.Name)] = facts
	def := firstNonEmpty(r.DefaultBranch, "main")
	if problem := refNameProblem(def); problem != "" {
		c.fail(where, "default branch %q %s", def, problem)
	}
	facts.branches[def] = true
	for _, login := range mapkeys.Sorted(r.Collaborators) {
		c.needUser(where, "collaborator", login)
		if permRank(r.Collaborators[login]) == 0 {
			c.fail(where, "collaborator %s has permission %q; use admin, maintain, write, triage or read", login, r.Collaborators[login])
		}
	}
	c.checkLabels(where, r.Labels)
	c.checkMilestones(where, r.Milestones, facts)
	c.checkBranches(where, def, r, facts)
	c.checkProtection(where, r, facts)
}

func (c *seedChecker) checkMilestones(where string, milestones []SeedMilestone, facts *seedRepoFacts) {
	for n, m := range milestones {
		if m.Title == "" || facts.milestones[m.Title] {
			c.fail(where, "milestones[%d]: title %q is empty or appears twice", n, m.Title)
		}
		if m.State != "" && m.State != "open" && m.State != "closed" {
			c.fail(where, "milestone %q: state %q: use open or closed", m.Title, m.State)
		}
		facts.milestones[m.Title] = true
	}
}

// checkBranches checks the files of every branch and the extra branches.
func (c *seedChecker) checkBranches(where, def string, r SeedRepo, facts *seedRepoFacts) {
	c.checkPaths(where, "files", r.Files)
	for _, branch := range mapkeys.Sorted(r.BranchFiles) {
		if problem := refNameProblem(branch); problem != "" {
			c.fail(where, "files: branch %q %s", branch, problem)
		}
		if branch == def {
			c.fail(where, "files: the default branch %s cannot be a branch of its own", branch)
		}
		facts.branches[branch] = true
		c.checkPaths(where, "files of branch "+branch, r.BranchFiles[branch])
	}
	for _, b := range r.Branches {
		if problem := refNameProblem(b); problem != "" {
			c.fail(where, "branches: %q %s", b, problem)
		}
		if facts.branches[b] && b != def {
			c.fail(where, "branches: %q is already a branch with files", b)
		}
		facts.branches[b] = true
	}
}

func (c *seedChecker) checkPaths(where, what string, files FileChanges) {
	for _, path := range mapkeys.Sorted(files) {
		if problem := pathProblem(path); problem != "" {
			c.fail(where, "%s: path %q %s", what, path, problem)
		}
	}
}

func (c *seedChecker) checkLabels(where string, labels []SeedLabel) {
	seen := map[string]bool{}
	for n, l := range labels {
		if l.Name == "" || seen[strings.ToLower(l.Name)] {
			c.fail(where, "labels[%d]: name %q is empty or appears twice", n, l.Name)
		}
		seen[strings.ToLower(l.Name)] = true
		if l.Color != "" && !colorPattern.MatchString(l.Color) {
			c.fail(where, "label %q: color %q is not six hex digits", l.Name, l.Color)
		}
	}
}

func (c *seedChecker) checkPull(k int, p SeedPull) {
	where := fmt.Sprintf("pulls[%d] (%s %q)", k, p.Repo, p.Title)
	facts := c.checkItem(where, p.Repo, p.Number, p.Title, p.Author, p.Assignees, p.Milestone)
	switch p.State {
	case "", "open", "closed", "merged":
	default:
		c.fail(where, "state %q: use open, closed or merged", p.State)
	}
	for _, login := range p.RequestedReviewers {
		c.needUser(where, "requested reviewer", login)
		if strings.EqualFold(login, p.Author) {
			c.fail(where, "the author %s cannot be a requested reviewer", login)
		}
	}
	c.checkPaths(where, "files", p.Files)
	if facts == nil {
		return
	}
	if p.Base != "" && !facts.branches[p.Base] {
		c.fail(where, "base branch %q does not exist in %s", p.Base, p.Repo)
	}
	if p.Head == "" {
		return
	}
	if problem := refNameProblem(p.Head); problem != "" {
		c.fail(where, "head branch %q %s", p.Head, problem)
	}
	if facts.branches[p.Head] || facts.heads[p.Head] {
		c.fail(where, "head branch %q already exists in %s; each pull request gets a new branch", p.Head, p.Repo)
	}
	facts.heads[p.Head] = true
}

// checkItem checks what issues and pulls share; it returns the repo's
// facts, nil when the repo is unknown.
func (c *seedChecker) checkItem(where, repo string, number int, title, author string, assignees []string, milestone string) *seedRepoFacts {
	if title == "" {
		c.fail(where, "title is empty")
	}
	c.needUser(where, "author", author)
	for _, login := range assignees {
		c.needUser(where, "assignee", login)
	}
	facts := c.repos[strings.ToLower(repo)]
	if facts == nil {
		c.fail(where, "repo %q is not a repo of the seed", repo)
		return nil
	}
	if milestone != "" && !facts.milestones[milestone] {
		c.fail(where, "milestone %q is not a milestone of %s", milestone, repo)
	}
	switch {
	case number < 0:
		c.fail(where, "number %d is negative", number)
	case number > 0 && facts.numbers[number] != "":
		c.fail(where, "number %d is already used by %s (issues and pull requests share numbers)", number, facts.numbers[number])
	case number > 0:
		facts.numbers[number] = where
	}
	return facts
}

// refNameProblem says what makes name an invalid branch name, or "".
func refNameProblem(name string) string {
	switch {
	case name == "":
		return "is empty"
	case strings.HasPrefix(name, "-"), strings.HasPrefix(name, "/"), strings.HasSuffix(name, "/"), strings.HasSuffix(name, ".lock"), strings.HasSuffix(name, "."):
		return "is not a valid branch name"
	case strings.Contains(name, ".."), strings.Contains(name, "//"), strings.Contains(name, "@{"), strings.ContainsAny(name, " ~^:?*[\\\x7f"):
		return "is not a valid branch name"
	}
	for _, r := range name {
		if r < 0x20 {
			return "is not a valid branch name"
		}
	}
	return ""
}

// pathProblem says what makes path an invalid file path, or "".
func pathProblem(path string) string {
	if path == "" || strings.HasPrefix(path, "/") || strings.ContainsAny(path, "\x00\n") {
		return "is not a relative file path"
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.EqualFold(seg, ".git") {
			return "has an empty, ., .. or .git element"
		}
	}
	return ""
}

// permRank orders repository permissions; 0 is not a permission.
func permRank(p string) int {
	switch p {
	case "read":
		return 1
	case "triage":
		return 2
	case "write":
		return 3
	case "maintain":
		return 4
	case "admin":
		return 5
	}
	return 0
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
