package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/hook"
	"github.com/prowbot/prow/hook/journal"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/git"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
)

// Bot is the login the bot acts as; seeds must include it with token
// BotToken.
const (
	Bot      = "the-bot"
	BotToken = "the-bot-token"
)

// Env is a running bot with its sandbox.
type Env struct {
	t       testing.TB
	Sandbox *sandbox.Server
	URL     string // the sandbox's base URL
	GitHub  *github.Client
	journal *journal.Journal
	// Calls counts the bot's requests to the sandbox.
	Calls *CallCounter
}

// Start runs the sandbox seeded with seed and hook with the plugins that
// build(client) returns, enabled per pluginsYAML.
func Start(t testing.TB, seed *sandbox.Seed, pluginsYAML string, build func(*github.Client) []plugins.Plugin) *Env {
	t.Helper()
	return StartWith(t, seed, pluginsYAML, func(d Deps) []plugins.Plugin { return build(d.GitHub) })
}

// StartWithoutPlugins runs the sandbox seeded with seed and hook with no
// plugin, for tests that dispatch to the plugin under test themselves.
func StartWithoutPlugins(t testing.TB, seed *sandbox.Seed) *Env {
	t.Helper()
	return Start(t, seed, "plugins: {}\n", func(*github.Client) []plugins.Plugin { return nil })
}

// Deps are what plugins can be built with.
type Deps struct {
	GitHub *github.Client
	// Git reads the sandbox's repositories (a cache in the test's dir).
	Git *git.Client
}

// StartWith is Start for plugins that need more than the GitHub client.
func StartWith(t testing.TB, seed *sandbox.Seed, pluginsYAML string, build func(Deps) []plugins.Plugin) *Env {
	t.Helper()
	return StartWithConfig(t, seed, "pod_namespace: test-pods\n", pluginsYAML, build)
}

// StartWithConfig is StartWith with a config.yaml (which may hold jobs).
func StartWithConfig(t testing.TB, seed *sandbox.Seed, configYAML, pluginsYAML string, build func(Deps) []plugins.Plugin) *Env {
	t.Helper()
	dir := t.TempDir()
	log := logrus.New()
	if os.Getenv("HARNESS_LOG") == "" {
		log.SetOutput(io.Discard)
	}
	log.SetLevel(logrus.DebugLevel)
	entry := logrus.NewEntry(log)

	cfgPath, plugPath := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "plugins.yaml")
	must(t, os.WriteFile(cfgPath, []byte(configYAML), 0o600))
	must(t, os.WriteFile(plugPath, []byte(pluginsYAML), 0o600))
	secret := []byte("harness-secret")

	hookMux := http.NewServeMux()
	hookSrv := httptest.NewServer(hookMux)
	t.Cleanup(hookSrv.Close)
	sb, err := sandbox.New(sandbox.Options{Seed: seed, WebhookURL: hookSrv.URL + "/hook", HMACSecret: secret, GitDir: filepath.Join(dir, "git"), GitPush: true, Logger: entry})
	must(t, err)
	calls := &CallCounter{}
	sbSrv := httptest.NewServer(calls.wrap(sb.Handler()))
	t.Cleanup(func() { sbSrv.Close(); sb.Close() })

	tokenPath := filepath.Join(dir, "token")
	must(t, os.WriteFile(tokenPath, []byte(BotToken), 0o600))
	client, err := github.NewClient(github.ClientOptions{Endpoint: sbSrv.URL, TokenPath: tokenPath, Logger: entry})
	must(t, err)

	var known []string
	gitClient := &git.Client{CacheDir: filepath.Join(dir, "git-cache"), RemoteURL: func(org, repo string) string {
		return sbSrv.URL + "/" + org + "/" + repo + ".git"
	}, Credentials: client.GitCredentials}
	list := build(Deps{GitHub: client, Git: gitClient})
	for _, p := range list {
		known = append(known, p.Name)
	}
	agent, err := config.NewAgent(config.Options{ConfigPath: cfgPath, PluginConfigPath: plugPath, KnownPlugins: append(known, pluginconfig.DefaultKnownPlugins()...)}, entry)
	must(t, err)
	dispatcher, err := plugins.NewDispatcher(plugins.DispatcherOptions{Plugins: list, Config: agent.Getter(), PluginConfig: agent.PluginsGetter(),
		BotLogin: client.BotUser, Timeout: time.Minute, Logger: entry})
	must(t, err)
	j, _, err := journal.Open(journal.Options{Dir: filepath.Join(dir, "journal"), NoSync: true})
	must(t, err)
	srv, err := hook.NewServer(hook.ServerOptions{Secrets: func() hook.Secrets { return hook.Secrets{"*": {{Value: string(secret)}}} },
		Journal: j, Handler: hook.DispatchHandler(dispatcher, entry), Workers: 4, Logger: entry})
	must(t, err)
	srv.Run(context.Background())
	hookMux.Handle("/", hook.Mux("/hook", srv, dispatcher, nil))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = srv.Stop(ctx)
	})
	return &Env{t: t, Sandbox: sb, URL: sbSrv.URL, GitHub: client, journal: j, Calls: calls}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Settle waits until every webhook sent so far was handled, including the
// webhooks the bot's own actions caused.
func (e *Env) Settle() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		before := len(e.Sandbox.Deliveries())
		must(e.t, e.Sandbox.Flush(ctx))
		must(e.t, e.journal.WaitIdle(ctx))
		must(e.t, e.Sandbox.Flush(ctx))
		if len(e.Sandbox.Deliveries()) == before {
			return
		}
	}
}

// Do sends a REST request to the sandbox as the user with token, decoding
// a JSON answer into out when non-nil; it fails the test on an error
// status.
func (e *Env) Do(token, method, path string, body, out any) {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		must(e.t, err)
		r = bytes.NewReader(b)
	}
	url := e.URL + "/api/v3" + path
	if strings.HasPrefix(path, "/_sandbox/") {
		url = e.URL + path
	}
	req, err := http.NewRequest(method, url, r)
	must(e.t, err)
	req.Header.Set("Authorization", "token "+token)
	resp, err := http.DefaultClient.Do(req)
	must(e.t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		e.t.Fatalf("%s %s as %s: %s %s", method, path, token, resp.Status, data)
	}
	if out != nil {
		must(e.t, json.Unmarshal(data, out))
	}
}

// Push commits files to pull request number as its author (the sandbox's
// admin API) and waits for everything to settle.
func (e *Env) Push(org, repo string, number int, files map[string]string) {
	e.t.Helper()
	e.Do("", http.MethodPost, fmt.Sprintf("/_sandbox/repos/%s/%s/pulls/%d/push", org, repo, number), map[string]any{"files": files}, nil)
	e.Settle()
}

// Comment comments on issue or PR number of org/repo as the user with
// token, then waits for everything to settle.
func (e *Env) Comment(token, org, repo string, number int, body string) {
	e.t.Helper()
	e.Do(token, http.MethodPost, fmt.Sprintf("/repos/%s/%s/issues/%d/comments", org, repo, number), map[string]string{"body": body}, nil)
	e.Settle()
}

// Labels lists the labels of issue or PR number.
func (e *Env) Labels(org, repo string, number int) []string {
	e.t.Helper()
	labels, err := e.GitHub.GetIssueLabels(context.Background(), org, repo, number)
	must(e.t, err)
	out := make([]string, 0, len(labels))
	for _, l := range labels {
		out = append(out, l.Name)
	}
	return out
}

// Comments lists the bodies of the comments on issue or PR number.
func (e *Env) Comments(org, repo string, number int) []github.IssueComment {
	e.t.Helper()
	cs, err := e.GitHub.ListIssueComments(context.Background(), org, repo, number)
	must(e.t, err)
	return cs
}

// BotComments lists the bodies of the bot's comments on issue or PR
// number.
func (e *Env) BotComments(org, repo string, number int) []string {
	e.t.Helper()
	var out []string
	for _, c := range e.Comments(org, repo, number) {
		if c.User == Bot {
			out = append(out, c.Body)
		}
	}
	return out
}

// CountComments counts the comments on issue or PR number whose body
// contains substr.
func (e *Env) CountComments(org, repo string, number int, substr string) int {
	e.t.Helper()
	n := 0
	for _, c := range e.Comments(org, repo, number) {
		if strings.Contains(c.Body, substr) {
			n++
		}
	}
	return n
}
