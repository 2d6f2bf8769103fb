// Package override is the override plugin: `/override <context> ...` lets a
// repository admin (or a member of a team plugins.yaml allows) mark failed
// or missing status contexts of a pull request as passing, "Overridden by
// <user>". A context reported as a check run (a GitHub App bot's jobs,
// GitHub Actions) is overridden with a new, successful check run of the
// same name, the one GitHub and tide then read.
package override

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "override"

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.ContextClient
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	Permission(ctx context.Context, org, repo, login string) (string, error)
	ListTeamMembers(ctx context.Context, org, teamSlug string) ([]string, error)
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
}

// Contexts reads the contexts a comment's /override commands name.
func Contexts(invs []plugins.Invocation) []string {
	seen := map[string]bool{}
	var out []string
	for _, inv := range invs {
		for _, c := range strings.Fields(inv.Args) {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// Plan gives what overrides the named contexts of the head sha: a
// successful status for each context not passing, and for each the PR
// does not report (a job that never ran can block a merge too); a
// context only a check run reports gets a new successful check run
// instead. statuses and checks are newest first, as GitHub lists them.
func Plan(names []string, statuses []github.Status, checks []github.CheckRun, sha, user string) ([]github.Status, []github.CheckRun) {
	current := map[string]github.Status{}
	for _, s := range statuses {
		if _, seen := current[s.Context]; !seen {
			current[s.Context] = s
		}
	}
	runs := map[string]github.CheckRun{}
	for _, c := range checks {
		if _, seen := runs[c.Name]; !seen {
			runs[c.Name] = c
		}
	}
	var out []github.Status
	var outRuns []github.CheckRun
	for _, n := range names {
		s, isStatus := current[n]
		if run, isRun := runs[n]; isRun && !isStatus {
			if github.CheckRunState(run.Status, run.Conclusion) != "success" {
				outRuns = append(outRuns, github.CheckRun{Name: n, HeadSHA: sha, Status: "completed", Conclusion: "success",
					DetailsURL: run.DetailsURL, Title: "Overridden by " + user,
					Summary: fmt.Sprintf("%s overrode the result of %s with /override.", user, n)})
			}
			continue
		}
		if s.State == "success" {
			continue
		}
		out = append(out, github.Status{Context: n, State: "success", Description: "Overridden by " + user, TargetURL: s.TargetURL})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Context < out[j].Context })
	sort.Slice(outRuns, func(i, j int) bool { return outRuns[i].Name < outRuns[j].Name })
	return out, outRuns
}

type handlers struct{ gh Client }

// allowed says whether user may override on org/repo.
func (h handlers) allowed(ctx context.Context, env plugins.Env, org, repo, user string) (bool, error) {
	perm, err := h.gh.Permission(ctx, org, repo, user)
	if err != nil {
		return false, err
	}
	if perm == "admin" {
		return true, nil
	}
	teams := env.PluginConfig().Override.AllowedGitHubTeams[org+"/"+repo]
	for _, team := range teams {
		if in, err := plugins.InTeam(ctx, h.gh, org, team, user); err != nil || in {
			return in, err
		}
	}
	return false, nil
}

func (h handlers) handle(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
	if !ev.IsPR {
		return nil
	}
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	reply := func(msg string) error {
		_, err := h.gh.CreateComment(ctx, org, repo, n, plugins.FormatCommentResponse(ev, msg))
		return err
	}
	names := Contexts(invs)
	ok, err := h.allowed(ctx, env, org, repo, ev.User)
	if err != nil {
		return err
	}
	if !ok {
		return reply(fmt.Sprintf("%s unauthorized: /override is restricted to repo administrators.", ev.User))
	}
	pr, err := h.gh.GetPullRequest(ctx, org, repo, n)
	if err != nil {
		return err
	}
	return plugins.ContextRewrite{
		Plan: func(statuses []github.Status, checks []github.CheckRun) ([]github.Status, []github.CheckRun) {
			return Plan(names, statuses, checks, pr.HeadSHA, ev.User)
		},
		StatusLog: "Overriding status", RunLog: "Overriding check run",
	}.Apply(ctx, env, h.gh, ev.Repo, pr.HeadSHA)
}

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handlers{gh: gh}
	return plugins.Plugin{
		Name:        Name,
		Description: "Lets repository admins mark failed or missing status contexts (statuses or check runs) as passing.",
		Commands: []plugins.Command{{
			Name: "override", Args: regexp.MustCompile(`^\S+(\s+\S+)*$`), Usage: "/override <context> [<context> ...]",
			Description: "Sets the named status contexts to success, \"Overridden by <you>\".",
			WhoCanUse:   "Repository admins and members of the teams override.allowed_github_teams names.",
			Examples:    []string{"/override pull-hello-e2e"}, Handle: h.handle,
		}},
	}
}
