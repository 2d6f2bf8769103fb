package v1

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// roundTrip decodes data as a ProwJob, encodes it again and compares the
// two documents as generic maps, so a lost or altered field shows.
func roundTrip(t *testing.T, data []byte) {
	t.Helper()
	var pj ProwJob
	if err := yaml.UnmarshalStrict(data, &pj); err != nil {
		t.Fatalf("decode: %v", err)
	}
	out, err := yaml.Marshal(&pj)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	var before, after map[string]any
	if err := yaml.Unmarshal(data, &before); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(out, &after); err != nil {
		t.Fatal(err)
	}
	// An unset status encodes as {"startTime": null}: not a field the
	// input had, so drop it before comparing.
	if st, ok := after["status"].(map[string]any); ok && len(st) == 1 && st["startTime"] == nil {
		delete(after, "status")
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("round trip changed the document:\nbefore: %v\nafter:  %v", before, after)
	}
}

func TestIntegrationProwJobsRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*prowjob*.yaml"))
	if err != nil || len(files) < 3 {
		t.Fatalf("want the three integration ProwJobs, got %v (%v)", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, data)
		})
	}
}

func TestEveryFieldRoundTrips(t *testing.T) {
	// A ProwJob with every field of the CRD set.
	doc := `apiVersion: prow.k8s.io/v1
kind: ProwJob
metadata:
  name: 5b7cdd2e-1111-2222-3333-444455556666
  namespace: default
  labels:
    created-by-prow: "true"
spec:
  type: presubmit
  agent: kubernetes
  cluster: build
  namespace: test-pods
  job: pull-x
  refs:
    org: o
    repo: r
    repo_link: https://github.com/o/r
    base_ref: main
    base_sha: abc
    base_link: https://github.com/o/r/commit/abc
    pulls:
    - number: 1
      author: a
      sha: def
      title: t
      ref: refs/pull/1/head
      head_ref: feature
      link: https://github.com/o/r/pull/1
      commit_link: https://github.com/o/r/pull/1/commits/def
      author_link: https://github.com/a
    path_alias: k8s.io/r
    workdir: true
    auxiliary: true
    clone_uri: https://example.com/r.git
    skip_submodules: true
    clone_depth: 1
    skip_fetch_head: true
    blobless_fetch: true
    sparse_checkout_files: [a]
  extra_refs:
  - org: o2
    repo: r2
    base_ref: main
  report: true
  context: pull-x
  rerun_command: /test pull-x
  max_concurrency: 2
  error_on_eviction: true
  pod_spec:
    containers:
    - image: alpine
      name: test
      resources: {limits: {cpu: "1"}}
  jenkins_spec:
    github_branch_source_job: true
  pipeline_run_spec:
    params: [{name: a, value: b}]
  tekton_pipeline_run_spec:
    v1beta1:
      pipelineRef: {name: p}
  decoration_config:
    timeout: 2h0m0s
    grace_period: 15s
    utility_images: {clonerefs: c, initupload: i, entrypoint: e, sidecar: s}
    resources:
      clonerefs: {requests: {cpu: 100m}}
      initupload: {limits: {memory: 1Gi}}
      place_entrypoint: {requests: {cpu: 100m}}
      sidecar: {requests: {cpu: 100m}}
    gcs_configuration:
      bucket: b
      path_prefix: p
      path_strategy: explicit
      default_org: o
      default_repo: r
      mediaTypes: {log: text/plain}
      job_url_prefix: https://prow/view/
      local_output_dir: /out
      compress_file_types: [txt]
    gcs_credentials_secret: gcs
    s3_credentials_secret: s3
    default_service_account_name: sa
    ssh_key_secrets: [k]
    ssh_host_fingerprints: [f]
    blobless_fetch: true
    sparse_checkout_files: [x]
    skip_cloning: true
    cookiefile_secret: cookie
    oauth_token_secret: {name: secret, key: k}
    github_api_endpoints: [https://api.github.com]
    github_app_id: "123"
    github_app_private_key_secret: {name: secret, key: k}
    censor_secrets: true
    censoring_options:
      censoring_concurrency: 4
      censoring_buffer_size: 1024
      include_directories: [a]
      exclude_directories: [b]
      minimum_secret_length: 6
    upload_ignores_interrupts: true
    set_limit_equals_memory_request: true
    default_memory_request: 1Gi
    pod_pending_timeout: 10m0s
    pod_running_timeout: 48h0m0s
    pod_unscheduled_timeout: 5m0s
    run_as_user: 1000
    run_as_group: 1000
    fs_group: 2000
    scheduling_options:
      tolerations: [{key: k, operator: Exists}]
  reporter_config:
    slack: {host: h, channel: c, job_states_to_report: [failure], report_template: t, report: true}
  rerun_auth_config:
    github_team_ids: [1]
    github_team_slugs: [{slug: s, org: o}]
    github_users: [u]
    github_orgs: [o]
  hidden: true
  prowjob_defaults:
    tenant_id: t
    resultstore_config: {project_id: p}
  job_queue_name: q
status:
  startTime: "2026-11-24T10:00:00Z"
  pendingTime: "2026-11-24T10:00:01Z"
  completionTime: "2026-11-24T10:10:00Z"
  state: success
  description: Job succeeded.
  url: https://prow/view/x
  pod_revival_count: 1
  pod_name: 5b7cdd2e-1111-2222-3333-444455556666
  build_id: "1584987912955498496"
  jenkins_build_id: "7"
  prev_report_states:
    github-reporter: success
`
	roundTrip(t, []byte(doc))
}

func TestJobSpecRefsFromDecoratedPodsDecode(t *testing.T) {
	// The JOB_SPEC env of Prow's decorated pods holds refs as Prow encodes
	// them; they must decode and encode to the same JSON.
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "test", "testdata", "prow", "pod-utils", "decorate", "TestProwJobToPod_0.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var pod corev1.Pod
	if err := yaml.Unmarshal(data, &pod); err != nil {
		t.Fatal(err)
	}
	var spec string
	for _, e := range pod.Spec.Containers[0].Env {
		if e.Name == "JOB_SPEC" {
			spec = e.Value
		}
	}
	var raw struct {
		Refs json.RawMessage `json:"refs"`
	}
	if err := json.Unmarshal([]byte(spec), &raw); err != nil {
		t.Fatal(err)
	}
	var refs Refs
	dec := json.NewDecoder(strings.NewReader(string(raw.Refs)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&refs); err != nil {
		t.Fatalf("decode refs: %v", err)
	}
	out, _ := json.Marshal(refs)
	if string(out) != string(raw.Refs) {
		t.Errorf("refs re-encode differently:\n got %s\nwant %s", out, raw.Refs)
	}
	if got := refs.String(); got != "base-ref:base-sha,1:pull-sha" {
		t.Errorf("PULL_REFS = %q", got)
	}
}

func TestRefsString(t *testing.T) {
	cases := []struct {
		name string
		refs Refs
		want string
	}{
		{"base only", Refs{BaseRef: "main"}, "main"},
		{"base with sha", Refs{BaseRef: "main", BaseSHA: "abc"}, "main:abc"},
		{"pulls", Refs{BaseRef: "main", BaseSHA: "abc", Pulls: []Pull{{Number: 1, SHA: "d"}, {Number: 2, SHA: "e"}}}, "main:abc,1:d,2:e"},
		{"pull with ref", Refs{BaseRef: "main", Pulls: []Pull{{Number: 3, SHA: "f", Ref: "refs/pull/3/head"}}}, "main,3:f:refs/pull/3/head"},
		{"pull without sha", Refs{BaseRef: "main", Pulls: []Pull{{Number: 4}}}, "main,4"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.refs.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLabelValue(t *testing.T) {
	long := strings.Repeat("a", 70)
	cases := []struct{ name, in, want, valid string }{
		{"a valid value is kept", "pull-kubernetes-e2e", "pull-kubernetes-e2e", "pull-kubernetes-e2e"},
		{"a long value is cut to 63 characters", long, long[:63], long[:63]},
		{"a cut that ends in a dash drops the dash", strings.Repeat("b", 62) + "-x", strings.Repeat("b", 62), strings.Repeat("b", 62)},
		{"a trailing dash is dropped", "ends-with-dash-", "ends-with-dash", "ends-with-dash"},
		{"a path falls back to its base name", "kubernetes/test-infra", "kubernetes/test-infra", "test-infra"},
		{"invalid characters leave nothing valid", "bad value!", "bad value!", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := LabelValue(tc.in); got != tc.want {
				t.Errorf("LabelValue(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := ValidLabelValue(tc.in); got != tc.valid {
				t.Errorf("ValidLabelValue(%q) = %q, want %q", tc.in, got, tc.valid)
			}
		})
	}
}

func TestStatesAndCompletion(t *testing.T) {
	final := map[ProwJobState]bool{SchedulingState: false, TriggeredState: false, PendingState: false,
		SuccessState: true, FailureState: true, AbortedState: true, ErrorState: true}
	for s, want := range final {
		if s.IsFinal() != want {
			t.Errorf("%s.IsFinal() = %v", s, !want)
		}
	}
	var pj ProwJob
	if pj.Complete() {
		t.Error("a job without completion time is not complete")
	}
}

func TestDuration(t *testing.T) {
	var d Duration
	if err := json.Unmarshal([]byte(`"1h30m"`), &d); err != nil || d.Duration != 90*time.Minute {
		t.Fatalf("got %v, %v", d, err)
	}
	if out, _ := json.Marshal(d); string(out) != `"1h30m0s"` {
		t.Errorf("marshal = %s", out)
	}
	if err := json.Unmarshal([]byte(`5000000000`), &d); err != nil || d.Duration != 5*time.Second {
		t.Errorf("nanoseconds: %v, %v", d, err)
	}
	if err := json.Unmarshal([]byte(`"soon"`), &d); err == nil || !strings.Contains(err.Error(), `invalid duration "soon"`) {
		t.Errorf("want a clear error, got %v", err)
	}
	var nilD *Duration
	if nilD.Get() != 0 {
		t.Error("nil Duration should be zero")
	}
}
