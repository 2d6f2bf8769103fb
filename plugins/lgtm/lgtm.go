// Package lgtm is the lgtm plugin: a collaborator's `/lgtm` on a pull
// request adds the lgtm label (and assigns them), `/lgtm cancel` or
// `/remove-lgtm` removes it, the author cannot LGTM their own pull request
// but may cancel, and a new push removes the label. With
// `review_acts_as_lgtm` approving and changes-requesting reviews do the
// same; `store_tree_hash` and `trusted_team_for_sticky_lgtm` keep the
// label across pushes that do not change the code or come from trusted
// authors; `owners.skip_collaborators` asks OWNERS instead of GitHub.
package lgtm

import (
	"context"
	"regexp"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/owners"
)

// Name is the plugin's name in plugins.yaml.
const Name = "lgtm"

// Label marks a pull request a reviewer approved of.
const Label = "lgtm"

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.NoticeClient
	IsCollaborator(ctx context.Context, org, repo, login string) (bool, error)
	AssignIssue(ctx context.Context, org, repo string, number int, logins []string) ([]string, error)
	RequestReview(ctx context.Context, org, repo string, number int, users, teams []string) error
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]github.PullRequestChange, error)
	GetCommitTree(ctx context.Context, org, repo, ref string) (string, error)
	ListTeamMembers(ctx context.Context, org, teamSlug string) ([]string, error)
}

// OwnersLoader gives the OWNERS of a repository at a base SHA.
type OwnersLoader interface {
	Load(ctx context.Context, org, repo, sha string) (*owners.RepoOwners, error)
}

type lgtm struct {
	gh     Client
	owners OwnersLoader
}

// New builds the plugin.
func New(gh Client, ol OwnersLoader) plugins.Plugin {
	p := &lgtm{gh: gh, owners: ol}
	return plugins.Plugin{
		Name:        Name,
		Description: "Adds the lgtm label when a collaborator says /lgtm on a pull request, and removes it on /lgtm cancel or when new commits are pushed.",
		ConfigHelp:  configHelp,
		Commands: []plugins.Command{{
			Name: "lgtm", Aliases: []string{"remove-lgtm"}, Args: regexp.MustCompile(`(?i)^(no-issue|cancel)?$`),
			Usage:       "/lgtm [cancel] | /remove-lgtm, or a GitHub review (Approve or Request changes)",
			Description: "Adds or removes the lgtm label, which tells the merge bot the change looks good.",
			WhoCanUse:   "Collaborators of the repository. The author may only cancel.",
			Examples:    []string{"/lgtm", "/lgtm cancel", "/remove-lgtm"}, Featured: true, Handle: p.command,
		}},
		PullRequest: p.pullRequest,
		Review:      p.review,
	}
}

func configHelp(cfg *pluginconfig.Configuration, orgRepos []string) map[string]string {
	return plugins.RepoHelp(orgRepos, func(org, repo string) string {
		lc := cfg.LgtmFor(org, repo)
		var notes []string
		if lc.ReviewActsAsLgtm {
			notes = append(notes, "Approving reviews add the label and reviews requesting changes remove it.")
		}
		if lc.StoreTreeHash {
			notes = append(notes, "A push that keeps the code as it was (a squash or rebase) keeps the label.")
		}
		if lc.StickyLgtmTeam != "" {
			notes = append(notes, "Pushes by members of the team "+lc.StickyLgtmTeam+" keep the label.")
		}
		if cfg.SkipCollaborators(org, repo) {
			notes = append(notes, "Only reviewers and approvers in the OWNERS files of the changed files may change the label.")
		}
		return strings.Join(notes, " ")
	})
}

// command handles a comment's /lgtm commands: any /lgtm wins over a
// cancel in the same comment, as in Prow.
func (p *lgtm) command(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
	if !ev.IsPR {
		return nil
	}
	want := false
	for _, inv := range invs {
		want = want || (inv.Name == "lgtm" && !strings.EqualFold(inv.Args, "cancel"))
	}
	return p.handle(ctx, env, ask{
		repo: ev.Repo, number: ev.Number, want: want, user: ev.User, author: ev.IssueAuthor,
		assignees: ev.Assignees, labels: ev.Labels,
		reply: func(msg string) string { return plugins.FormatCommentResponse(ev, msg) },
	})
}

// review handles a submitted review when review_acts_as_lgtm is set.
func (p *lgtm) review(ctx context.Context, env plugins.Env, ev plugins.ReviewEvent) error {
	r := ev.Repo
	if ev.Action != "submitted" || !env.PluginConfig().LgtmFor(r.Org, r.Name).ReviewActsAsLgtm {
		return nil
	}
	author := ev.Review.Author
	if strings.EqualFold(author, env.BotLogin) || strings.HasSuffix(author, "[bot]") {
		return nil
	}
	hasCommand := false
	for _, inv := range plugins.ParseCommands(ev.Review.Body) {
		hasCommand = hasCommand || inv.Name == "lgtm" || inv.Name == "remove-lgtm"
	}
	want, ok := ReviewWants(ev.Review.State, hasCommand)
	if !ok {
		return nil
	}
	return p.handle(ctx, env, ask{
		repo: r, number: ev.PR.Number, want: want, user: author, author: ev.PR.Author,
		assignees: ev.PR.Assignees, labels: ev.PR.Labels, headSHA: ev.PR.HeadSHA,
		reply: func(msg string) string {
			return plugins.FormatResponse(author, msg, ev.Review.HTMLURL, ev.Review.Body)
		},
	})
}
