package lens_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck/lens"
)

func names(ms []lens.Match) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Name+"="+strings.Join(m.Files, "+"))
	}
	return strings.Join(out, " ")
}

func TestSelect(t *testing.T) {
	files := []string{"build-log.txt", "started.json", "finished.json", "prowjob.json", "artifacts/junit_a.xml", "artifacts/e2e/junit.xml", "artifacts/report.xml"}
	tests := []struct {
		name   string
		cfg    []config.LensFileConfig
		always func(string) bool
		want   string
	}{
		{"the defaults: metadata, junit, build log; no podinfo.json, no pod lens", nil, nil,
			"metadata=started.json+finished.json+prowjob.json junit=artifacts/junit_a.xml+artifacts/e2e/junit.xml buildlog=build-log.txt"},
		{"the pod lens shows without its file when it can be read live", nil, func(n string) bool { return n == "podinfo" },
			"metadata=started.json+finished.json+prowjob.json junit=artifacts/junit_a.xml+artifacts/e2e/junit.xml buildlog=build-log.txt podinfo=prowjob.json"},
		{"config order wins and every required regex must match", []config.LensFileConfig{
			{Lens: config.LensConfig{Name: "buildlog"}, RequiredFiles: []string{`^build-log\.txt$`}},
			{Lens: config.LensConfig{Name: "metadata"}, RequiredFiles: []string{`^started\.json$`, `^nope\.json$`}},
			{Lens: config.LensConfig{Name: "links"}},
		}, nil, "buildlog=build-log.txt links="},
		{"an unknown lens is skipped", []config.LensFileConfig{{Lens: config.LensConfig{Name: "restcoverage"}}, {Lens: config.LensConfig{Name: "html"}, RequiredFiles: []string{`\.xml$`}}}, nil,
			"html=artifacts/junit_a.xml+artifacts/e2e/junit.xml+artifacts/report.xml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			specs, _ := lens.Compile(tc.cfg)
			if got := names(lens.Select(specs, files, tc.always)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	if _, errs := lens.Compile([]config.LensFileConfig{{Lens: config.LensConfig{Name: "junit"}, OptionalFiles: []string{"("}}, {Lens: config.LensConfig{Name: "what"}}}); len(errs) != 2 {
		t.Errorf("errors %v, want a bad regex and an unknown lens", errs)
	}
}

func TestCoverage(t *testing.T) {
	c, err := lens.ParseCoverage("c.out", []byte("mode: count\na/x.go:1.1,2.2 3 0\na/x.go:3.1,4.2 1 5\nb/y.go:1.1,2.2 2 0\nb/y.go:1.1,2.2 2 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Mode != "count" || len(c.Files) != 2 || c.Files[0].File != "a/x.go" || c.Files[0].Percent() != 25 || c.Files[1].Percent() != 100 || c.Total.Statements != 6 || c.Total.Covered != 3 {
		t.Errorf("coverage %+v", c)
	}
	for _, bad := range []string{"a/x.go:1.1,2.2 3 0\n", "mode: set\nnot a block\n", "mode: set\nx.go:1.1,2.2 a 0\n"} {
		if _, err := lens.ParseCoverage("bad", []byte(bad)); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

func TestParseLinks(t *testing.T) {
	g, err := lens.ParseLinks("artifacts/node-logs.link.txt", []byte(" https://logs.example.com/x \n"))
	if err != nil || g.Title != "Node logs" || g.Links[0].Href != "https://logs.example.com/x" {
		t.Errorf("text link %+v %v", g, err)
	}
	g, err = lens.ParseLinks("links.json", []byte(`{"links":[{"name":"a","url":"data:text/html,x"},{"url":"http://ok.example"}]}`))
	if err != nil || g.Title != "links.json" || g.Links[0].Href != "" || g.Links[1].Href != "http://ok.example" || g.Links[1].Name != "http://ok.example" {
		t.Errorf("JSON links %+v %v", g, err)
	}
	if _, err := lens.ParseLinks("links.json", []byte("{")); err == nil {
		t.Error("bad JSON was accepted")
	}
}

func TestRenderMarkdownDropsRawHTML(t *testing.T) {
	h, err := lens.RenderMarkdown("x.md", []byte("# T\n\n<img src=x onerror=alert(1)>\n\n<b>bold</b> [x](javascript:alert(1))\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(h)
	if !strings.Contains(s, "<h1>T</h1>") || strings.Contains(s, "onerror") || strings.Contains(s, "<b>") || strings.Contains(s, "javascript:") {
		t.Errorf("rendered %s", s)
	}
}

func TestUnsupportedLenses(t *testing.T) {
	got := config.Spyglass{Lenses: []config.LensFileConfig{
		{Lens: config.LensConfig{Name: "junit"}},
		{Lens: config.LensConfig{Name: "restcoverage"}},
		{Lens: config.LensConfig{Name: "x"}, RemoteConfig: &config.LensRemoteConfig{Endpoint: "http://lens"}},
	}}.Unsupported()
	want := `deck.spyglass.lenses[1] (lens "restcoverage")|deck.spyglass.lenses[2].remote_config (a remote lens)`
	if strings.Join(got, "|") != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestEveryLensIsKnownToConfig: checkconfig's list of lenses is deck's.
func TestEveryLensIsKnownToConfig(t *testing.T) {
	for _, name := range config.SpyglassLenses {
		if !lens.Known(name) {
			t.Errorf("config lists lens %q, which deck does not have", name)
		}
	}
	for _, name := range []string{lens.MetadataLens, lens.BuildLogLens, lens.JUnitLens, lens.LinksLens, lens.HTMLLens, lens.MarkdownLens, lens.CoverageLens, lens.PodInfoLens} {
		if !slices.Contains(config.SpyglassLenses, name) {
			t.Errorf("deck has lens %q, which config.SpyglassLenses lacks (checkconfig would warn about it)", name)
		}
	}
}
