package plugins

import (
	"context"
	"strings"
)

// calls lists the handler invocations an event makes for one plugin.
func calls(p Plugin, event any, botLogin string) []call {
	switch ev := event.(type) {
	case GenericCommentEvent:
		return commentCalls(p, ev, botLogin)
	case PullRequestEvent:
		if p.PullRequest != nil {
			return []call{{action: ev.Action, fn: func(ctx context.Context, env Env) error { return p.PullRequest(ctx, env, ev) }}}
		}
	case IssueEvent:
		if p.Issue != nil {
			return []call{{action: ev.Action, fn: func(ctx context.Context, env Env) error { return p.Issue(ctx, env, ev) }}}
		}
	case ReviewEvent:
		if p.Review != nil {
			return []call{{action: ev.Action, fn: func(ctx context.Context, env Env) error { return p.Review(ctx, env, ev) }}}
		}
	case ReviewCommentEvent:
		if p.ReviewComment != nil {
			return []call{{action: ev.Action, fn: func(ctx context.Context, env Env) error { return p.ReviewComment(ctx, env, ev) }}}
		}
	default:
		return commitCalls(p, event)
	}
	return nil
}

// commitCalls lists the handler invocations of the events about commits.
func commitCalls(p Plugin, event any) []call {
	switch ev := event.(type) {
	case PushEvent:
		if p.Push != nil {
			return []call{{action: "push", fn: func(ctx context.Context, env Env) error { return p.Push(ctx, env, ev) }}}
		}
	case StatusEvent:
		if p.Status != nil {
			return []call{{action: ev.State, fn: func(ctx context.Context, env Env) error { return p.Status(ctx, env, ev) }}}
		}
	case CheckRunEvent:
		if p.CheckRun != nil {
			return []call{{action: ev.Action, fn: func(ctx context.Context, env Env) error { return p.CheckRun(ctx, env, ev) }}}
		}
	case CheckSuiteEvent:
		if p.CheckSuite != nil {
			return []call{{action: ev.Action, fn: func(ctx context.Context, env Env) error { return p.CheckSuite(ctx, env, ev) }}}
		}
	}
	return nil
}

// commentCalls lists the comment handler and the commands a comment runs.
// The bot's own comments run nothing.
func commentCalls(p Plugin, ev GenericCommentEvent, botLogin string) []call {
	if botLogin != "" && strings.EqualFold(ev.User, botLogin) {
		return nil
	}
	var out []call
	if p.GenericComment != nil {
		out = append(out, call{action: string(ev.Action), fn: func(ctx context.Context, env Env) error { return p.GenericComment(ctx, env, ev) }})
	}
	if len(p.Commands) == 0 {
		return out
	}
	invs := ParseCommands(ev.Body)
	for _, cmd := range p.Commands {
		if cmd.Handle == nil || !cmd.handlesAction(ev.Action) || (!cmd.OnClosed && ev.IssueState == "closed") {
			continue
		}
		var mine []Invocation
		for _, inv := range invs {
			if cmd.matches(inv) {
				mine = append(mine, inv)
			}
		}
		if len(mine) == 0 {
			continue
		}
		cmd := cmd
		out = append(out, call{action: string(ev.Action), tookAction: true, fn: func(ctx context.Context, env Env) error {
			return cmd.Handle(ctx, env, ev, mine)
		}})
	}
	return out
}

// eventNumber is the issue or PR number an event is about, or 0.
func eventNumber(event any) int {
	switch ev := event.(type) {
	case GenericCommentEvent:
		return ev.Number
	case PullRequestEvent:
		return ev.PR.Number
	case IssueEvent:
		return ev.Issue.Number
	case ReviewEvent:
		return ev.PR.Number
	case ReviewCommentEvent:
		return ev.PR.Number
	case CheckRunEvent:
		if len(ev.CheckRun.PullRequests) == 1 {
			return ev.CheckRun.PullRequests[0]
		}
	case CheckSuiteEvent:
		if len(ev.Suite.PullRequests) == 1 {
			return ev.Suite.PullRequests[0]
		}
	}
	return 0
}
