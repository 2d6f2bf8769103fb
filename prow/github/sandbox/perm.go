package sandbox

import "strings"

// permission is login's permission on r: the highest of ownership, a
// collaborator grant, the grants of the login's teams and the org role
// (admins get admin, members the base permission read); "none" without
// any.
func (w *world) permission(r *repo, login string) string {
	l := strings.ToLower(login)
	if l == "" {
		return "none"
	}
	if strings.EqualFold(r.Owner, login) {
		return "admin"
	}
	best := r.Collaborators[l]
	raise := func(p string) {
		if permRank(p) > permRank(best) {
			best = p
		}
	}
	if o := w.org(r.Owner); o != nil {
		switch o.Roles[l] {
		case "admin":
			raise("admin")
		case "member":
			raise("read")
		}
		for _, t := range o.Teams {
			if t.Members[l] != "" {
				raise(t.Repos[strings.ToLower(r.Name)])
			}
		}
	}
	if best == "" {
		return "none"
	}
	return best
}

// can says whether login has at least permission want on r.
func (w *world) can(r *repo, login, want string) bool {
	return permRank(w.permission(r, login)) >= permRank(want)
}

// canSee says whether login may read r: anyone a public one.
func (w *world) canSee(r *repo, login string) bool {
	return !r.Private || w.permission(r, login) != "none"
}

// isMember says whether login belongs to the org named owner.
func (w *world) isMember(owner, login string) bool {
	o := w.org(owner)
	return o != nil && o.Roles[strings.ToLower(login)] != ""
}

// assignable says whether login may be assigned to i: as on GitHub, users
// with write access, org members, and anyone who commented on it.
func (w *world) assignable(i *issue, login string) bool {
	if w.user(login) == nil {
		return false
	}
	if w.can(i.Repo, login, "write") || w.isMember(i.Repo.Owner, login) || strings.EqualFold(i.Author, login) {
		return true
	}
	for _, c := range i.Comments {
		if strings.EqualFold(c.Author, login) {
			return true
		}
	}
	return false
}

// association is GitHub's author_association of login with r.
func (w *world) association(r *repo, login string) string {
	l := strings.ToLower(login)
	switch {
	case strings.EqualFold(r.Owner, login):
		return "OWNER"
	case w.isMember(r.Owner, login):
		return "MEMBER"
	case r.Collaborators[l] != "" || w.permission(r, login) != "none":
		return "COLLABORATOR"
	}
	for _, i := range r.Issues {
		if i.PR != nil && i.PR.Merged && strings.EqualFold(i.Author, login) {
			return "CONTRIBUTOR"
		}
	}
	return "NONE"
}

// legacyPermission is the permission field of the collaborator permission
// API, which knows only admin, write, read and none.
func legacyPermission(p string) string {
	switch p {
	case "admin":
		return "admin"
	case "maintain", "write":
		return "write"
	case "triage", "read":
		return "read"
	}
	return "none"
}

// permissionFlags is the permissions object of repositories and
// collaborators.
func permissionFlags(p string) obj {
	rank := permRank(p)
	return obj{"admin": rank >= 5, "maintain": rank >= 4, "push": rank >= 3, "triage": rank >= 2, "pull": rank >= 1}
}
