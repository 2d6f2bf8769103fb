package harness

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/testlog"
)

// The misbehaving plugins Crowd runs beside the one under test.
const (
	Panics = "panics-always"
	Hangs  = "hangs-always"
)

// Crowd is a dispatcher running p beside a plugin that panics on every
// event and one that hangs until its time is up, all three enabled for
// demo under cfg's other settings, each call bounded by timeout. Its
// Failed tells which plugins failed their last call.
type Crowd struct {
	*plugins.Dispatcher
	mu     sync.Mutex
	failed map[string]bool
}

// NewCrowd builds the Crowd.
func NewCrowd(t testing.TB, p plugins.Plugin, cfg pluginconfig.Configuration, timeout time.Duration) *Crowd {
	t.Helper()
	panics := plugins.Plugin{Name: Panics,
		PullRequest:    func(context.Context, plugins.Env, plugins.PullRequestEvent) error { panic("boom") },
		GenericComment: func(context.Context, plugins.Env, plugins.GenericCommentEvent) error { panic("boom") }}
	wait := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	hangs := plugins.Plugin{Name: Hangs,
		PullRequest:    func(ctx context.Context, _ plugins.Env, _ plugins.PullRequestEvent) error { return wait(ctx) },
		GenericComment: func(ctx context.Context, _ plugins.Env, _ plugins.GenericCommentEvent) error { return wait(ctx) }}
	cfg.Plugins = pluginconfig.Plugins{"demo": {Plugins: []string{Panics, p.Name, Hangs}}}
	c := &Crowd{failed: map[string]bool{}}
	d, err := plugins.NewDispatcher(plugins.DispatcherOptions{Plugins: []plugins.Plugin{panics, p, hangs},
		PluginConfig: func() *pluginconfig.Configuration { return &cfg },
		BotLogin:     func(context.Context) (string, error) { return Bot, nil },
		Timeout:      timeout, Recorder: c, Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	c.Dispatcher = d
	return c
}

// Handled records a call's outcome (plugins.Recorder).
func (c *Crowd) Handled(_, _, plugin string, _ bool, _ time.Duration, failed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failed[plugin] = failed
}

// Failed says whether plugin's last call failed.
func (c *Crowd) Failed(plugin string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failed[plugin]
}

// Deliver dispatches events for demo/hello as delivery guid (replayed
// or not), and waits for the webhooks the bot's writes caused.
func (e *Env) Deliver(c *Crowd, guid, eventType string, replayed bool, events ...any) {
	e.t.Helper()
	c.Dispatch(context.Background(), plugins.Delivery{GUID: guid, EventType: eventType, Org: "demo", Repo: "hello", Events: events, Replayed: replayed})
	e.Settle()
}

// DeliverFailing delivers ev as pull_request delivery d1, a first run in
// which plugin and both misbehaving plugins must fail.
func (e *Env) DeliverFailing(c *Crowd, plugin string, ev any) {
	e.t.Helper()
	e.Deliver(c, "d1", "pull_request", false, ev)
	if !c.Failed(plugin) || !c.Failed(Panics) || !c.Failed(Hangs) {
		e.t.Fatal("the first run should fail for all three plugins")
	}
}

// Replay delivers ev as the replay of pull_request delivery d1, in which
// plugin must not fail.
func (e *Env) Replay(c *Crowd, plugin string, ev any) {
	e.t.Helper()
	e.Deliver(c, "d1", "pull_request", true, ev)
	if c.Failed(plugin) {
		e.t.Fatal("the replay failed")
	}
}

// StallOnce makes the first call that asks hang until its time is up; a
// wrapped client uses it to time out one call of the plugin under test.
type StallOnce struct{ stalled atomic.Bool }

// Hang waits for ctx to end and returns its error on the first call;
// later calls get nil at once.
func (s *StallOnce) Hang(ctx context.Context) error {
	if s.stalled.CompareAndSwap(false, true) {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

// StallLabels is the real client, whose first label write hangs until
// the call's time is up (after what the plugin did before it went out).
type StallLabels struct {
	*github.Client
	Stall *StallOnce
}

// AddLabels hangs the first time, then adds the labels.
func (s StallLabels) AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error {
	if err := s.Stall.Hang(ctx); err != nil {
		return err
	}
	return s.Client.AddLabels(ctx, org, repo, number, labels...)
}
