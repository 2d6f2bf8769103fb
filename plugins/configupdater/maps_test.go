package configupdater

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestFileMapsPath(t *testing.T) {
	f := FileMaps{ConfigPath: "/etc/prow/config.yaml", PluginConfigPath: "/etc/plugins/plugins.yaml", JobConfigDir: "/etc/jobs"}
	for _, tc := range []struct {
		name, key, want, err string
	}{
		{"the config key", "config.yaml", "/etc/prow/config.yaml", ""},
		{"the plugin config key", "plugins.yaml", "/etc/plugins/plugins.yaml", ""},
		{"any other key is a job file", "presubmits.yaml", "/etc/jobs/presubmits.yaml", ""},
		{"a key that climbs out", "../escape.yaml", "", "no file name"},
		{"a key with a slash", "a/b.yaml", "", "no file name"},
		{"the parent directory", "..", "", "no file name"},
		{"an empty key", "", "", "no file name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.path(tc.key)
			if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("path(%q) = %q, %v; want %q, %q", tc.key, got, err, tc.want, tc.err)
			}
		})
	}
	if _, err := (FileMaps{ConfigPath: "/etc/prow/config.yaml"}).path("job.yaml"); err == nil || !strings.Contains(err.Error(), "names no file") {
		t.Errorf("a job key without a job config directory: %v", err)
	}
}

func TestFileMapsApply(t *testing.T) {
	dir := t.TempDir()
	f := FileMaps{ConfigPath: filepath.Join(dir, "config.yaml"), JobConfigDir: dir}
	ctx := context.Background()
	if err := os.WriteFile(filepath.Join(dir, "old.yaml"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := Change{Set: map[string]Value{"config.yaml": {Content: []byte("a: 1\n"), GZIP: true}, "new.yaml": {Content: []byte("n")}}, Delete: []string{"old.yaml", "never-there.yaml"}}
	for run := 0; run < 2; run++ { // the same change twice is the same as once
		if err := f.Apply(ctx, MapID{Name: "config"}, "", c); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]string{"config.yaml": "a: 1\n", "new.yaml": "n"} {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q (plain, whatever gzip says)", name, got, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "old.yaml")); !os.IsNotExist(err) {
		t.Errorf("old.yaml: %v", err)
	}
	if err := f.Apply(ctx, MapID{Name: "config"}, "", Change{Delete: []string{"config.yaml"}}); err == nil {
		t.Error("deleting the config file was allowed")
	}
}

func TestChangeConfigMap(t *testing.T) {
	cm := &corev1.ConfigMap{Data: map[string]string{"a": "old", "gone": "x"}, BinaryData: map[string][]byte{"b": {1}}}
	err := change(cm, Change{Set: map[string]Value{
		"a":   {Content: []byte("text")},
		"b":   {Content: []byte("now text")},
		"bin": {Content: []byte{0xff, 0xfe}},
		"gz":  {Content: []byte("zipped"), GZIP: true},
	}, Delete: []string{"gone"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"a": "text", "b": "now text"}; !reflect.DeepEqual(cm.Data, want) {
		t.Errorf("data %v, want %v", cm.Data, want)
	}
	if len(cm.BinaryData) != 2 || !reflect.DeepEqual(cm.BinaryData["bin"], []byte{0xff, 0xfe}) || len(cm.BinaryData["gz"]) == 0 {
		t.Errorf("binaryData %v", cm.BinaryData)
	}
}
