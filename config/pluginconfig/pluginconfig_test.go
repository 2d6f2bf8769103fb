package pluginconfig

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/prow/yamlconf"
)

// testInfraPlugins is the Kubernetes project's production plugins.yaml
// (see test/testdata/README.md).
var testInfraPlugins = filepath.Join("..", "..", "test", "testdata", "test-infra", "config", "prow", "plugins.yaml")

func loadTestInfra(t *testing.T) *Configuration {
	t.Helper()
	c, unknown, err := Load(testInfraPlugins)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range unknown {
		t.Errorf("unknown field in test-infra plugins.yaml: %s", u)
	}
	return c
}

func TestTestInfraPluginsLoadAndValidate(t *testing.T) {
	c := loadTestInfra(t)
	for _, err := range c.Validate(DefaultKnownPlugins()) {
		t.Errorf("validation: %v", err)
	}
}

func TestEveryDocumentedFieldIsKnown(t *testing.T) {
	var c Configuration
	unknown, err := yamlconf.Unmarshal("plugin-config-documented.yaml", mustRead(t, filepath.Join("testdata", "plugin-config-documented.yaml")), &c)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range unknown {
		t.Errorf("documented field not typed: %s", u)
	}
}

func TestEnabledPlugins(t *testing.T) {
	c := &Configuration{Plugins: Plugins{
		"org":       {Plugins: []string{"lgtm", "hold"}, ExcludedRepos: []string{"skipped"}},
		"org/extra": {Plugins: []string{"size", "lgtm"}},
	}}
	cases := []struct {
		org, repo string
		want      []string
	}{
		{"org", "any", []string{"lgtm", "hold"}},
		{"org", "extra", []string{"lgtm", "hold", "size"}},
		{"org", "skipped", nil},
		{"other", "repo", nil},
	}
	for _, tc := range cases {
		t.Run(tc.org+"/"+tc.repo, func(t *testing.T) {
			if got := c.EnabledPlugins(tc.org, tc.repo); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("EnabledPlugins = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestEnabledPluginsOnRealConfig(t *testing.T) {
	c := loadTestInfra(t)
	k8s := c.EnabledPlugins("kubernetes", "kubernetes")
	for _, want := range []string{"approve", "lgtm", "hold", "trigger", "size", "wip"} {
		if !contains(k8s, want) {
			t.Errorf("kubernetes/kubernetes should enable %s; got %v", want, k8s)
		}
	}
	ext := c.ExternalPluginsFor("kubernetes", "autoscaler")
	var names []string
	for _, e := range ext {
		names = append(names, e.Name+"="+e.Endpoint)
	}
	if !contains(names, "needs-rebase=http://needs-rebase") || !contains(names, "cherrypicker=http://cherrypicker") {
		t.Errorf("external plugins of kubernetes/autoscaler = %v", names)
	}
}

func TestLegacyPluginListForm(t *testing.T) {
	var c Configuration
	if _, err := yamlconf.Unmarshal("p.yaml", []byte("plugins:\n  org: [lgtm, hold]\n  org/repo:\n    plugins: [size]\n"), &c); err != nil {
		t.Fatal(err)
	}
	if got := c.EnabledPlugins("org", "repo"); !reflect.DeepEqual(got, []string{"lgtm", "hold", "size"}) {
		t.Errorf("got %v", got)
	}
}

func TestValidateReportsEachProblem(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want string
	}{
		{"an unknown plugin", "plugins:\n  org:\n    plugins: [lgmt]\n", `plugins.org: unknown plugin "lgmt"`},
		{"a plugin twice", "plugins:\n  org:\n    plugins: [lgtm, lgtm]\n", `plugin "lgtm" is enabled twice`},
		{"excluded repos on a repo", "plugins:\n  org/repo:\n    excluded_repos: [x]\n    plugins: [lgtm]\n", "excluded_repos only applies to an org entry"},
		{"a bad key", "plugins:\n  a/b/c:\n    plugins: [lgtm]\n", `"a/b/c" is neither an org nor org/repo`},
		{"shrinking sizes", "size: {s: 10, m: 5, l: 100, xl: 500, xxl: 1000}\n", "size: thresholds must grow"},
		{"a bad blockade regex", "blockades:\n- repos: [org]\n  blockregexps: ['(']\n", "blockades[0].blockregexps[0]"},
		{"a bad welcome template", "welcome:\n- repos: [org]\n  message_template: '{{.Nope'\n", "welcome[0].message_template"},
		{"an external plugin without name", "external_plugins:\n  org:\n  - endpoint: http://x\n", "external_plugins.org[0]: name is required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c Configuration
			if _, err := yamlconf.Unmarshal("p.yaml", []byte(tc.yaml), &c); err != nil {
				t.Fatal(err)
			}
			c.ApplyDefaults()
			errs := c.Validate(DefaultKnownPlugins())
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.want) {
				t.Errorf("errors = %v, want one containing %q", errs, tc.want)
			}
		})
	}
}

func TestLookupsPreferTheRepoEntry(t *testing.T) {
	c := &Configuration{
		Triggers: []Trigger{{Repos: []string{"org"}, TrustedOrg: "org-wide"}, {Repos: []string{"org/special"}, TrustedOrg: "special"}},
		Approve:  []Approve{{Repos: []string{"org"}, IssueRequired: true}},
		Owners:   Owners{SkipCollaborators: []string{"org/solo"}, Filenames: map[string]OwnersFilenames{"org/custom": {Owners: "MAINTAINERS"}}},
	}
	if got := c.TriggerFor("org", "special").TrustedOrg; got != "special" {
		t.Errorf("TriggerFor(special) = %q", got)
	}
	if got := c.TriggerFor("org", "other").TrustedOrg; got != "org-wide" {
		t.Errorf("TriggerFor(other) = %q", got)
	}
	if a := c.ApproveFor("org", "x"); !a.IssueRequired || a.CommandHelpLink != DefaultCommandHelpLink {
		t.Errorf("ApproveFor = %+v", a)
	}
	if !c.SkipCollaborators("org", "solo") || c.SkipCollaborators("org", "other") {
		t.Error("SkipCollaborators")
	}
	if f := c.OwnersFilenames("org", "custom"); f.Owners != "MAINTAINERS" || f.OwnersAliases != DefaultOwnersAliasesFile {
		t.Errorf("OwnersFilenames = %+v", f)
	}
}
