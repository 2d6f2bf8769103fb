// Package lifecycle is the lifecycle plugin: `/lifecycle active|frozen|
// stale|rotten` sets one lifecycle/* label (they exclude each other),
// `/remove-lifecycle x` removes it, `/close` (or `/close not-planned`) and
// `/reopen` close and reopen, for the author and collaborators; anyone may
// close what is stale or rotten.
package lifecycle

import (
	"context"
	"regexp"
	"strings"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
)

// Name is the plugin's name in plugins.yaml.
const Name = "lifecycle"

var stages = []string{"active", "frozen", "stale", "rotten"}

// Client is what the plugin needs of GitHub.
type Client interface {
	AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error
	RemoveLabel(ctx context.Context, org, repo string, number int, label string) error
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
	IsCollaborator(ctx context.Context, org, repo, login string) (bool, error)
	CloseIssue(ctx context.Context, org, repo string, number int, reason string) error
	ReopenIssue(ctx context.Context, org, repo string, number int) error
}

// LabelPlan says how a /lifecycle or /remove-lifecycle command changes
// the labels: one stage at a time.
func LabelPlan(inv plugins.Invocation, have []string, isPR bool) (add string, remove []string, reply string) {
	stage := strings.ToLower(inv.Args)
	label := "lifecycle/" + stage
	has := labels.NewSet(have)
	if inv.Name == "remove-lifecycle" {
		if has.Has(label) {
			remove = []string{label}
		}
		return "", remove, ""
	}
	if stage == "frozen" && isPR {
		return "", nil, "The `lifecycle/frozen` label cannot be applied to pull requests."
	}
	for _, s := range stages {
		if other := "lifecycle/" + s; other != label && has.Has(other) {
			remove = append(remove, other)
		}
	}
	if !has.Has(label) {
		add = label
	}
	return add, remove, ""
}

// MayCloseOrReopen says who may close or reopen: the author and
// collaborators; anyone may close what is stale or rotten.
func MayCloseOrReopen(closing, isAuthor, collaborator bool, have []string) bool {
	if isAuthor || collaborator {
		return true
	}
	if closing {
		return labels.Has(have, "lifecycle/stale") || labels.Has(have, "lifecycle/rotten")
	}
	return false
}

func kind(isPR bool) string {
	if isPR {
		return "PR"
	}
	return "issue"
}

// handlers holds the plugin's GitHub client.
type handlers struct{ gh Client }

func (h handlers) lifecycle(ctx context.Context, _ plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	have := append([]string(nil), ev.Labels...)
	for _, inv := range invs {
		add, remove, reply := LabelPlan(inv, have, ev.IsPR)
		if reply != "" {
			if _, err := h.gh.CreateComment(ctx, org, repo, n, plugins.FormatCommentResponse(ev, reply)); err != nil {
				return err
			}
			continue
		}
		for _, l := range remove {
			if err := h.gh.RemoveLabel(ctx, org, repo, n, l); err != nil {
				return err
			}
		}
		if add != "" {
			if err := h.gh.AddLabels(ctx, org, repo, n, add); err != nil {
				return err
			}
			have = append(have, add)
		}
	}
	return nil
}

func (h handlers) closeOrReopen(ctx context.Context, _ plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
	org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
	last := invs[len(invs)-1]
	closing := last.Name == "close"
	if (closing && ev.IssueState == "closed") || (!closing && ev.IssueState == "open") {
		return nil
	}
	collaborator, err := h.gh.IsCollaborator(ctx, org, repo, ev.User)
	if err != nil {
		return err
	}
	reply := func(msg string) error {
		_, err := h.gh.CreateComment(ctx, org, repo, n, plugins.FormatCommentResponse(ev, msg))
		return err
	}
	if !MayCloseOrReopen(closing, strings.EqualFold(ev.User, ev.IssueAuthor), collaborator, ev.Labels) {
		if closing {
			return reply("You can't close an active " + kind(ev.IsPR) + " unless you authored it or you are a collaborator.")
		}
		return reply("You can't reopen " + kind(ev.IsPR) + " unless you authored it or you are a collaborator.")
	}
	if !closing {
		if err := h.gh.ReopenIssue(ctx, org, repo, n); err != nil {
			return err
		}
		return reply("Reopened this " + kind(ev.IsPR) + ".")
	}
	reason := ""
	if strings.EqualFold(last.Args, "not-planned") {
		reason = "not_planned"
	}
	if err := h.gh.CloseIssue(ctx, org, repo, n, reason); err != nil {
		return err
	}
	return reply("Closed this " + kind(ev.IsPR) + ".")
}

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	h := handlers{gh: gh}
	return plugins.Plugin{
		Name:        Name,
		Description: "Sets lifecycle/* labels and closes or reopens issues and pull requests.",
		Commands: []plugins.Command{
			{Name: "lifecycle", Aliases: []string{"remove-lifecycle"}, Args: regexp.MustCompile(`(?i)^(active|frozen|stale|rotten)$`),
				Usage: "/[remove-]lifecycle <active|frozen|stale|rotten>", Description: "Sets or removes a lifecycle/* label; setting one removes the others.",
				WhoCanUse: "Anyone", Examples: []string{"/lifecycle frozen", "/remove-lifecycle stale"}, Handle: h.lifecycle},
			{Name: "close", Args: regexp.MustCompile(`(?i)^(not-planned)?$`), Usage: "/close [not-planned]",
				Description: "Closes the issue or pull request.", WhoCanUse: "Authors and collaborators; anyone if it is stale or rotten.",
				Examples: []string{"/close", "/close not-planned"}, Handle: h.closeOrReopen},
			{Name: "reopen", Usage: "/reopen", Description: "Reopens the issue or pull request.", WhoCanUse: "Authors and collaborators.",
				Examples: []string{"/reopen"}, OnClosed: true, Handle: h.closeOrReopen},
		},
	}
}
