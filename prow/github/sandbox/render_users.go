package sandbox

import (
	"fmt"
	"strings"
	"time"
)

// obj is a JSON object as GitHub writes it.
type obj = map[string]any

// ts formats a time as GitHub does.
func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// tsOrNil is ts of t, or null.
func tsOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func nodeID(prefix string, id int64) string { return fmt.Sprintf("%s_%d", prefix, id) }

// userObj is a simple-user (an org renders as type Organization).
func (t *tx) userObj(login string) obj {
	var id int64
	typ, siteAdmin := "User", false
	if u := t.w.user(login); u != nil {
		id, login, siteAdmin = u.ID, u.Login, u.SiteAdmin
		if u.Bot {
			typ = "Bot"
		}
	}
	if o := t.w.org(login); o != nil {
		id, login, typ = o.ID, o.Login, "Organization"
	}
	api := t.links.api + "/users/" + login
	return obj{"login": login, "id": id, "node_id": nodeID("U", id), "type": typ, "site_admin": siteAdmin,
		"avatar_url": t.links.web + "/avatars/" + login, "gravatar_id": "", "url": api, "html_url": t.links.web + "/" + login,
		"followers_url": api + "/followers", "following_url": api + "/following{/other_user}", "gists_url": api + "/gists{/gist_id}",
		"starred_url": api + "/starred{/owner}{/repo}", "subscriptions_url": api + "/subscriptions", "organizations_url": api + "/orgs",
		"repos_url": api + "/repos", "events_url": api + "/events{/privacy}", "received_events_url": api + "/received_events",
		"user_view_type": "public"}
}

// userObjOrNil is userObj, or null for "".
func (t *tx) userObjOrNil(login string) any {
	if login == "" {
		return nil
	}
	return t.userObj(login)
}

func (t *tx) usersObj(logins []string) []obj {
	out := make([]obj, 0, len(logins))
	for _, l := range logins {
		out = append(out, t.userObj(l))
	}
	return out
}

// fullUserObj is a public-user, or a private-user for oneself.
func (t *tx) fullUserObj(u *user, self bool) obj {
	o := t.userObj(u.Login)
	o["name"], o["email"] = nilIfEmpty(u.Name), nilIfEmpty(u.Email)
	o["company"], o["blog"], o["location"], o["hireable"], o["bio"], o["twitter_username"] = nil, "", nil, nil, nil, nil
	o["public_repos"], o["public_gists"], o["followers"], o["following"] = 0, 0, 0, 0
	o["created_at"], o["updated_at"] = ts(u.CreatedAt), ts(u.CreatedAt)
	if self {
		o["user_view_type"] = "private"
		o["private_gists"], o["total_private_repos"], o["owned_private_repos"], o["disk_usage"], o["collaborators"] = 0, 0, 0, 0, 0
		o["two_factor_authentication"] = true
	}
	return o
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// orgObj is an organization-simple.
func (t *tx) orgObj(o *org) obj {
	api := t.links.api + "/orgs/" + o.Login
	return obj{"login": o.Login, "id": o.ID, "node_id": nodeID("O", o.ID), "url": api, "repos_url": api + "/repos",
		"events_url": api + "/events", "hooks_url": api + "/hooks", "issues_url": api + "/issues", "members_url": api + "/members{/member}",
		"public_members_url": api + "/public_members{/member}", "avatar_url": t.links.web + "/avatars/" + o.Login, "description": nil}
}

// membershipObj is an org-membership.
func (t *tx) membershipObj(o *org, login string) obj {
	role := o.Roles[strings.ToLower(login)]
	return obj{"url": t.links.api + "/orgs/" + o.Login + "/memberships/" + login, "state": "active", "role": role,
		"organization_url": t.links.api + "/orgs/" + o.Login, "organization": t.orgObj(o), "user": t.userObj(login)}
}

// teamObj is a team (team-full with full set).
func (t *tx) teamObj(tm *team, full bool) obj {
	api := fmt.Sprintf("%s/organizations/%d/team/%d", t.links.api, tm.Org.ID, tm.ID)
	o := obj{"id": tm.ID, "node_id": nodeID("T", tm.ID), "url": api, "html_url": t.links.web + "/orgs/" + tm.Org.Login + "/teams/" + tm.Slug,
		"name": tm.Name, "slug": tm.Slug, "description": nilIfEmpty(tm.Description), "privacy": "closed", "notification_setting": "notifications_enabled",
		"permission": "pull", "members_url": api + "/members{/member}", "repositories_url": api + "/repos", "parent": nil, "type": "organization"}
	if full {
		delete(o, "parent")
		o["members_count"], o["repos_count"] = len(tm.Members), len(tm.Repos)
		o["created_at"], o["updated_at"], o["organization"] = ts(tm.CreatedAt), ts(tm.CreatedAt), t.teamOrgObj(tm.Org)
	}
	return o
}

// teamOrgObj is the organization as GET /orgs/{org} and team-full show it.
func (t *tx) teamOrgObj(o *org) obj {
	out := t.orgObj(o)
	out["name"], out["company"], out["blog"], out["location"], out["email"] = o.Login, "", "", "", ""
	out["has_organization_projects"], out["has_repository_projects"], out["public_repos"], out["public_gists"] = false, false, 0, 0
	out["followers"], out["following"], out["html_url"], out["type"] = 0, 0, t.links.web+"/"+o.Login, "Organization"
	out["created_at"], out["updated_at"], out["archived_at"] = ts(o.CreatedAt), ts(o.CreatedAt), nil
	return out
}

// collaboratorObj is a collaborator: a user with their permissions.
func (t *tx) collaboratorObj(rp *repo, login string) obj {
	o := t.userObj(login)
	p := t.w.permission(rp, login)
	o["permissions"], o["role_name"] = permissionFlags(p), p
	return o
}
