package options

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// prowGolden is a pod Prow decorated, with all four options in it.
var prowGolden = filepath.Join("..", "..", "..", "test", "testdata", "prow", "pod-utils", "decorate", "TestProwJobToPod_7.yaml")

// TestOptionsReadProwsJSON decodes the options of a pod Prow decorated,
// refusing unknown fields, and checks that encoding them again gives the
// same JSON.
func TestPodutilOptionsReadProwsJSON(t *testing.T) {
	data, err := os.ReadFile(prowGolden)
	if err != nil {
		t.Fatalf("Prow's decorated pods are expected at %s: %v", prowGolden, err)
	}
	var pod corev1.Pod
	if err := yaml.Unmarshal(data, &pod); err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, c := range append(pod.Spec.InitContainers, pod.Spec.Containers...) {
		for _, e := range c.Env {
			if strings.HasSuffix(e.Name, "_OPTIONS") {
				found[e.Name] = e.Value
			}
		}
	}
	for _, tc := range []struct {
		env string
		v   any
	}{
		{CloneRefsEnv, &CloneRefs{}},
		{InitUploadEnv, &InitUpload{}},
		{EntrypointEnv, &Entrypoint{}},
		{SidecarEnv, &Sidecar{}},
	} {
		t.Run(tc.env, func(t *testing.T) {
			raw, ok := found[tc.env]
			if !ok {
				t.Fatalf("the golden pod has no %s", tc.env)
			}
			dec := json.NewDecoder(strings.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(tc.v); err != nil {
				t.Fatalf("decode %s: %v", raw, err)
			}
			if v, ok := tc.v.(interface{ Validate() error }); !ok || v.Validate() != nil {
				t.Errorf("Prow's options do not validate: %v", v.Validate())
			}
			again, err := Encode(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if !sameJSON(t, raw, again) {
				t.Errorf("re-encoded as\n%s\nwant\n%s", again, raw)
			}
		})
	}
}

func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

func TestPodutilOptionsLoad(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "opts.json")
	if err := os.WriteFile(file, []byte(`{"timeout":5000000000,"args":["from-file"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{EntrypointEnv: `{"args":["from-env"],"grace_period":1000000000}`, "BAD": `{"args":`}
	getenv := func(k string) string { return env[k] }
	for _, tc := range []struct {
		name, env, file string
		want            []string
		wantErr         string
	}{
		{name: "the environment variable", env: EntrypointEnv, want: []string{"from-env"}},
		{name: "a file wins over the environment", env: EntrypointEnv, file: file, want: []string{"from-file"}},
		{name: "an unset variable", env: "UNSET", wantErr: "set $UNSET"},
		{name: "bad JSON", env: "BAD", wantErr: "decode the options in $BAD"},
		{name: "a missing file", env: EntrypointEnv, file: filepath.Join(dir, "missing"), wantErr: "read options file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o Entrypoint
			err := Load(&o, tc.env, tc.file, getenv)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(o.Args, tc.want) {
				t.Errorf("args %q, err %v; want %q", o.Args, err, tc.want)
			}
		})
	}
}

func TestEntrypointOptionDurationsAreNanoseconds(t *testing.T) {
	got, err := Encode(Entrypoint{Timeout: 2 * time.Hour, GracePeriod: 10 * time.Second, Wrapper: Wrapper{Args: []string{"x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, `{"timeout":7200000000000,"grace_period":10000000000,`) {
		t.Errorf("encoded as %s", got)
	}
}

func TestPodutilOptionsValidate(t *testing.T) {
	gcs := GCS{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "b"}}
	entry := Wrapper{Args: []string{"x"}, ProcessLog: "/logs/p", MarkerFile: "/logs/m"}
	refs := []prowapi.Refs{{Org: "o", Repo: "r", BaseRef: "main"}}
	for _, tc := range []struct {
		name    string
		opts    interface{ Validate() error }
		wantErr string
	}{
		{name: "clonerefs with everything", opts: CloneRefs{SrcRoot: "/go", Log: "/logs/clone.json", Refs: refs}},
		{name: "clonerefs without refs", opts: CloneRefs{SrcRoot: "/go", Log: "/l"}, wantErr: "no refs"},
		{name: "clonerefs without a log", opts: CloneRefs{SrcRoot: "/go", Refs: refs}, wantErr: "clone records"},
		{name: "clonerefs cloning a repository twice to one place", opts: CloneRefs{SrcRoot: "/go", Log: "/l", Refs: append(refs, refs[0])}, wantErr: "cloned twice"},
		{name: "clonerefs of two repositories sharing a path alias", opts: CloneRefs{SrcRoot: "/go", Log: "/l", Refs: []prowapi.Refs{{Org: "a", Repo: "x", PathAlias: "p"}, {Org: "b", Repo: "y", PathAlias: "p"}}}},
		{name: "clonerefs with a token and an app", opts: CloneRefs{SrcRoot: "/go", Log: "/l", Refs: refs, OauthTokenFile: "/t", GitHubAppID: "1", GitHubAppPrivateKeyFile: "/k", GitHubAPIEndpoints: []string{"x"}}, wantErr: "choose one"},
		{name: "clonerefs with an app ID but no key", opts: CloneRefs{SrcRoot: "/go", Log: "/l", Refs: refs, GitHubAppID: "1", GitHubAPIEndpoints: []string{"x"}}, wantErr: "without github_app_private_key_file"},
		{name: "entrypoint", opts: Entrypoint{Wrapper: entry}},
		{name: "entrypoint in copy mode needs nothing", opts: Entrypoint{CopyModeOnly: true}},
		{name: "entrypoint without a command", opts: Entrypoint{Wrapper: Wrapper{ProcessLog: "p", MarkerFile: "m"}}, wantErr: "no command"},
		{name: "entrypoint without a marker", opts: Entrypoint{Wrapper: Wrapper{Args: []string{"x"}, ProcessLog: "p"}}, wantErr: "no marker file"},
		{name: "entrypoint both propagating and always zero", opts: Entrypoint{PropagateErrorCode: true, AlwaysZero: true, Wrapper: entry}, wantErr: "contradict"},
		{name: "entrypoint with a negative timeout", opts: Entrypoint{Timeout: -1, Wrapper: entry}, wantErr: "negative"},
		{name: "initupload", opts: InitUpload{GCS: gcs}},
		{name: "initupload without a bucket", opts: InitUpload{}, wantErr: "no bucket"},
		{name: "initupload in a dry run needs no bucket", opts: InitUpload{GCS: GCS{DryRun: true}}},
		{name: "initupload with an unknown path strategy", opts: InitUpload{GCS: GCS{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "b", PathStrategy: "odd"}}}, wantErr: "path strategy"},
		{name: "initupload to S3", opts: InitUpload{GCS: GCS{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "s3://prow-logs", PathStrategy: "explicit"}, StorageClient: StorageClient{S3CredentialsFile: "/s3"}}}},
		{name: "initupload to an S3 URL without a bucket", opts: InitUpload{GCS: GCS{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "s3://", PathStrategy: "explicit"}}}, wantErr: "names no bucket"},
		{name: "sidecar", opts: Sidecar{GCS: gcs, Entries: []Wrapper{entry}}},
		{name: "sidecar with the deprecated single entry", opts: Sidecar{GCS: gcs, DeprecatedWrapperOptions: &entry}},
		{name: "sidecar without entries", opts: Sidecar{GCS: gcs}, wantErr: "no entries"},
		{name: "sidecar with a bad entry", opts: Sidecar{GCS: gcs, Entries: []Wrapper{entry, {Args: []string{"y"}}}}, wantErr: "entry 1"},
		{name: "sidecar with both censoring forms", opts: Sidecar{GCS: gcs, Entries: []Wrapper{entry}, SecretDirectories: []string{"/s"}, CensoringOptions: &Censoring{}}, wantErr: "deprecated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.Validate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestSidecarOptionsCensoringFromDeprecatedFields(t *testing.T) {
	size := 10
	o := Sidecar{SecretDirectories: []string{"/secrets"}, CensoringBufferSize: &size}
	c := o.Censoring()
	if c == nil || c.SecretDirectories[0] != "/secrets" || *c.CensoringBufferSize != 10 {
		t.Errorf("censoring %+v", c)
	}
	if (Sidecar{}).Censoring() != nil {
		t.Error("no censoring options should mean no censoring")
	}
}

func TestPodutilJobSpec(t *testing.T) {
	for _, tc := range []struct {
		name, raw, wantErr string
	}{
		{name: "a periodic", raw: `{"type":"periodic","job":"j","buildid":"1","prowjobid":"id"}`},
		{name: "nothing", raw: "", wantErr: "empty"},
		{name: "not JSON", raw: "{", wantErr: "decode"},
		{name: "no build", raw: `{"type":"periodic","job":"j"}`, wantErr: "no build ID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := ParseJobSpec(tc.raw)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || spec.Job != "j" || spec.ProwJobID != "id" {
				t.Errorf("spec %+v, err %v", spec, err)
			}
		})
	}
}

func TestInituploadOptionsFlattenTheUploadOptions(t *testing.T) {
	got, err := Encode(InitUpload{GCS: GCS{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "b"}}, Log: "/logs/clone.json"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"bucket":"b","dry_run":false,"log":"/logs/clone.json"}`
	if !bytes.Equal([]byte(got), []byte(want)) {
		t.Errorf("encoded as %s, want %s", got, want)
	}
}
