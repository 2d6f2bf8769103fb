package plugins

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/effect"
)

// Delivery is one normalized webhook delivery, with the original payload
// kept for external plugins.
type Delivery struct {
	GUID      string
	EventType string // the X-GitHub-Event value
	Org       string
	Repo      string
	// Events are the normalized events the delivery carries (a comment is
	// also a GenericCommentEvent, an opened PR also a comment with its
	// body); none for events no plugin handles, which still go to external
	// plugins.
	Events []any
	// Body and Header are the delivery as received.
	Body   []byte
	Header map[string][]string
	// Replayed is set when an earlier run of hook journaled the delivery
	// but did not finish it: handlers may have done part of their work.
	Replayed bool
}

// Recorder records plugin handling (hook's metrics satisfy it).
type Recorder interface {
	Handled(event, action, plugin string, tookAction bool, took time.Duration, failed bool)
}

// DispatcherOptions configure a Dispatcher.
type DispatcherOptions struct {
	// Plugins are every plugin the binary has, listed in one place.
	Plugins []Plugin
	// Config and PluginConfig return the configuration in force.
	Config       config.Getter
	PluginConfig config.PluginsGetter
	// BotLogin returns the bot's login; comments by the bot are ignored.
	BotLogin func(ctx context.Context) (string, error)
	// Timeout bounds each plugin's handling of one event (default 5m).
	Timeout time.Duration
	// External forwards deliveries to external plugins; nil disables.
	External *ExternalForwarder
	Recorder Recorder
	Logger   *logrus.Entry
}

// Dispatcher runs the enabled plugins' handlers for each delivery.
type Dispatcher struct {
	opts    DispatcherOptions
	plugins map[string]Plugin
}

// NewDispatcher checks the plugin list (names unique and non-empty) and
// builds a Dispatcher.
func NewDispatcher(o DispatcherOptions) (*Dispatcher, error) {
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Minute
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	if o.PluginConfig == nil {
		return nil, errors.New("dispatcher needs the plugin configuration")
	}
	d := &Dispatcher{opts: o, plugins: map[string]Plugin{}}
	for _, p := range o.Plugins {
		if p.Name == "" {
			return nil, errors.New("a plugin has no name")
		}
		if _, dup := d.plugins[p.Name]; dup {
			return nil, fmt.Errorf("plugin %q is listed twice", p.Name)
		}
		d.plugins[p.Name] = p
	}
	return d, nil
}

// Names lists the plugins the dispatcher knows.
func (d *Dispatcher) Names() []string {
	out := make([]string, 0, len(d.plugins))
	for name := range d.plugins {
		out = append(out, name)
	}
	return out
}

// Wants reports whether a delivery of eventType for org/repo reaches any
// plugin: one built in and enabled there, or an external plugin there
// that takes the event type. A delivery nobody takes need not be decoded.
func (d *Dispatcher) Wants(org, repo, eventType string) bool {
	cfg := d.opts.PluginConfig()
	if cfg == nil {
		return false
	}
	if d.opts.External != nil {
		for _, ext := range cfg.ExternalPluginsFor(org, repo) {
			if wantsEvent(ext.Events, eventType) {
				return true
			}
		}
	}
	if org == "" {
		return false // in-process plugins act on repositories' events only
	}
	for _, name := range cfg.EnabledPlugins(org, repo) {
		if _, ok := d.plugins[name]; ok {
			return true
		}
	}
	return false
}

// Dispatch runs every enabled plugin's handler for the delivery, each in
// its own goroutine with a timeout and panic recovery, forwards it to the
// external plugins, and returns when all are done.
func (d *Dispatcher) Dispatch(ctx context.Context, del Delivery) {
	log := d.opts.Logger.WithFields(logrus.Fields{"delivery": del.GUID, "event": del.EventType, "org": del.Org, "repo": del.Repo})
	var wg sync.WaitGroup
	if d.opts.External != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.opts.External.Forward(ctx, log, del)
		}()
	}
	if len(del.Events) > 0 && del.Org != "" {
		env := Env{Config: d.opts.Config, PluginConfig: d.opts.PluginConfig}
		if d.opts.BotLogin != nil {
			login, err := d.opts.BotLogin(ctx)
			if err != nil {
				log.WithError(err).Error("Cannot tell the bot's own login; skipping plugins")
				wg.Wait()
				return
			}
			env.BotLogin = login
		}
		for _, name := range d.opts.PluginConfig().EnabledPlugins(del.Org, del.Repo) {
			p, ok := d.plugins[name]
			if !ok {
				continue // enabled in config but not built into this binary
			}
			for ei, event := range del.Events {
				for ci, c := range calls(p, event, env.BotLogin) {
					// The call's effects are keyed by its position, the
					// same on a replay (see prow/effect).
					scope := &effect.Scope{Delivery: del.GUID, Call: fmt.Sprintf("%s/%d.%d", p.Name, ei, ci), Replay: del.Replayed}
					wg.Add(1)
					go func() {
						defer wg.Done()
						d.run(effect.With(ctx, scope), log, env, p.Name, del.EventType, eventNumber(event), c)
					}()
				}
			}
		}
	}
	wg.Wait()
}

// call is one handler invocation for one event.
type call struct {
	action     string
	tookAction bool
	fn         func(ctx context.Context, env Env) error
}

// run executes one handler with a timeout, recovering a panic.
func (d *Dispatcher) run(ctx context.Context, log *logrus.Entry, env Env, plugin, eventType string, number int, c call) {
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	env.Log = log.WithField("plugin", plugin)
	if number > 0 {
		env.Log = env.Log.WithField("pr", number)
	}
	start := time.Now()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
			}
		}()
		return c.fn(ctx, env)
	}()
	if err == nil && ctx.Err() != nil {
		err = fmt.Errorf("handler did not finish within %s: %w", d.opts.Timeout, ctx.Err())
	}
	if d.opts.Recorder != nil {
		d.opts.Recorder.Handled(eventType, c.action, plugin, c.tookAction, time.Since(start), err != nil)
	}
	if err != nil {
		env.Log.WithError(err).Error("Plugin failed to handle event")
	}
}
