package deck_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck"
)

// secretConfig is a config.yaml with secrets and a hidden repo in it.
const secretConfig = `prowjob_namespace: default
deck:
  hidden_repos: [secret/vault]
  rerun_auth_configs:
    secret/vault: {github_users: [spy]}
plank:
  default_decoration_config_entries:
  - config:
      gcs_configuration: {bucket: logs-bucket, path_strategy: explicit}
      gcs_credentials_secret: gcs-creds
      oauth_token_secret: {name: oauth-token, key: oauth}
  - repo: secret/vault
    config:
      gcs_configuration: {bucket: vault-private-logs, path_strategy: explicit}
tide:
  queries:
  - repos: [acme/widget, secret/vault]
    labels: [lgtm]
gerrit:
  api_token: gerrit-token-value
`

// secretJobs are jobs with secrets inline, a hidden job and a hidden
// repo's jobs.
const secretJobs = `presubmits:
  acme/widget:
  - name: pull-widget-unit
    always_run: true
    spec:
      containers:
      - image: golang:1.22
        command: [make, test]
        args: ["--slack-token=xoxb-1234-5678-abcdefgh", "--token-path=/etc/github/token"]
        env:
        - {name: GITHUB_TOKEN, value: ghp_abcdefghijklmnopqrstuvwxyz0123456789}
        - {name: DB_PASSWORD, value: hunter2}
        - {name: TOKEN_PATH, value: /etc/github/token}
        - {name: GREETING, value: hello}
        - name: FROM_SECRET
          valueFrom: {secretKeyRef: {name: api-creds, key: api-key}}
      volumes:
      - name: creds
        secret: {secretName: my-secret}
  - name: pull-widget-secret-scan
    hidden: true
    spec: {containers: [{image: scanner}]}
  secret/vault:
  - name: pull-vault
    spec: {containers: [{image: vault}]}
periodics:
- name: periodic-nightly
  interval: 24h
  spec: {containers: [{image: alpine, command: [sh, -c, "git clone https://bot:s3cr3tpw@github.com/acme/widget"]}]}
- name: periodic-vault-backup
  interval: 1h
  extra_refs: [{org: secret, repo: vault, base_ref: main}]
  spec: {containers: [{image: alpine}]}
`

// withLoadedConfig serves a configuration loaded by the config package
// from files.
func withLoadedConfig(t *testing.T, prowYAML, jobsYAML string) fixtureOptions {
	t.Helper()
	dir := t.TempDir()
	cfgPath, jobDir := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "jobs")
	if err := os.MkdirAll(jobDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgPath, []byte(prowYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(jobDir, "jobs.yaml"), []byte(jobsYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	snap, _, err := config.Load(config.Options{ConfigPath: cfgPath, JobConfigPath: jobDir})
	if err != nil {
		t.Fatal(err)
	}
	return func(o *deck.Options) { o.Config = func() *config.Config { return snap.Config } }
}

func TestConfigYAML(t *testing.T) {
	f := newFixture(t, withLoadedConfig(t, secretConfig, secretJobs))
	status, body := f.get(t, "/config")
	if status != 200 {
		t.Fatalf("GET /config = %d %s", status, body)
	}
	var got config.Config
	if err := yaml.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("/config is not a configuration in YAML: %v\n%s", err, body)
	}
	t.Run("it reads back as the configuration", func(t *testing.T) {
		pre := got.Presubmits["acme/widget"]
		if len(pre) != 1 || pre[0].Name != "pull-widget-unit" || len(got.Periodics) != 1 || got.Periodics[0].Name != "periodic-nightly" {
			t.Errorf("presubmits %v, periodics %v", got.Presubmits, got.Periodics)
		}
		if got.ProwJobNamespace != "default" || len(got.Tide.Queries) != 1 || got.Plank.DefaultDecorationConfigs[0].Config.GCSConfiguration.Bucket != "logs-bucket" {
			t.Errorf("settings lost: %+v", got.ProwConfig)
		}
		if env := pre[0].Spec.Containers[0].Env; len(env) != 5 || env[0].Value != "REDACTED" || env[3].Value != "hello" {
			t.Errorf("env = %+v", env)
		}
	})
	t.Run("secret values are redacted", func(t *testing.T) {
		for _, never := range []string{"ghp_abc", "hunter2", "xoxb-1234", "s3cr3tpw", "gerrit-token-value"} {
			if strings.Contains(body, never) {
				t.Errorf("/config shows the secret %q", never)
			}
		}
	})
	t.Run("references to secrets and ordinary values stay", func(t *testing.T) {
		for _, want := range []string{"gcs_credentials_secret: gcs-creds", "name: oauth-token", "secretName: my-secret", "name: api-creds",
			"value: /etc/github/token", "--token-path=/etc/github/token", "--slack-token=REDACTED", "https://bot:REDACTED@github.com/acme/widget",
			"api_token: REDACTED"} {
			if !strings.Contains(body, want) {
				t.Errorf("/config lacks %q", want)
			}
		}
	})
	t.Run("hidden repos and jobs are left out", func(t *testing.T) {
		for _, never := range []string{"secret/vault", "vault-private-logs", "pull-vault", "pull-widget-secret-scan", "periodic-vault-backup", "hidden_repos", "- spy"} {
			if strings.Contains(body, never) {
				i := strings.Index(body, never)
				t.Errorf("/config shows %q: %q", never, body[max(0, i-80):min(len(body), i+40)])
			}
		}
	})
	t.Run("ShowHidden shows them, still redacted", func(t *testing.T) {
		_, all := newFixture(t, withLoadedConfig(t, secretConfig, secretJobs), showHidden).get(t, "/config")
		for _, want := range []string{"secret/vault:", "pull-vault", "periodic-vault-backup", "vault-private-logs"} {
			if !strings.Contains(all, want) {
				t.Errorf("/config lacks %q with ShowHidden", want)
			}
		}
		if strings.Contains(all, "hunter2") {
			t.Error("ShowHidden shows a secret")
		}
	})
}

// sameOrRedacted compares a configuration decoded from JSON with the
// same configuration read back from /config: equal everywhere, except
// values /config redacted. It returns the paths of the differences and
// counts the redactions.
func sameOrRedacted(path string, want, got any, redactions *int) []string {
	if got == "REDACTED" && want != "REDACTED" {
		*redactions++
		return nil
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return []string{path}
		}
		var diffs []string
		for k := range w {
			diffs = append(diffs, sameOrRedacted(path+"."+k, w[k], g[k], redactions)...)
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{path}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, sameOrRedacted(path+"["+strconv.Itoa(i)+"]", w[i], g[i], redactions)...)
		}
		return diffs
	}
	if want != got {
		return []string{path}
	}
	return nil
}

// TestConfigYAMLTestInfra serves the Kubernetes project's configuration
// (the test-infra subset) and reads it back: /config, written a job at
// a time, loses nothing but what it redacts.
func TestConfigYAMLTestInfra(t *testing.T) {
	dir := filepath.Join("..", "test", "testdata", "test-infra", "config")
	snap, _, err := config.Load(config.Options{ConfigPath: filepath.Join(dir, "prow", "config.yaml"), JobConfigPath: filepath.Join(dir, "jobs")})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, func(o *deck.Options) { o.Config = func() *config.Config { return snap.Config } }, showHidden)
	status, body := f.get(t, "/config")
	if status != 200 {
		t.Fatalf("GET /config = %d", status)
	}
	var back config.Config
	if err := yaml.Unmarshal([]byte(body), &back); err != nil {
		t.Fatalf("/config does not read back: %v", err)
	}
	if s := back.Summarize(); s.Presubmits != 173 || s.Postsubmits != 51 || s.Periodics != 141 {
		t.Errorf("read back %+v, want 173 presubmits, 51 postsubmits, 141 periodics", s)
	}
	tree := func(c *config.Config) any {
		data, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	redactions := 0
	if diffs := sameOrRedacted("", tree(snap.Config), tree(&back), &redactions); len(diffs) > 0 {
		t.Errorf("%d differences besides redactions, first %v", len(diffs), diffs[:min(5, len(diffs))])
	}
	t.Logf("%d bytes, %d values redacted", len(body), redactions)
	if _, again := f.get(t, "/config"); again != body {
		t.Error("a second request got another answer")
	}
}
