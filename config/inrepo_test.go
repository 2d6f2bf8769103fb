package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

const inRepoCentral = `pod_namespace: test-pods
plank:
  default_decoration_config_entries:
  - config: {gcs_configuration: {bucket: b, path_strategy: explicit}, gcs_credentials_secret: s, utility_images: {clonerefs: c, initupload: i, entrypoint: e, sidecar: s}}
in_repo_config:
  enabled: {"*": true, "demo/off": false}
  allowed_clusters: {"*": [default], demo: [gpu]}
presets:
- labels: {preset-go: "true"}
  env: [{name: GOPROXY, value: off}]
presubmits:
  demo/hello:
  - name: pull-unit
    always_run: true
    spec: {containers: [{image: golang}]}
postsubmits:
  demo/hello:
  - name: post-build
    spec: {containers: [{image: golang}]}
`

func loadInRepoCentral(t *testing.T) *Config {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "config.yaml"), inRepoCentral)
	snap, _, err := Load(Options{ConfigPath: filepath.Join(dir, "config.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	return snap.Config
}

func TestInRepoEnabledAndClusters(t *testing.T) {
	cfg := loadInRepoCentral(t)
	cases := []struct {
		org, repo string
		enabled   bool
		clusters  string
	}{
		{"demo", "hello", true, "gpu,default"},
		{"demo", "off", false, "gpu,default"},
		{"other", "x", true, "default"},
	}
	for _, tc := range cases {
		t.Run(tc.org+"/"+tc.repo, func(t *testing.T) {
			if got := cfg.InRepoConfig.EnabledFor(tc.org, tc.repo); got != tc.enabled {
				t.Errorf("enabled = %v, want %v (the most specific key wins)", got, tc.enabled)
			}
			if got := strings.Join(cfg.InRepoConfig.AllowedClustersFor(tc.org, tc.repo), ","); got != tc.clusters {
				t.Errorf("allowed clusters = %s, want %s (repo, org and * together)", got, tc.clusters)
			}
		})
	}
}

func TestWithInRepo(t *testing.T) {
	cfg := loadInRepoCentral(t)
	cases := []struct {
		name    string
		files   map[string]string
		want    string // presubmit names, then | postsubmit names
		wantErr string // a substring of the error, naming file and line
	}{
		{name: "no file leaves the central jobs", files: nil, want: "pull-unit|post-build"},
		{name: "jobs of .prow.yaml come after the central ones",
			files: map[string]string{".prow.yaml": "presubmits:\n- name: pull-lint\n  spec: {containers: [{image: x}]}\npostsubmits:\n- name: post-lint\n  spec: {containers: [{image: x}]}\n"},
			want:  "pull-unit,pull-lint|post-build,post-lint"},
		{name: "the files of .prow/ are read together, in path order",
			files: map[string]string{".prow/b.yaml": "presubmits:\n- name: pull-b\n  spec: {containers: [{image: x}]}\n", ".prow/a.yml": "presubmits:\n- name: pull-a\n  spec: {containers: [{image: x}]}\n", ".prow/notes.txt": "not read"},
			want:  "pull-unit,pull-a,pull-b|post-build"},
		{name: "both .prow.yaml and .prow/ is an error",
			files:   map[string]string{".prow.yaml": "presubmits: []\n", ".prow/a.yaml": "presubmits: []\n"},
			wantErr: "both .prow.yaml and the directory .prow/ are present"},
		{name: "a syntax error names the file and line",
			files:   map[string]string{".prow.yaml": "presubmits:\n- name: [x\n"},
			wantErr: ".prow.yaml:"},
		{name: "an unknown field is an error",
			files:   map[string]string{".prow.yaml": "presubmits:\n- name: pull-x\n  spec: {containers: [{image: x}]}\n  alway_run: true\n"},
			wantErr: "alway_run"},
		{name: "a presubmit that redefines a central one",
			files:   map[string]string{".prow.yaml": "presubmits:\n- name: x\n  spec: {containers: [{image: x}]}\n- name: pull-unit\n  spec: {containers: [{image: x}]}\n"},
			wantErr: `.prow.yaml:4: presubmit "pull-unit" is already defined in the central configuration for demo/hello`},
		{name: "a postsubmit that redefines a central one",
			files:   map[string]string{".prow.yaml": "postsubmits:\n- name: post-build\n  spec: {containers: [{image: x}]}\n"},
			wantErr: `postsubmit "post-build" is already defined`},
		{name: "a cluster not allowed for the repository",
			files:   map[string]string{".prow.yaml": "presubmits:\n- name: pull-x\n  cluster: secret\n  spec: {containers: [{image: x}]}\n"},
			wantErr: `.prow.yaml:2: presubmit "pull-x": cluster "secret" is not allowed`},
		{name: "a cluster the org allows",
			files: map[string]string{".prow.yaml": "presubmits:\n- name: pull-x\n  cluster: gpu\n  spec: {containers: [{image: x}]}\n"},
			want:  "pull-unit,pull-x|post-build"},
		{name: "an invalid job is validated as a central one",
			files:   map[string]string{".prow.yaml": "presubmits:\n- name: pull-x\n  always_run: true\n  run_if_changed: a\n  spec: {containers: [{image: x}]}\n"},
			wantErr: "always_run cannot be combined"},
		{name: "two in-repo jobs with one context",
			files:   map[string]string{".prow.yaml": "presubmits:\n- name: pull-x\n  context: c\n  spec: {containers: [{image: x}]}\n- name: pull-y\n  context: c\n  spec: {containers: [{image: x}]}\n"},
			wantErr: `reports context "c"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string][]byte{}
			for p, c := range tc.files {
				files[p] = []byte(c)
			}
			py, err := ParseProwYAML(files)
			var jobs InRepoJobs
			if err == nil {
				jobs, err = cfg.WithInRepo("demo", "hello", py)
			}
			if tc.wantErr != "" {
				var bad *InRepoError
				if !errors.As(err, &bad) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want an InRepoError containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var pre, post []string
			for _, ps := range jobs.Presubmits {
				pre = append(pre, ps.Name)
			}
			for _, ps := range jobs.Postsubmits {
				post = append(post, ps.Name)
			}
			if got := strings.Join(pre, ",") + "|" + strings.Join(post, ","); got != tc.want {
				t.Errorf("jobs = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestInRepoJobsGetCentralDefaults(t *testing.T) {
	cfg := loadInRepoCentral(t)
	py, err := ParseProwYAML(map[string][]byte{".prow.yaml": []byte(`presets:
- labels: {preset-local: "true"}
  env: [{name: LOCAL, value: "1"}]
presubmits:
- name: pull-x
  decorate: true
  labels: {preset-go: "true", preset-local: "true"}
  spec: {containers: [{image: x}]}
`)})
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := cfg.WithInRepo("demo", "hello", py)
	if err != nil {
		t.Fatal(err)
	}
	ps := jobs.Presubmits[1]
	var env []string
	for _, e := range ps.Spec.Containers[0].Env {
		env = append(env, e.Name)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"central presets apply", strings.Contains(strings.Join(env, ","), "GOPROXY"), true},
		{"the file's presets apply", strings.Contains(strings.Join(env, ","), "LOCAL"), true},
		{"decoration defaults apply", ps.DecorationConfig != nil && ps.DecorationConfig.GCSConfiguration != nil && ps.DecorationConfig.GCSConfiguration.Bucket == "b", true},
		{"context defaults to the name", ps.Context, "pull-x"},
		{"the default trigger works", ps.TriggerMatches("/test pull-x"), true},
		{"the cluster defaults", ps.Cluster, DefaultClusterAlias},
		{"the job knows its file", ps.SourcePath, ".prow.yaml"},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %v, want %v", c.got, c.want)
			}
		})
	}
}
