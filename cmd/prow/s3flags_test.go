package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestS3CredentialsFileIsCheckedAtStart: a missing or invalid
// --s3-credentials-file stops serve, deck and controller before they
// start anything, with an error naming the file.
func TestS3CredentialsFileIsCheckedAtStart(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg := write("config.yaml", "prowjob_namespace: prow\n")
	plugins := write("plugins.yaml", "plugins: {}\n")
	files := map[string]string{
		"missing": filepath.Join(dir, "missing.json"),
		"invalid": write("invalid.json", `{"access_key": "a", "secret": "s"}`),
	}
	commands := map[string][]string{
		"serve":      {"serve", "--config-path", cfg, "--plugin-config", plugins, "--data-dir", filepath.Join(dir, "data"), "--runner", "host", "--github-token-path", write("token", "t")},
		"deck":       {"deck", "--config-path", cfg},
		"controller": {"controller", "--config-path", cfg},
	}
	for cmdName, args := range commands {
		for fileName, file := range files {
			t.Run(cmdName+" with a "+fileName+" file", func(t *testing.T) {
				_, stderr, code := runProw(t, append(args, "--s3-credentials-file", file)...)
				if code == 0 || !strings.Contains(stderr, file) {
					t.Errorf("exit %d, stderr %q: want a failure naming %s", code, stderr, file)
				}
			})
		}
	}
}

// TestCheckconfigNamesAnS3BucketWithoutName: an s3:// bucket without a
// bucket name is an error at its file and line.
func TestCheckconfigNamesAnS3BucketWithoutName(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	content := "plank:\n  default_decoration_config_entries:\n  - config:\n      gcs_configuration:\n        bucket: s3://\n        path_strategy: explicit\n"
	if err := os.WriteFile(cfg, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runProw(t, "checkconfig", "--config-path", cfg)
	if code == 0 || !strings.Contains(stderr, cfg+":5:") || !strings.Contains(stderr, `"s3://" names no bucket`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
