package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/effect"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/testlog"
)

// Panicker is a plugin that panics on every event it can take, to run
// beside a plugin under test: the dispatcher must contain it, and the
// other plugins must act as if it were not there.
func Panicker(name string) plugins.Plugin {
	return plugins.Plugin{
		Name:           name,
		GenericComment: func(context.Context, plugins.Env, plugins.GenericCommentEvent) error { panic(name + ": comment") },
		PullRequest:    func(context.Context, plugins.Env, plugins.PullRequestEvent) error { panic(name + ": pull request") },
		Issue:          func(context.Context, plugins.Env, plugins.IssueEvent) error { panic(name + ": issue") },
	}
}

// CommentThroughFaults is Comment while the sandbox injects faults.
func (e *Env) CommentThroughFaults(token, org, repo string, number int, body string) {
	e.t.Helper()
	e.DoThroughFaults(token, http.MethodPost, fmt.Sprintf("/repos/%s/%s/issues/%d/comments", org, repo, number), map[string]string{"body": body})
	e.Settle()
}

// DoThroughFaults is Do while the sandbox injects faults: a person's
// request that a fault struck (before GitHub applied it) is sent again,
// as a browser's user would, until it goes through.
func (e *Env) DoThroughFaults(token, method, path string, body any) {
	e.t.Helper()
	payload, err := json.Marshal(body)
	must(e.t, err)
	for try := 0; ; try++ {
		if try == 50 {
			e.t.Fatalf("%s %s as %s: every try failed", method, path, token)
		}
		req, err := http.NewRequest(method, e.URL+"/api/v3"+path, bytes.NewReader(payload))
		must(e.t, err)
		req.Header.Set("Authorization", "token "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode < 300 {
			return
		}
	}
}

// Stall is a plugin whose handlers hang until the dispatcher's timeout
// ends them, as a plugin stuck on a slow service would.
func Stall(name string) plugins.Plugin {
	wait := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	return plugins.Plugin{
		Name:           name,
		GenericComment: func(ctx context.Context, _ plugins.Env, _ plugins.GenericCommentEvent) error { return wait(ctx) },
		PullRequest:    func(ctx context.Context, _ plugins.Env, _ plugins.PullRequestEvent) error { return wait(ctx) },
		Issue:          func(ctx context.Context, _ plugins.Env, _ plugins.IssueEvent) error { return wait(ctx) },
	}
}

// NeighbourTimeout is how long DispatchBeside lets each handler run.
const NeighbourTimeout = time.Second

// DispatchBeside hands del (in demo/hello) to a dispatcher of p beside a
// Panicker and a Stall, all three enabled in demo under cfg, each handler
// cut off after NeighbourTimeout. It returns once every handler finished
// or was cut off, failing the test when that took far longer than the
// timeout: a stuck or panicking plugin must not hold the others up.
func DispatchBeside(t testing.TB, p plugins.Plugin, cfg *pluginconfig.Configuration, del plugins.Delivery) {
	t.Helper()
	c := *cfg
	c.Plugins = pluginconfig.Plugins{"demo": {Plugins: []string{p.Name, "panics", "stalls"}}}
	d, err := plugins.NewDispatcher(plugins.DispatcherOptions{Plugins: []plugins.Plugin{p, Panicker("panics"), Stall("stalls")},
		PluginConfig: func() *pluginconfig.Configuration { return &c },
		BotLogin:     func(context.Context) (string, error) { return Bot, nil },
		Timeout:      NeighbourTimeout, Logger: testlog.Discard()})
	must(t, err)
	if del.Org == "" {
		del.Org, del.Repo = "demo", "hello"
	}
	start := time.Now()
	d.Dispatch(context.Background(), del)
	if took := time.Since(start); took > 20*NeighbourTimeout {
		t.Fatalf("the dispatch took %v with a %v timeout per plugin", took, NeighbourTimeout)
	}
}

// InjectFaults has the sandbox answer a share rate of the requests with
// faults of kinds (5xx and dropped answers when none are named), drawn
// from seed, until SetFaults clears them.
func (e *Env) InjectFaults(rate float64, seed uint64, kinds ...string) {
	if len(kinds) == 0 {
		kinds = []string{sandbox.Fault5xx, sandbox.FaultDrop}
	}
	e.Sandbox.SetFaults(sandbox.Faults{Rate: rate, Kinds: kinds, Seed: &seed})
}

// FaultsStruck says whether a 5xx or dropped-answer fault struck: if
// none did, a test of surviving them shows nothing.
func (e *Env) FaultsStruck() bool {
	fc := e.Sandbox.FaultCounts()
	return fc[sandbox.Fault5xx]+fc[sandbox.FaultDrop] > 0
}

// CheckFaultsStruck fails the test when no fault struck (FaultsStruck).
func (e *Env) CheckFaultsStruck() {
	e.t.Helper()
	if !e.FaultsStruck() {
		e.t.Error("no fault struck: the test shows nothing")
	}
}

// ReplayThroughFaults runs handle as call of delivery d1 under the
// sandbox's faults (5xx and dropped answers, drawn from seed, at a rate
// of 0.3), replaying it as the journal would until a run finishes, then
// once more, as if the process died before journaling the success. It
// ends the test if a run still fails or no fault struck.
func (e *Env) ReplayThroughFaults(seed uint64, call string, handle func(ctx context.Context) error) {
	e.t.Helper()
	e.InjectFaults(0.3, seed)
	var err error
	for run := 0; run == 0 || err != nil; run++ {
		if run == 20 {
			e.t.Fatalf("still failing after %d runs: %v", run, err)
		}
		err = handle(effect.With(context.Background(), &effect.Scope{Delivery: "d1", Call: call, Replay: run > 0}))
	}
	if err := handle(effect.With(context.Background(), &effect.Scope{Delivery: "d1", Call: call, Replay: true})); err != nil {
		e.t.Fatal(err)
	}
	e.Sandbox.SetFaults(sandbox.Faults{})
	if !e.FaultsStruck() {
		e.t.Fatal("no fault struck: the test shows nothing")
	}
}

// MergeThroughFaults merges pull request n of demo/hello as user while
// the sandbox injects faults, trying again when a fault struck; a 405
// means an earlier try merged it and its answer was lost. It does not
// wait for the webhooks the merge causes.
func (e *Env) MergeThroughFaults(user string, n int) {
	e.t.Helper()
	for try := 0; try < 20; try++ {
		req, err := http.NewRequest(http.MethodPut, e.URL+fmt.Sprintf("/api/v3/repos/demo/hello/pulls/%d/merge", n), strings.NewReader(`{}`))
		must(e.t, err)
		req.Header.Set("Authorization", "token "+user)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusMethodNotAllowed {
			return
		}
	}
	e.t.Fatalf("could not merge #%d", n)
}

// StartBesidePanicker is Start with the plugin build returns, named name,
// and beside it a Panicker ("panics") enabled wherever pluginsYAML enables
// name in a list [name].
func StartBesidePanicker(t testing.TB, seed *sandbox.Seed, pluginsYAML, name string, build func(*github.Client) plugins.Plugin) *Env {
	t.Helper()
	list := "[" + name + "]"
	if !strings.Contains(pluginsYAML, list) {
		t.Fatalf("plugins.yaml does not enable %s as %s:\n%s", name, list, pluginsYAML)
	}
	yaml := strings.Replace(pluginsYAML, list, "["+name+", panics]", 1)
	return Start(t, seed, yaml, func(c *github.Client) []plugins.Plugin { return []plugins.Plugin{build(c), Panicker("panics")} })
}
