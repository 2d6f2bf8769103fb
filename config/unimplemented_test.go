package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestUnimplementedSettingsAreWarnedAtTheirLine: a setting read but not
// acted on is a warning naming its file and line (an error with
// --strict); implemented settings (deck.spyglass.lenses and
// plank.job_queue_capacities among them) and plugins warn nothing.
func TestUnimplementedSettingsAreWarnedAtTheirLine(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "config.yaml", `plank:
  max_concurrency: 10
  build_cluster_status_file: /tmp/status
  job_queue_capacities: {heavy: 2}
deck:
  hidden_repos: [org/secret]
  spyglass:
    lenses:
    - lens: {name: buildlog}
      required_files: [build-log.txt]
push_gateway:
  endpoint: http://gateway
`)
	plugins := writeFile(t, dir, "plugins.yaml", `plugins:
  org:
    plugins: [lgtm, release-note]
  org/repo:
    plugins: [release-note]
`)
	opts := Options{ConfigPath: cfg, PluginConfigPath: plugins, ImplementedPlugins: []string{"lgtm"}}
	_, warnings, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range warnings {
		got = append(got, w.String())
	}
	want := []string{
		cfg + ":11: push_gateway is accepted but not implemented",
		cfg + ":3: plank.build_cluster_status_file is accepted but not implemented",
		plugins + `: plugin "release-note" is one of Prow's but not implemented by this bot, so it does nothing where it is enabled (org, org/repo)`,
	}
	if len(got) != len(want) {
		t.Fatalf("warnings:\n%s\nwant %d, one per unimplemented setting", strings.Join(got, "\n"), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %d = %q, want it to start with %q", i, got[i], want[i])
		}
	}

	opts.Strict = true
	if _, _, err := Load(opts); err == nil || !strings.Contains(err.Error(), "push_gateway is accepted but not implemented") {
		t.Errorf("with --strict, an unimplemented setting must be an error: %v", err)
	}
}

// TestTheDocsListEveryUnimplementedSetting keeps docs/configuration.md
// and UnimplementedSettings in step.
func TestTheDocsListEveryUnimplementedSetting(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range UnimplementedSettings {
		if !strings.Contains(string(data), "`"+s.Name()+"`") {
			t.Errorf("docs/configuration.md does not list %s", s.Name())
		}
	}
}

// TestAComponentNamesItsOwnUnimplementedSettings: a component's own list
// (tide's, for one) is warned about like the table's, and refused with
// --strict.
func TestAComponentNamesItsOwnUnimplementedSettings(t *testing.T) {
	cfg := writeFile(t, t.TempDir(), "config.yaml", "tide:\n  sync_period: 1m\n")
	opts := Options{ConfigPath: cfg, Unimplemented: func(c *Config) []string {
		if c.Tide.SyncPeriod != nil {
			return []string{"tide.sync_period"}
		}
		return nil
	}}
	_, warnings, err := Load(opts)
	if err != nil || len(warnings) != 1 || warnings[0].String() != cfg+": tide.sync_period is accepted but not implemented, so it has no effect" {
		t.Fatalf("warnings %v, error %v", warnings, err)
	}
	opts.Strict = true
	if _, _, err := Load(opts); err == nil {
		t.Error("with --strict, a component's unimplemented setting must be an error")
	}
}
