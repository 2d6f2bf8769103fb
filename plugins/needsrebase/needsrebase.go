package needsrebase

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
)

// Name is the plugin's name in plugins.yaml.
const Name = "needs-rebase"

// Label marks a pull request that conflicts with its base branch.
const Label = "needs-rebase"

// Marker is the hidden HTML comment that starts the bot's notice.
const Marker = "<!-- prow:needs-rebase -->"

// Message is what the notice says, as Prow says it.
const Message = "PR needs rebase."

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.NoticeClient
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	ListOpenPullRequests(ctx context.Context, org, repo, branch string) ([]github.PullRequest, error)
}

var _ Client = (*github.Client)(nil)

// Action is what to do to a pull request's label and notice.
type Action int

// The actions.
const (
	// Keep leaves the pull request as it is.
	Keep Action = iota
	// Mark comments (unless the notice is there) and adds the label.
	Mark
	// Clear deletes the notices and removes the label.
	Clear
)

// Decide says what to do to a pull request that has (or lacks) the label,
// given GitHub's mergeable answer (nil: not computed yet).
func Decide(mergeable *bool, hasLabel bool) Action {
	switch {
	case mergeable == nil:
		return Keep
	case !*mergeable && !hasLabel:
		return Mark
	case *mergeable && hasLabel:
		return Clear
	}
	return Keep
}

// Notice is the bot's comment on a conflicting pull request.
func Notice(author string) string {
	return fmt.Sprintf("%s\n@%s: %s\n\n<details>\n\nThe changes conflict with the base branch: rebase the branch on it (or merge it in), resolve the conflicts and push. "+
		"I remove the `%s` label once GitHub can merge the pull request again.\n\nThe commands I understand are listed [here](%s).\n</details>",
		Marker, author, Message, Label, plugins.DefaultHelpLink)
}

// IsNotice says whether a comment is the bot's notice.
func IsNotice(c github.IssueComment, bot string) bool { return notice.IsNotice(c, bot) }

// notice is the label and the bot's comment kept together.
var notice = plugins.LabelNotice{Label: Label, Marker: Marker}

// Options shape how long the plugin waits for GitHub to compute
// mergeability.
type Options struct {
	// Attempts is how often a pull request is read while its mergeability
	// is unknown (default 3); Wait the pause before the second read,
	// doubling after (default 2s).
	Attempts int
	Wait     time.Duration
}

// New builds the plugin.
func New(gh Client) plugins.Plugin { return NewWithOptions(gh, Options{}) }

// NewWithOptions builds the plugin with opts.
func NewWithOptions(gh Client, opts Options) plugins.Plugin {
	if opts.Attempts <= 0 {
		opts.Attempts = 3
	}
	if opts.Wait <= 0 {
		opts.Wait = 2 * time.Second
	}
	c := &checker{gh: gh, opts: opts}
	return plugins.Plugin{
		Name: Name,
		Description: "Adds the " + Label + " label and a comment to pull requests GitHub cannot merge because they conflict with their base branch, " +
			"and removes both once they merge cleanly again. It checks a pull request when it is opened, reopened or pushed to, " +
			"and every open pull request into a branch when that branch is pushed to.",
		PullRequest: c.pullRequest,
		Push:        c.push,
	}
}

type checker struct {
	gh   Client
	opts Options
}

// actions are the pull request actions that can change mergeability.
var actions = map[string]bool{"opened": true, "reopened": true, "synchronize": true}

func (c *checker) pullRequest(ctx context.Context, env plugins.Env, ev plugins.PullRequestEvent) error {
	if !actions[ev.Action] || ev.PR.State != "open" || ev.PR.Merged {
		return nil
	}
	return c.check(ctx, env, ev.Repo, ev.PR.Number, ev.PR.HeadSHA)
}

func (c *checker) push(ctx context.Context, env plugins.Env, ev plugins.PushEvent) error {
	if !strings.HasPrefix(ev.Ref, "refs/heads/") || ev.Deleted {
		return nil
	}
	r := ev.Repo
	pulls, err := c.gh.ListOpenPullRequests(ctx, r.Org, r.Name, ev.Branch())
	if err != nil {
		return err
	}
	var errs []error
	for _, pr := range pulls {
		prEnv := env
		prEnv.Log = env.Log.WithField("pr", pr.Number)
		if err := c.check(ctx, prEnv, r, pr.Number, ""); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// check reads the pull request until GitHub knows whether it merges, and
// marks or clears it. A non-empty head skips a pull request that moved on.
func (c *checker) check(ctx context.Context, env plugins.Env, r plugins.Repo, n int, head string) error {
	wait := c.opts.Wait
	for attempt := 1; ; attempt++ {
		pr, err := c.gh.GetPullRequest(ctx, r.Org, r.Name, n)
		if err != nil {
			return err
		}
		switch {
		case pr.State != "open" || pr.Merged:
			return nil
		case head != "" && pr.HeadSHA != head:
			env.Log.Debug("Pull request moved on since the event: skipping")
			return nil
		case pr.Mergeable != nil || attempt >= c.opts.Attempts:
			return c.act(ctx, env, r, pr)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for the mergeability of %s#%d: %w", r.FullName(), n, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func (c *checker) act(ctx context.Context, env plugins.Env, r plugins.Repo, pr github.PullRequest) error {
	switch Decide(pr.Mergeable, labels.Has(pr.Labels, Label)) {
	case Mark:
		env.Log.Info("Pull request conflicts with its base: it needs a rebase")
		return notice.Set(ctx, c.gh, env, r, pr.Number, Notice(pr.Author))
	case Clear:
		env.Log.Info("Pull request merges cleanly again")
		return notice.Clear(ctx, c.gh, env, r, pr.Number)
	}
	if pr.Mergeable == nil {
		env.Log.Info("GitHub has not computed the pull request's mergeability: leaving it")
	}
	return nil
}
