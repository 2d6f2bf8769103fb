package sandbox

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/prowbot/prow/prow/mapkeys"
)

// buildWorld creates the world of a valid seed, with a bare git repository
// per repo under gitRoot.
func buildWorld(ctx context.Context, seed *Seed, gitRoot string, allowPush bool, now func() time.Time) (*world, error) {
	w := &world{users: map[string]*user{}, byToken: map[string]*user{}, orgs: map[string]*org{}, repos: map[string]*repo{}, now: now}
	for _, su := range seed.Users {
		u := &user{ID: w.id(), Login: su.Login, Name: su.Name, Email: su.Email, Bot: su.Bot || su.Type == "Bot", SiteAdmin: su.SiteAdmin, CreatedAt: now()}
		w.users[strings.ToLower(u.Login)] = u
		if su.Token != "" {
			w.byToken[su.Token] = u
		}
	}
	for _, so := range seed.Orgs {
		o := &org{ID: w.id(), Login: so.Login, Roles: map[string]string{}, Teams: map[string]*team{}, CreatedAt: now()}
		for _, m := range so.Members {
			o.Roles[strings.ToLower(m)] = "member"
		}
		for _, m := range so.Admins {
			o.Roles[strings.ToLower(m)] = "admin"
		}
		for _, st := range so.Teams {
			t := &team{ID: w.id(), Org: o, Slug: st.Slug, Name: firstNonEmpty(st.Name, st.Slug), Description: st.Description,
				Members: map[string]string{}, Repos: map[string]string{}, CreatedAt: now()}
			for _, m := range st.Members {
				t.Members[strings.ToLower(m)] = "member"
			}
			for _, m := range st.Maintainers {
				t.Members[strings.ToLower(m)] = "maintainer"
			}
			for name, p := range st.Repos {
				t.Repos[strings.ToLower(name)] = p
			}
			o.Teams[t.Slug] = t
		}
		w.orgs[strings.ToLower(o.Login)] = o
	}
	for _, sr := range seed.Repos {
		if err := w.buildRepo(ctx, seed, sr, gitRoot, allowPush); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// seedItem is a pull request or issue of the seed, numbered.
type seedItem struct {
	number int
	pull   *SeedPull
	issue  *SeedIssue
}

// numberItems gives the repo's pulls and issues their numbers: the
// seed's, else the next free one.
func numberItems(seed *Seed, fullName string) []seedItem {
	var items []seedItem
	for k := range seed.Pulls {
		if strings.EqualFold(seed.Pulls[k].Repo, fullName) {
			items = append(items, seedItem{number: seed.Pulls[k].Number, pull: &seed.Pulls[k]})
		}
	}
	for k := range seed.Issues {
		if strings.EqualFold(seed.Issues[k].Repo, fullName) {
			items = append(items, seedItem{number: seed.Issues[k].Number, issue: &seed.Issues[k]})
		}
	}
	used := map[int]bool{}
	for _, it := range items {
		used[it.number] = true
	}
	next := 1
	for k := range items {
		if items[k].number != 0 {
			continue
		}
		for used[next] {
			next++
		}
		items[k].number, used[next] = next, true
	}
	// Created in number order, as on GitHub.
	sort.SliceStable(items, func(a, b int) bool { return items[a].number < items[b].number })
	return items
}

func (w *world) buildRepo(ctx context.Context, seed *Seed, sr SeedRepo, gitRoot string, allowPush bool) error {
	owner, name, _ := strings.Cut(sr.Name, "/")
	def := firstNonEmpty(sr.DefaultBranch, "main")
	g, err := initRepo(ctx, filepath.Join(gitRoot, owner, name+".git"), sr.Name, def, allowPush)
	if err != nil {
		return fmt.Errorf("create repository %s: %w", sr.Name, err)
	}
	now := w.now()
	r := &repo{ID: w.id(), Owner: owner, Name: name, DefaultBranch: def, Private: sr.Private, CreatedAt: now, PushedAt: now,
		Collaborators: map[string]string{}, Issues: map[int]*issue{}, NextNumber: 1, Comments: map[int64]*comment{},
		ReviewComment: map[int64]*reviewComment{}, Statuses: map[string][]*status{}, Branches: map[string]string{}, Git: g}
	for login, p := range sr.Collaborators {
		r.Collaborators[strings.ToLower(login)] = p
	}
	for _, sl := range sr.Labels {
		r.Labels = append(r.Labels, &label{ID: w.id(), Name: sl.Name, Color: strings.ToLower(firstNonEmpty(sl.Color, "ededed")), Description: sl.Description})
	}
	for k, sm := range sr.Milestones {
		m := &milestone{ID: w.id(), Number: k + 1, Title: sm.Title, Description: sm.Description, State: firstNonEmpty(sm.State, "open"),
			Creator: owner, CreatedAt: now, UpdatedAt: now}
		if m.State == "closed" {
			m.ClosedAt = &now
		}
		r.Milestones = append(r.Milestones, m)
	}
	w.repos[strings.ToLower(sr.Name)] = r

	for branch, sp := range sr.Protection {
		if r.Protection == nil {
			r.Protection = map[string]*protection{}
		}
		r.Protection[branch] = sp.rule()
	}
	if err := w.seedWorkflows(r, sr.Workflows); err != nil {
		return fmt.Errorf("repository %s: %w", sr.Name, err)
	}
	items := numberItems(seed, sr.Name)
	if err := w.importSeedCommits(ctx, r, sr, items); err != nil {
		return fmt.Errorf("create repository %s: %w", sr.Name, err)
	}
	for _, it := range items {
		if err := w.addSeedItem(ctx, r, it); err != nil {
			return fmt.Errorf("seed %s#%d: %w", sr.Name, it.number, err)
		}
	}
	return nil
}

// importSeedCommits commits the seed's branches and pull request heads in
// one fast-import, then reads the branches back.
func (w *world) importSeedCommits(ctx context.Context, r *repo, sr SeedRepo, items []seedItem) error {
	now := w.now()
	owner := w.signatureOf(r.Owner, now)
	files := FileChanges{}
	for p, c := range sr.Files {
		if c != Deleted {
			files[p] = c
		}
	}
	if len(files) == 0 {
		files["README.md"] = "# " + r.Name + "\n"
	}
	script := &importScript{}
	marks := map[string]string{r.DefaultBranch: script.commit("refs/heads/"+r.DefaultBranch, "", files, "Initial commit", owner, owner)}
	for _, b := range mapkeys.Sorted(sr.BranchFiles) {
		if b == r.DefaultBranch {
			continue
		}
		marks[b] = script.commit("refs/heads/"+b, marks[r.DefaultBranch], sr.BranchFiles[b], "Update "+b, owner, owner)
	}
	for _, b := range sr.Branches {
		if b != r.DefaultBranch && marks[b] == "" {
			script.reset("refs/heads/"+b, marks[r.DefaultBranch])
			marks[b] = marks[r.DefaultBranch]
		}
	}
	for _, it := range items {
		if it.pull == nil {
			continue
		}
		p := it.pull
		author := w.signatureOf(p.Author, now)
		head := script.commit("refs/heads/"+seedHead(p, it.number), marks[firstNonEmpty(p.Base, r.DefaultBranch)], p.Files, p.Title, author, author)
		script.reset(fmt.Sprintf("refs/pull/%d/head", it.number), head)
	}
	if _, err := r.Git.fastImport(ctx, script); err != nil {
		return err
	}
	heads, err := r.Git.refs(ctx, "refs/heads/")
	if err != nil {
		return err
	}
	for ref, sha := range heads {
		r.Branches[strings.TrimPrefix(ref, "refs/heads/")] = sha
	}
	return nil
}

func seedHead(p *SeedPull, number int) string {
	return firstNonEmpty(p.Head, fmt.Sprintf("%s-patch-%d", p.Author, number))
}

// addSeedItem adds a numbered issue or pull request, merging it when the
// seed says it was merged.
func (w *world) addSeedItem(ctx context.Context, r *repo, it seedItem) error {
	now := w.now()
	i := &issue{ID: w.id(), Repo: r, Number: it.number, State: "open", CreatedAt: now, UpdatedAt: now}
	var labels, assignees []string
	var ms, state string
	if p := it.pull; p != nil {
		i.Title, i.Body, i.Author, labels, assignees, ms, state = p.Title, p.Body, w.user(p.Author).Login, p.Labels, p.Assignees, p.Milestone, p.State
		head := seedHead(p, it.number)
		i.PR = &pull{Base: firstNonEmpty(p.Base, r.DefaultBranch), Head: head, HeadSHA: r.Branches[head], Draft: p.Draft}
		for _, login := range p.RequestedReviewers {
			i.PR.RequestedReviewers = append(i.PR.RequestedReviewers, w.user(login).Login)
		}
	} else {
		s := it.issue
		i.Title, i.Body, i.Author, labels, assignees, ms, state = s.Title, s.Body, w.user(s.Author).Login, s.Labels, s.Assignees, s.Milestone, s.State
	}
	for _, name := range labels {
		l := r.label(name)
		if l == nil {
			l = &label{ID: w.id(), Name: name, Color: "ededed"}
			r.Labels = append(r.Labels, l)
		}
		if !i.hasLabel(l.Name) {
			i.Labels = append(i.Labels, l)
		}
	}
	for _, login := range assignees {
		i.Assignees = append(i.Assignees, w.user(login).Login)
	}
	for _, m := range r.Milestones {
		if m.Title == ms && ms != "" {
			i.Milestone = m
		}
	}
	r.Issues[i.Number] = i
	if i.Number >= r.NextNumber {
		r.NextNumber = i.Number + 1
	}
	switch state {
	case "closed":
		i.State, i.ClosedAt, i.ClosedBy = "closed", &now, i.Author
		if i.PR != nil {
			i.PR.BaseSHA = r.Branches[i.PR.Base]
		}
	case "merged":
		return w.mergeSeedPull(ctx, r, i)
	}
	return nil
}

// mergeSeedPull merges a seeded pull request into its base branch.
func (w *world) mergeSeedPull(ctx context.Context, r *repo, i *issue) error {
	now := w.now()
	p := i.PR
	base := r.Branches[p.Base]
	sha, err := r.Git.mergeCommits(ctx, "merge", base, p.HeadSHA, mergeMessage(i, ""), w.signatureOf(r.Owner, now))
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if err := r.Git.updateRefs(ctx, refUpdate{Ref: "refs/heads/" + p.Base, New: sha, Old: base}); err != nil {
		return err
	}
	r.Branches[p.Base] = sha
	p.Merged, p.MergeSHA, p.MergedAt, p.MergedBy, p.BaseSHA = true, sha, &now, r.Owner, base
	i.State, i.ClosedAt, i.ClosedBy = "closed", &now, r.Owner
	return nil
}

// mergeMessage is the message of a merge commit of i.
func mergeMessage(i *issue, title string) string {
	return firstNonEmpty(title, fmt.Sprintf("Merge pull request #%d from %s/%s", i.Number, i.Repo.Owner, i.PR.Head)) + "\n\n" + i.Title
}

// signatureOf is login's commit signature at when.
func (w *world) signatureOf(login string, when time.Time) signature {
	s := signature{Name: login, Email: strings.ToLower(login) + "@users.noreply.sandbox", When: when}
	if u := w.user(login); u != nil {
		s.Name = firstNonEmpty(u.Name, u.Login)
		s.Email = firstNonEmpty(u.Email, fmt.Sprintf("%d+%s@users.noreply.sandbox", u.ID, u.Login))
	}
	return s
}
