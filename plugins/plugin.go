package plugins

import (
	"context"
	"regexp"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/pluginconfig"
)

// Env is what the framework gives every handler call.
type Env struct {
	// Log carries the delivery's fields (delivery, event, org, repo, pr,
	// plugin).
	Log *logrus.Entry
	// Config and PluginConfig return the configuration in force.
	Config       config.Getter
	PluginConfig config.PluginsGetter
	// BotLogin is the bot's own GitHub login.
	BotLogin string
}

// Command is a slash command a plugin declares. The parser and the help
// text both come from this declaration.
type Command struct {
	// Name is the command without its slash, e.g. "lgtm".
	Name string
	// Aliases also invoke the command, e.g. "remove-lgtm".
	Aliases []string
	// Args, when set, must match the arguments (anchor it); when nil the
	// command takes no arguments and "/name something" is not this command.
	Args *regexp.Regexp
	// Usage, Description, WhoCanUse, Examples and Featured document it.
	Usage       string
	Description string
	WhoCanUse   string
	Examples    []string
	Featured    bool
	// Actions are the comment actions it runs for; empty means created.
	Actions []CommentAction
	// OnClosed lets the command run on closed issues and pull requests.
	OnClosed bool
	// Handle runs once per comment with every invocation of the command
	// the comment holds, in order.
	Handle func(ctx context.Context, env Env, ev GenericCommentEvent, invs []Invocation) error
}

// Plugin is one plugin: a value declaring its name, help, commands and
// event handlers. Plugins are built by their packages' constructors with
// the narrow dependencies they need, and listed in one place.
type Plugin struct {
	Name        string
	Description string
	// ConfigHelp describes the plugin's configuration for the given repos
	// (shown on the plugin help page); optional.
	ConfigHelp func(cfg *pluginconfig.Configuration, orgRepos []string) map[string]string
	Commands   []Command

	// Event handlers; nil means the plugin ignores that event. Comment
	// handlers see every generic comment, commands or not (the bot's own
	// comments excluded).
	GenericComment func(ctx context.Context, env Env, ev GenericCommentEvent) error
	PullRequest    func(ctx context.Context, env Env, ev PullRequestEvent) error
	Issue          func(ctx context.Context, env Env, ev IssueEvent) error
	Review         func(ctx context.Context, env Env, ev ReviewEvent) error
	ReviewComment  func(ctx context.Context, env Env, ev ReviewCommentEvent) error
	Push           func(ctx context.Context, env Env, ev PushEvent) error
	Status         func(ctx context.Context, env Env, ev StatusEvent) error
	CheckRun       func(ctx context.Context, env Env, ev CheckRunEvent) error
	CheckSuite     func(ctx context.Context, env Env, ev CheckSuiteEvent) error
}

// events lists the webhook events the plugin handles, for its help.
func (p Plugin) events() []string {
	var out []string
	if p.GenericComment != nil || len(p.Commands) > 0 {
		out = append(out, "issue_comment", "pull_request_review", "pull_request_review_comment")
	}
	add := func(set bool, name string) {
		if set {
			out = append(out, name)
		}
	}
	add(p.PullRequest != nil, "pull_request")
	add(p.Issue != nil, "issues")
	add(p.Review != nil && p.GenericComment == nil && len(p.Commands) == 0, "pull_request_review")
	add(p.ReviewComment != nil && p.GenericComment == nil && len(p.Commands) == 0, "pull_request_review_comment")
	add(p.Push != nil, "push")
	add(p.Status != nil, "status")
	add(p.CheckRun != nil, "check_run")
	add(p.CheckSuite != nil, "check_suite")
	return out
}
