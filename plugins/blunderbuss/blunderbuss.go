// Package blunderbuss is the blunderbuss plugin: when a pull request opens
// (or leaves draft), it requests reviews from the OWNERS reviewers of the
// changed files, favoring those who review the most changed lines; `/auto-cc`
// asks it to do so again.
package blunderbuss

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/owners"
)

// Name is the plugin's name in plugins.yaml.
const Name = "blunderbuss"

// Client is what the plugin needs of GitHub.
type Client interface {
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]github.PullRequestChange, error)
	RequestReview(ctx context.Context, org, repo string, number int, users, teams []string) error
}

// OwnersLoader gives the OWNERS of a repository at a base SHA.
type OwnersLoader interface {
	Load(ctx context.Context, org, repo, sha string) (*owners.RepoOwners, error)
}

// Pick chooses up to count reviewers for the changes: each reviewer (or,
// unless excludeApprovers, approver when reviewers run short) weighs the
// changed lines of the files they may review; the heaviest are chosen,
// ties by name. The author and people to skip are never chosen.
func Pick(ro *owners.RepoOwners, changes []github.PullRequestChange, author string, skip []string, count int, excludeApprovers bool) []string {
	skipped := map[string]bool{strings.ToLower(author): true}
	for _, s := range skip {
		skipped[strings.ToLower(s)] = true
	}
	weigh := func(of func(string) []string) map[string]int {
		w := map[string]int{}
		for _, c := range changes {
			for _, who := range of(c.Filename) {
				if !skipped[who] {
					w[who] += c.Additions + c.Deletions + 1
				}
			}
		}
		return w
	}
	chosen := top(weigh(ro.Reviewers), count)
	if len(chosen) < count && !excludeApprovers {
		for _, c := range chosen {
			skipped[c] = true
		}
		chosen = append(chosen, top(weigh(ro.Approvers), count-len(chosen))...)
	}
	return chosen
}

func top(weights map[string]int, n int) []string {
	names := make([]string, 0, len(weights))
	for who := range weights {
		names = append(names, who)
	}
	sort.Slice(names, func(i, j int) bool {
		if weights[names[i]] != weights[names[j]] {
			return weights[names[i]] > weights[names[j]]
		}
		return names[i] < names[j]
	})
	if len(names) > n {
		names = names[:n]
	}
	return names
}

var ccRe = regexp.MustCompile(`(?m)^/cc\b`)

type handlers struct {
	gh     Client
	owners OwnersLoader
}

// request requests reviews on a pull request.
func (h handlers) request(ctx context.Context, env plugins.Env, org, repo string, pr github.PullRequest, already []string) error {
	cfg := env.PluginConfig().Blunderbuss
	if cfg.IgnoreDrafts && pr.Draft {
		return nil
	}
	for _, a := range cfg.IgnoreAuthors {
		if strings.EqualFold(a, pr.Author) {
			return nil
		}
	}
	changes, err := h.gh.GetPullRequestChanges(ctx, org, repo, pr.Number)
	if err != nil {
		return err
	}
	ro, err := h.owners.Load(ctx, org, repo, pr.BaseSHA)
	if err != nil {
		return err
	}
	count := cfg.ReviewerCountOrDefault()
	if cfg.MaxReviewerCount > 0 && count > cfg.MaxReviewerCount {
		count = cfg.MaxReviewerCount
	}
	picked := Pick(ro, changes, pr.Author, already, count, cfg.ExcludeApprovers)
	if len(picked) == 0 {
		return nil
	}
	env.Log.WithField("reviewers", strings.Join(picked, ",")).Info("Requesting reviews")
	return h.gh.RequestReview(ctx, org, repo, pr.Number, picked, nil)
}

// New builds the plugin.
func New(gh Client, loader OwnersLoader) plugins.Plugin {
	h := handlers{gh: gh, owners: loader}
	return plugins.Plugin{
		Name:        Name,
		Description: "Requests reviews from OWNERS reviewers of the changed files when a pull request opens, favoring those who review the most changed lines.",
		ConfigHelp: func(cfg *pluginconfig.Configuration, _ []string) map[string]string {
			return map[string]string{"": fmt.Sprintf("Requests %d reviewers.", cfg.Blunderbuss.ReviewerCountOrDefault())}
		},
		PullRequest: func(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
			if (ev.Action != "opened" && ev.Action != "ready_for_review") || ccRe.MatchString(ev.PR.Body) {
				return nil
			}
			pr, err := gh.GetPullRequest(ctx, ev.Repo.Org, ev.Repo.Name, ev.PR.Number)
			if err != nil {
				return err
			}
			return h.request(ctx, env, ev.Repo.Org, ev.Repo.Name, pr, ev.PR.RequestedReviewers)
		},
		Commands: []plugins.Command{{
			Name: "auto-cc", Usage: "/auto-cc", Description: "Requests reviews from OWNERS reviewers again.",
			WhoCanUse: "Anyone", Examples: []string{"/auto-cc"},
			Handle: plugins.OnPullRequest(gh, func(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, pr github.PullRequest) error {
				return h.request(ctx, env, ev.Repo.Org, ev.Repo.Name, pr, nil)
			}),
		}},
	}
}
