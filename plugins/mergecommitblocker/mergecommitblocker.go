package mergecommitblocker

import (
	"context"
	"fmt"
	"strings"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
)

// Name is the plugin's name in plugins.yaml.
const Name = "mergecommitblocker"

// Label marks a pull request that contains merge commits.
const Label = "do-not-merge/contains-merge-commits"

// Marker is the hidden HTML comment that starts the bot's notice.
const Marker = "<!-- prow:mergecommitblocker -->"

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.NoticeClient
	ListPullRequestCommits(ctx context.Context, org, repo string, number int) ([]github.PullRequestCommit, error)
	GetIssueLabels(ctx context.Context, org, repo string, number int) ([]github.Label, error)
}

var _ Client = (*github.Client)(nil)

// MergeCommits returns the SHAs of the commits that have more than one
// parent, in the order given.
func MergeCommits(commits []github.PullRequestCommit) []string {
	var out []string
	for _, c := range commits {
		if len(c.Parents) > 1 {
			out = append(out, c.SHA)
		}
	}
	return out
}

// Action is what to do to a pull request's label and notice.
type Action int

// The actions.
const (
	// Keep leaves the pull request as it is.
	Keep Action = iota
	// Block comments (unless the notice is there) and adds the label.
	Block
	// Unblock deletes the notices and removes the label.
	Unblock
)

// Decide says what to do to a pull request that has (or lacks) the label
// when it has merges merge commits.
func Decide(merges int, hasLabel bool) Action {
	switch {
	case merges > 0 && !hasLabel:
		return Block
	case merges == 0 && hasLabel:
		return Unblock
	}
	return Keep
}

// Notice is the bot's comment on a pull request with merge commits.
func Notice(author string, merges []string) string {
	short := make([]string, 0, len(merges))
	for _, sha := range merges {
		if len(sha) > 7 {
			sha = sha[:7]
		}
		short = append(short, sha)
	}
	return fmt.Sprintf(`%s
@%s: this pull request contains merge commits (%s), which this repository does not accept, so I added the `+"`%s`"+` label.

Replay your changes on top of the target branch instead of merging it in (for example `+"`git fetch upstream && git rebase upstream/<branch>`"+`), then force-push. The label comes off once no merge commit is left.`,
		Marker, author, strings.Join(short, ", "), Label)
}

// IsNotice says whether a comment is the bot's notice.
func IsNotice(c github.IssueComment, bot string) bool { return notice.IsNotice(c, bot) }

// notice is the label and the bot's comment kept together.
var notice = plugins.LabelNotice{Label: Label, Marker: Marker}

// actions are the pull request actions that can add or drop commits.
var actions = map[string]bool{"opened": true, "reopened": true, "synchronize": true}

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	b := &blocker{gh: gh}
	return plugins.Plugin{
		Name: Name,
		Description: "Adds the " + Label + " label to pull requests whose commits include a merge commit, with a comment asking for a rebase, " +
			"and removes both once no merge commit is left. It checks when a pull request is opened, reopened or pushed to.",
		PullRequest: b.pullRequest,
	}
}

type blocker struct{ gh Client }

func (b *blocker) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	if !actions[ev.Action] || ev.PR.State != "open" || ev.PR.Merged {
		return nil
	}
	r, n := ev.Repo, ev.PR.Number
	commits, err := b.gh.ListPullRequestCommits(ctx, r.Org, r.Name, n)
	if err != nil {
		return err
	}
	merges := MergeCommits(commits)
	if Decide(len(merges), ev.PR.HasLabel(Label)) == Keep {
		return nil
	}
	// The event's labels may be stale (the bot's own earlier change, a
	// replay): decide again on the labels GitHub has now.
	current, err := b.gh.GetIssueLabels(ctx, r.Org, r.Name, n)
	if err != nil {
		return err
	}
	has := false
	for _, l := range current {
		has = has || labels.Equal(l.Name, Label)
	}
	switch Decide(len(merges), has) {
	case Block:
		env.Log.WithField("merge_commits", len(merges)).Info("Pull request contains merge commits: blocking it")
		return notice.Set(ctx, b.gh, env, r, n, Notice(ev.PR.Author, merges))
	case Unblock:
		env.Log.Info("No merge commits left: unblocking the pull request")
		return notice.Clear(ctx, b.gh, env, r, n)
	}
	return nil
}
