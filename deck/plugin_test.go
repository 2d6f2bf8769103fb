package deck_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/prowbot/prow/deck"
)

// hostileHelp is plugin help whose every text is markup.
const hostileHelp = `{"AllRepos":["acme/widget"],
 "RepoPlugins":{"acme/widget":["evil"]},
 "RepoExternalPlugins":{"acme":["needs-rebase"]},
 "PluginHelp":{"evil":{"Description":"<script>alert('description')</script>",
  "Config":{"acme/widget":"<img src=x onerror=alert('config')>","":"general <b>settings</b>"},
  "Events":["issue_comment<svg onload=alert(1)>"],
  "Commands":[{"Usage":"/evil <target>","Featured":true,"Description":"<iframe src=javascript:alert(2)>",
   "Examples":["/evil \"><script>alert(3)</script>"],"WhoCanUse":"<a href=javascript:alert(4)>anyone</a>"}]}},
 "ExternalPluginHelp":{"needs-rebase":{"Description":"Labels PRs that need a rebase.","Events":["pull_request"]}}}`

func withPluginHelp(data string) fixtureOptions {
	return func(o *deck.Options) {
		o.PluginHelp = func(context.Context) ([]byte, error) { return []byte(data), nil }
	}
}

func TestPluginPage(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, target string
		status       int
		want, never  []string
	}{
		{"a plugin's description, events, commands, examples and who can use them", "/plugin?plugin=lgtm", 200,
			[]string{"Adds the lgtm label.", "/lgtm [cancel]", "Adds or removes the lgtm label.", "<div>/lgtm</div>", "Collaborators", ">acme<"}, []string{"secret/vault"}},
		{"a plugin only hidden repos enable is not found", "/plugin?plugin=secret-plugin", 404, []string{"There is no plugin secret-plugin"}, []string{"launch-missiles"}},
		{"an unknown plugin is not found", "/plugin?plugin=nope", 404, []string{"There is no plugin nope"}, nil},
		{"an unknown plugin's name is escaped", "/plugin?plugin=%3Cscript%3Ex", 404, []string{"&lt;script&gt;x"}, []string{"<script>x"}},
		{"no plugin is 400", "/plugin", 400, []string{"/plugin?plugin=NAME"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := f.get(t, tt.target)
			if status != tt.status {
				t.Fatalf("GET %s = %d\n%s", tt.target, status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, n := range tt.never {
				if strings.Contains(body, n) {
					t.Errorf("page shows %q", n)
				}
			}
		})
	}
	t.Run("the plugins page links each plugin's page for its repo", func(t *testing.T) {
		_, body := f.get(t, "/plugins")
		for _, w := range []string{`<a href="/plugin?plugin=lgtm&amp;repo=acme">lgtm</a>`, `<a href="/plugin?plugin=trigger&amp;repo=acme%2fwidget">trigger</a>`} {
			if !strings.Contains(body, w) {
				t.Errorf("/plugins lacks %s", w)
			}
		}
		if strings.Contains(body, "secret") {
			t.Error("/plugins names a hidden repo or its plugin")
		}
	})
}

func TestPluginPageEscapes(t *testing.T) {
	f := newFixture(t, withPluginHelp(hostileHelp))
	status, body := f.get(t, "/plugin?plugin=evil&repo=acme/widget")
	if status != 200 {
		t.Fatalf("GET = %d\n%s", status, body)
	}
	for _, never := range []string{"<script>alert", "<img src=x", "<iframe", "<svg", "<a href=javascript", `"><script>`, "<b>settings"} {
		if strings.Contains(body, never) {
			t.Errorf("the page carries markup from the help: %q", never)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(&#39;description&#39;)&lt;/script&gt;", "&lt;img src=x onerror=alert(&#39;config&#39;)&gt;",
		"/evil &lt;target&gt;", "&lt;a href=javascript:alert(4)&gt;anyone&lt;/a&gt;"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks the escaped text %q", want)
		}
	}
	t.Run("without a repo the general configuration is shown", func(t *testing.T) {
		_, body := f.get(t, "/plugin?plugin=evil")
		if !strings.Contains(body, "general &lt;b&gt;settings&lt;/b&gt;") {
			t.Errorf("general config missing:\n%s", body)
		}
	})
	t.Run("an external plugin has its page", func(t *testing.T) {
		status, body := f.get(t, "/plugin?plugin=needs-rebase&repo=acme/widget")
		if status != 200 || !strings.Contains(body, "external plugin") || !strings.Contains(body, "Labels PRs that need a rebase.") || !strings.Contains(body, "pull_request") {
			t.Errorf("GET = %d\n%s", status, body)
		}
	})
}

func TestPluginHelpJS(t *testing.T) {
	f := newFixture(t)
	status, body := f.get(t, "/plugin-help.js")
	if status != 200 {
		t.Fatalf("GET = %d %s", status, body)
	}
	var h struct {
		AllRepos    []string
		RepoPlugins map[string][]string
		PluginHelp  map[string]struct {
			Description string
			Commands    []struct{ Usage, WhoCanUse string }
		}
	}
	if err := json.Unmarshal([]byte(body), &h); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	t.Run("Prow's plugin help, field for field", func(t *testing.T) {
		if strings.Join(h.RepoPlugins["acme"], ",") != "lgtm,hold" || h.PluginHelp["lgtm"].Commands[0].Usage != "/lgtm [cancel]" ||
			h.PluginHelp["trigger"].Description != "Runs tests." {
			t.Errorf("help = %+v", h)
		}
	})
	t.Run("hidden repos and their plugins are left out", func(t *testing.T) {
		if strings.Contains(body, "secret") || strings.Contains(body, "launch-missiles") {
			t.Errorf("plugin-help.js names a hidden repo or its plugin: %s", body)
		}
	})
	t.Run("var wraps it as a script", func(t *testing.T) {
		_, js := f.get(t, "/plugin-help.js?var=allHelp")
		if js != "var allHelp = "+strings.TrimSuffix(body, "\n")+";\n" {
			t.Errorf("wrapped = %.200q", js)
		}
	})
	t.Run("ShowHidden keeps everything", func(t *testing.T) {
		_, all := newFixture(t, showHidden).get(t, "/plugin-help.js")
		if !strings.Contains(all, "secret/vault") || !strings.Contains(all, "launch-missiles") {
			t.Errorf("ShowHidden lost hidden repos: %s", all)
		}
	})
}

// TestBrowserPluginPage follows the plugins page's link to a plugin's
// page in Debian's chromium, with help whose every text is markup: the
// page shows the markup as text and none of it becomes an element.
func TestBrowserPluginPage(t *testing.T) {
	f := newFixture(t, withPluginHelp(hostileHelp))
	b := newBrowser(t)
	ctx := b.tab(t)
	var desc, config, location string
	var injected int
	run(t, ctx,
		chromedp.Navigate(f.http.URL+"/plugins"),
		chromedp.Click(chromedp.CSS(`a[href^="/plugin?plugin=evil"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#plugin-description`)),
		into(chromedp.Evaluate[string](`location.pathname + location.search`), &location),
		into(chromedp.Text(chromedp.CSS(`#plugin-description`)), &desc),
		into(chromedp.Text(chromedp.CSS(`#plugin-config`)), &config),
		into(chromedp.Evaluate[int](`document.querySelectorAll("main script, main img, main iframe, main svg, main a[href^='javascript']").length`), &injected),
		b.shot(t, "plugin-page"),
	)
	if location != "/plugin?plugin=evil&repo=acme%2fwidget" {
		t.Errorf("the link led to %s", location)
	}
	if desc != "<script>alert('description')</script>" || config != "<img src=x onerror=alert('config')>" {
		t.Errorf("description %q, config %q: want the help's text as text", desc, config)
	}
	if injected != 0 {
		t.Errorf("%d elements came from the help's markup", injected)
	}
}
