package deck_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/prowbot/prow/config"
)

// lensOrder is the lenses a page shows, in page order.
func lensOrder(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`data-lens="([a-z]+)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func lensPage(t *testing.T, f *fixture) string {
	t.Helper()
	rec := f.do("GET", "/view/local/"+lensDir, "", nil)
	if rec.Code != 200 {
		t.Fatalf("view: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func TestLensesFollowTheConfiguredOrder(t *testing.T) {
	tests := []struct {
		name string
		mods []fixtureOptions
		want string
	}{
		{"without lenses configured, the page keeps metadata, tests and the build log", nil, "metadata,junit,buildlog"},
		{"every lens, in config order; no pod lens without a Kubernetes client", []fixtureOptions{withLenses(allLenses...)},
			"markdown,links,junit,html,coverage,metadata,buildlog"},
		{"the pod lens shows where deck can read pods", []fixtureOptions{withLenses(allLenses...), withPodInfo()},
			"markdown,links,junit,html,coverage,metadata,podinfo,buildlog"},
		{"a lens whose required files are missing is left out; optional files add nothing to select it", []fixtureOptions{withLenses(
			lensCfg("buildlog", `^build-log\.txt$`),
			config.LensFileConfig{Lens: config.LensConfig{Name: "coverage"}, RequiredFiles: []string{`^nope$`}, OptionalFiles: []string{`coverage`}},
			lensCfg("html", `^artifacts/report\.html$`, `^artifacts/missing\.html$`),
			lensCfg("junit", `^artifacts/junit_gear\.xml$`),
		)}, "buildlog,junit"},
		{"an unknown lens is skipped, the others stay", []fixtureOptions{withLenses(lensCfg("restcoverage", `.*`), lensCfg("metadata", `^started\.json$`))}, "metadata"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.mods...)
			f.writeLensBuild()
			if got := strings.Join(lensOrder(lensPage(t, f)), ","); got != tc.want {
				t.Errorf("lenses %s, want %s", got, tc.want)
			}
		})
	}
}

// section is the HTML of one lens on a page.
func section(t *testing.T, body, name string) string {
	t.Helper()
	start := strings.Index(body, `id="lens-`+name+`"`)
	if start < 0 {
		t.Fatalf("no %s lens on the page", name)
	}
	end := strings.Index(body[start:], "</section>")
	return body[start : start+end]
}

func TestLensContent(t *testing.T) {
	f := newFixture(t, withLenses(allLenses...), withPodInfo())
	f.writeLensBuild()
	body := lensPage(t, f)
	tests := []struct {
		lens       string
		want, deny []string
	}{
		{"junit", []string{
			"5 run", "1 failed", "1 flaky", "1 skipped", "2 passed", "4.05s",
			"pkg/gear", "pkg/belt",
			"TestGearGrinds", "teeth &lt;b&gt;missing&lt;/b&gt;", "gear_test.go:9: want 12 teeth, got 11",
			`<details class="case flaky" open>`, "TestGearSlips", "slipped once", "0.30s",
			`<details class="case skipped">`, "needs salt water",
			`<details class="passed-list"><summary>1 passed</summary>`, "TestGearTurns <span class=\"dim\">1.50s</span>",
			"TestBelt&lt;script&gt;",
		}, []string{"<b>missing", "TestBelt<script>"}},
		{"metadata", []string{
			"failure", "FAILURE", "2m05s", "f00dfeed", "presubmit",
			`href="https://github.com/acme/widget"`, `href="https://github.com/acme/widget/tree/main"`,
			`href="https://github.com/acme/widget/commit/abc"`, `href="https://github.com/acme/widget/pull/14"`,
			`href="https://github.com/acme/widget/pull/14/commits/f00dfeed"`, "by bob",
			`href="https://github.com/acme/tools/tree/release-1"`, `href="https://github.com/acme/tools/commit/7001"`,
			"work-dir", "/home/prow/go",
		}, nil},
		{"links", []string{"Dashboards", `href="https://grafana.example.com/d/1"`, "Grafana &lt;board&gt;", "Grafana board", `href="https://grafana.example.com/d/2"`, "javascript:alert(1)"},
			[]string{`href="javascript`, "<board>"}},
		{"html", []string{`<iframe sandbox=""`, `src="/lens/html/local/` + lensDir + `?name=artifacts%2Freport.html"`},
			[]string{"Gear report", "allow-same-origin", "<script"}},
		{"markdown", []string{"<h1>Release notes</h1>", "<strong>gear</strong>", "raw HTML omitted", `<a href="https://example.com/docs">good</a>`, "<table>"},
			[]string{"<script>", "alert('md')", `href="javascript`}},
		{"coverage", []string{"example.com/gear/gear.go", "50.0%", "example.com/gear/belt.go", "100.0%", "60.0% of 10 statements", "mode set", `<meter`}, nil},
		{"podinfo", []string{"test-pods/pj-lenses", "Failed (Evicted)", "The node was low on memory &lt;oom&gt;", "node-7",
			"clonerefs", "OOMKilled", "137", "Ready", "PodCompleted", "BackOff", "Back-off restarting failed container", "×3"},
			[]string{"<oom>"}},
	}
	for _, tc := range tests {
		t.Run("the "+tc.lens+" lens", func(t *testing.T) {
			s := section(t, body, tc.lens)
			for _, w := range tc.want {
				if !strings.Contains(s, w) {
					t.Errorf("lacks %q:\n%s", w, s)
				}
			}
			for _, d := range tc.deny {
				if strings.Contains(s, d) {
					t.Errorf("holds %q:\n%s", d, s)
				}
			}
		})
	}
}

func TestHTMLLensNeverServesInline(t *testing.T) {
	f := newFixture(t, withLenses(allLenses...))
	f.writeLensBuild()
	f.write(lensDir+"/artifacts/page.txt", "<h1>not html</h1>")
	if body := lensPage(t, f); strings.Contains(body, "Gear report") || strings.Contains(body, `document.title="ran"`) {
		t.Error("the job page holds the HTML artifact's markup")
	}
	base := "/lens/html/local/" + lensDir + "?name="
	rec := f.do("GET", base+"artifacts%2Freport.html", "", nil)
	h := rec.Header()
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Gear report") {
		t.Fatalf("frame: %d %s", rec.Code, rec.Body)
	}
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"sandbox", "default-src 'none'", "frame-ancestors "} {
		if !strings.Contains(csp, want) {
			t.Errorf("the frame's policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "allow-same-origin") || strings.Contains(csp, "script-src") {
		t.Errorf("the frame's policy %q lets the artifact run as deck", csp)
	}
	if !strings.HasSuffix(csp, "frame-ancestors https://example.com http://example.com 'self'") {
		t.Errorf("the frame's policy %q lets other sites frame it", csp)
	}
	if h.Get("Content-Type") != "text/html; charset=utf-8" || h.Get("X-Frame-Options") != "" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("frame headers %v", h)
	}
	for _, tc := range []struct {
		name, target string
		code         int
	}{
		{"a file that is not HTML", base + "artifacts%2Fpage.txt", 404},
		{"a missing file", base + "artifacts%2Fnone.html", 404},
		{"a file of a hidden repo", "/lens/html/local/pr-logs/pull/secret_vault/1/pull-vault/300?name=x.html", 404},
		{"a dot segment", base + "..%2Foutside.html", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if rec := f.do("GET", tc.target, "", nil); rec.Code != tc.code {
				t.Errorf("%s: %d, want %d", tc.target, rec.Code, tc.code)
			}
		})
	}
	if rec := f.do("GET", "/file/local/"+lensDir+"?name=artifacts%2Freport.html", "", nil); rec.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("/file/ serves HTML as %q", rec.Header().Get("Content-Type"))
	}
}

func TestBuildLogLensHighlightRegexes(t *testing.T) {
	tests := []struct {
		name, config, marked, plain string
	}{
		{"without highlight_regexes deck's patterns mark errors", "", `<mark class="hl">error</mark>: gear grinds`, "building"},
		{"highlight_regexes replace them", `{"highlight_regexes": ["^build"]}`, `<mark class="hl">build</mark>ing`, "error: gear grinds"},
		{"a bad regex keeps deck's patterns", `{"highlight_regexes": ["("]}`, `<mark class="hl">error</mark>: gear grinds`, "building"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := lensCfg("buildlog", `^build-log\.txt$`)
			if tc.config != "" {
				c.Lens.Config = []byte(tc.config)
			}
			f := newFixture(t, withLenses(c))
			f.writeLensBuild()
			s := section(t, lensPage(t, f), "buildlog")
			if !regexp.MustCompile(`class="ln err"[^>]*>` + regexp.QuoteMeta(tc.marked) + `</div>`).MatchString(s) {
				t.Errorf("%q is not marked:\n%s", tc.marked, s)
			}
			if !regexp.MustCompile(`class="ln"[^>]*>` + regexp.QuoteMeta(tc.plain) + `</div>`).MatchString(s) {
				t.Errorf("%q is not a plain line:\n%s", tc.plain, s)
			}
		})
	}
}
