package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadKubernetesTestInfraCountsEveryJob(t *testing.T) {
	// The counts of the subset in test/testdata; the whole configuration
	// (2261, 253, 1335 and 185 at test-infra 9cd5798) gives the same
	// summary with the prow binary.
	cfg := loadTestInfra(t)
	got := cfg.Summarize()
	want := Summary{Presubmits: 173, Postsubmits: 51, Periodics: 141, Repositories: 30}
	if got != want {
		t.Errorf("summary = %+v, want %+v", got, want)
	}
}

func TestLoadStrictReportsOnlyTheFieldsProwDoesNotKnow(t *testing.T) {
	opts := testInfraOptions()
	_, warnings, err := Load(opts)
	if err != nil {
		t.Fatalf("non-strict load failed: %v", err)
	}
	// The only file with fields Prow does not know is a data file that sits
	// among the jobs; everything else must be fully typed. The settings
	// read but not implemented are warned about too.
	for _, w := range warnings {
		if !strings.HasSuffix(w.File, filepath.Join("gcp", "registry", "default.yaml")) && !strings.Contains(w.Message, "is accepted but not implemented") {
			t.Errorf("unexpected unknown field: %s", w)
		}
	}
	if len(warnings) == 0 {
		t.Fatal("want the registry data file's fields reported as unknown")
	}
	opts.Strict = true
	_, _, err = Load(opts)
	var problems Problems
	if !errors.As(err, &problems) || len(problems) != len(warnings) {
		t.Fatalf("strict load: got %v, want the %d unknown fields as errors", err, len(warnings))
	}
}

func TestLoadSmallConfigs(t *testing.T) {
	cases := []struct {
		name    string
		config  string
		jobs    string
		strict  bool
		wantErr []string // substrings, one problem each
	}{
		{
			name: "a valid config loads",
			jobs: "presubmits:\n  o/r:\n  - name: a\n    always_run: true\n    spec: {containers: [{image: x}]}\n",
		},
		{
			name:    "duplicate presubmit names clash",
			jobs:    "presubmits:\n  o/r:\n  - name: a\n    spec: {containers: [{image: x}]}\n  - name: a\n    spec: {containers: [{image: x}]}\n",
			wantErr: []string{`jobs.yaml:5: presubmit "a" of o/r is defined twice (also at `},
		},
		{
			name: "the same name on disjoint branches is fine",
			jobs: "presubmits:\n  o/r:\n  - name: a\n    branches: [main]\n    spec: {containers: [{image: x}]}\n  - name: a\n    branches: [release-1]\n    context: a-release\n    spec: {containers: [{image: x}]}\n",
		},
		{
			name:    "duplicate contexts clash",
			jobs:    "presubmits:\n  o/r:\n  - name: a\n    context: ci\n    spec: {containers: [{image: x}]}\n  - name: b\n    context: ci\n    spec: {containers: [{image: x}]}\n",
			wantErr: []string{`presubmit "b" of o/r reports context "ci", which presubmit "a" already uses`},
		},
		{
			name:    "a regex that does not compile",
			jobs:    "presubmits:\n  o/r:\n  - name: a\n    run_if_changed: '('\n    spec: {containers: [{image: x}]}\n",
			wantErr: []string{`jobs.yaml:3: presubmit "a": run_if_changed: error parsing regexp`},
		},
		{
			name:    "run_if_changed with skip_if_only_changed",
			jobs:    "presubmits:\n  o/r:\n  - name: a\n    run_if_changed: x\n    skip_if_only_changed: y\n    spec: {containers: [{image: x}]}\n",
			wantErr: []string{"run_if_changed and skip_if_only_changed are mutually exclusive"},
		},
		{
			name:    "a rerun command its trigger does not match",
			jobs:    "presubmits:\n  o/r:\n  - name: a\n    trigger: '/test a'\n    rerun_command: '/retest b'\n    spec: {containers: [{image: x}]}\n",
			wantErr: []string{`rerun_command "/retest b" does not match trigger`},
		},
		{
			name:    "a bad cron",
			jobs:    "periodics:\n- name: p\n  cron: '61 * * * *'\n  spec: {containers: [{image: x}]}\n",
			wantErr: []string{`jobs.yaml:2: periodic "p": cron "61 * * * *"`},
		},
		{
			name:    "a periodic with two schedules",
			jobs:    "periodics:\n- name: p\n  cron: '@daily'\n  interval: 1h\n  spec: {containers: [{image: x}]}\n",
			wantErr: []string{"exactly one of cron, interval and minimum_interval"},
		},
		{
			name:    "duplicate periodics",
			jobs:    "periodics:\n- name: p\n  interval: 1h\n  spec: {containers: [{image: x}]}\n- name: p\n  interval: 2h\n  spec: {containers: [{image: x}]}\n",
			wantErr: []string{`jobs.yaml:5: periodic "p" is defined twice`},
		},
		{
			name:    "a bad job name",
			jobs:    "periodics:\n- name: 'has space'\n  interval: 1h\n  spec: {containers: [{image: x}]}\n",
			wantErr: []string{"name must match"},
		},
		{
			name:    "a repository key without org",
			jobs:    "postsubmits:\n  justrepo:\n  - name: a\n    spec: {containers: [{image: x}]}\n",
			wantErr: []string{`postsubmits: "justrepo" is not of the form org/repo`},
		},
		{
			name:    "a preset clashing with the job's env",
			config:  "presets:\n- labels: {p: 'true'}\n  env: [{name: A, value: x}]\n",
			jobs:    "periodics:\n- name: p\n  interval: 1h\n  labels: {p: 'true'}\n  spec: {containers: [{image: x, env: [{name: A, value: y}]}]}\n",
			wantErr: []string{`env var "A" is already set`},
		},
		{
			name:    "an unknown field is an error under strict",
			jobs:    "periodics:\n- name: p\n  interval: 1h\n  intervall: 2h\n  spec: {containers: [{image: x}]}\n",
			strict:  true,
			wantErr: []string{`jobs.yaml:4: unknown field "intervall" in periodics[0]`},
		},
		{
			name:    "a YAML syntax error names file and line",
			jobs:    "periodics:\n- name: p\n  interval: [1h\n",
			wantErr: []string{"jobs.yaml:3: invalid YAML"},
		},
		{
			name:    "an s3:// default bucket without a bucket name",
			config:  "plank:\n  default_decoration_config_entries:\n  - config:\n      gcs_configuration:\n        bucket: 's3://'\n        path_strategy: explicit\n",
			wantErr: []string{`config.yaml:5: plank.default_decoration_config_entries[0].config.gcs_configuration.bucket: storage location "s3://" names no bucket`},
		},
		{
			name: "a job's s3:// bucket without a bucket name",
			jobs: "periodics:\n- name: p\n  interval: 1h\n  decorate: true\n  decoration_config:\n    gcs_configuration: {bucket: 's3:///logs', path_strategy: explicit}\n" +
				"    utility_images: {clonerefs: a, initupload: b, entrypoint: c, sidecar: d}\n  spec: {containers: [{image: x}]}\n",
			wantErr: []string{`jobs.yaml:2: periodic "p": decoration_config: gcs_configuration.bucket: storage location "s3:///logs" names no bucket`},
		},
		{
			name: "jobs uploading to S3 load",
			config: "plank:\n  default_decoration_config_entries:\n  - config:\n      gcs_configuration: {bucket: 's3://prow-logs', path_strategy: explicit}\n" +
				"      s3_credentials_secret: s3-credentials\n      utility_images: {clonerefs: a, initupload: b, entrypoint: c, sidecar: d}\n",
			jobs: "periodics:\n- name: p\n  interval: 1h\n  decorate: true\n  spec: {containers: [{image: x}]}\n",
		},
		{
			name:    "a value of the wrong type",
			jobs:    "presubmits:\n  o/r:\n  - name: a\n    always_run: maybe\n",
			wantErr: []string{"jobs.yaml:4: field presubmits.always_run: cannot use a string as bool"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "config.yaml"), tc.config)
			write(t, filepath.Join(dir, "jobs", "jobs.yaml"), tc.jobs)
			_, _, err := Load(Options{ConfigPath: filepath.Join(dir, "config.yaml"), JobConfigPath: filepath.Join(dir, "jobs"), Strict: tc.strict})
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var problems Problems
			if !errors.As(err, &problems) {
				t.Fatalf("want problems, got %v", err)
			}
			if len(problems) != len(tc.wantErr) {
				t.Fatalf("got %d problems, want %d:\n%v", len(problems), len(tc.wantErr), err)
			}
			for i, want := range tc.wantErr {
				if !strings.Contains(problems[i].String(), want) {
					t.Errorf("problem %d = %q, want it to contain %q", i, problems[i], want)
				}
				if !strings.Contains(problems[i].String(), ".yaml") {
					t.Errorf("problem %d does not name its file: %q", i, problems[i])
				}
			}
		})
	}
}

func TestLoadSkipsConfigMapDataDirectories(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "config.yaml"), "")
	write(t, filepath.Join(dir, "jobs", "..2026_11_24", "a.yaml"), "periodics:\n- name: hidden\n  interval: 1h\n  spec: {containers: [{image: x}]}\n")
	write(t, filepath.Join(dir, "jobs", "a.yaml"), "periodics:\n- name: shown\n  interval: 1h\n  spec: {containers: [{image: x}]}\n")
	write(t, filepath.Join(dir, "jobs", "notes.txt"), "not yaml")
	snap, _, err := Load(Options{ConfigPath: filepath.Join(dir, "config.yaml"), JobConfigPath: filepath.Join(dir, "jobs")})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(snap.Config.Periodics); n != 1 || snap.Config.Periodics[0].Name != "shown" {
		t.Errorf("periodics = %+v, want only 'shown'", snap.Config.Periodics)
	}
}

func TestLoadNeedsConfigPath(t *testing.T) {
	if _, _, err := Load(Options{}); err == nil || !strings.Contains(err.Error(), "--config-path") {
		t.Errorf("err = %v, want a message about --config-path", err)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
