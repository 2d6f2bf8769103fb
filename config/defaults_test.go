package config

import (
	"testing"
	"time"
)

func findPresubmit(t *testing.T, cfg *Config, repo, name string) Presubmit {
	t.Helper()
	for _, ps := range cfg.Presubmits[repo] {
		if ps.Name == name {
			return ps
		}
	}
	t.Fatalf("presubmit %s of %s not found", name, repo)
	return Presubmit{}
}

func TestDefaultsOnRealTestInfraJobs(t *testing.T) {
	cfg := loadTestInfra(t)
	gubernator := findPresubmit(t, cfg, "kubernetes/test-infra", "pull-test-infra-gubernator")
	checkconfig := findPresubmit(t, cfg, "kubernetes/test-infra", "pull-test-infra-prow-checkconfig")
	hasEnv := func(ps Presubmit, name string) bool {
		for _, e := range ps.Spec.Containers[0].Env {
			if e.Name == name {
				return true
			}
		}
		return false
	}
	cases := []struct {
		name string
		got  any
		want any
	}{
		{"context defaults to the job name", gubernator.Context, "pull-test-infra-gubernator"},
		{"rerun command defaults to /test <name>", gubernator.RerunCommand, "/test pull-test-infra-gubernator"},
		{"the default trigger matches the rerun command", gubernator.TriggerMatches(gubernator.RerunCommand), true},
		{"the default trigger matches among other words", gubernator.TriggerMatches("please\n/test foo pull-test-infra-gubernator\nthanks"), true},
		{"the default trigger does not match another job", gubernator.TriggerMatches("/test pull-test-infra-gubernator-x"), false},
		{"agent defaults to kubernetes", gubernator.Agent, "kubernetes"},
		{"namespace defaults to pod_namespace", *gubernator.Namespace, "test-pods"},
		{"cluster is kept", gubernator.Cluster, "eks-prow-build-cluster"},
		{"decoration takes plank's bucket", gubernator.DecorationConfig.GCSConfiguration.Bucket, "kubernetes-ci-logs"},
		{"decoration takes plank's timeout", gubernator.DecorationConfig.Timeout.Get(), 2 * time.Hour},
		{"decoration takes plank's grace period", gubernator.DecorationConfig.GracePeriod.Get(), 15 * time.Minute},
		{"decoration takes plank's credentials secret", *gubernator.DecorationConfig.GCSCredentialsSecret, "service-account"},
		{"the labeled preset adds its env", hasEnv(gubernator, "GOOGLE_APPLICATION_CREDENTIALS"), true},
		{"an unlabeled job gets no preset env", hasEnv(checkconfig, "GOOGLE_APPLICATION_CREDENTIALS"), false},
		{"a job without always_run or filters is not always_run", checkconfig.AlwaysRun, false},
		{"optional: false and no skip_report is required", gubernator.ContextRequired(), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}

func TestDefaultDecorationIsMergedPerCluster(t *testing.T) {
	cfg := loadTestInfra(t)
	for repo, jobs := range cfg.Presubmits {
		for _, ps := range jobs {
			if ps.Cluster != "k8s-infra-ppc64le-prow-build" || ps.DecorationConfig == nil {
				continue
			}
			dc := ps.DecorationConfig
			if dc.GCSCredentialsSecret == nil || *dc.GCSCredentialsSecret != "" {
				t.Errorf("%s %s: the cluster entry's empty gcs_credentials_secret should win, got %v", repo, ps.Name, dc.GCSCredentialsSecret)
			}
			if dc.GCSConfiguration == nil || dc.GCSConfiguration.Bucket == "" {
				t.Errorf("%s %s: the bucket from the '*' entry should remain", repo, ps.Name)
			}
			return
		}
	}
	t.Skip("no presubmit on the ppc64le cluster in this snapshot")
}

func TestExplicitTriggerAndRerunAreKept(t *testing.T) {
	cfg := &Config{}
	ps := Presubmit{JobBase: JobBase{Name: "unit"}, Trigger: `(?m)^/test (unit|all)`, RerunCommand: "/test unit"}
	if err := cfg.defaultPresubmit(&ps, "o/r"); err != nil {
		t.Fatal(err)
	}
	if ps.Trigger != `(?m)^/test (unit|all)` || ps.RerunCommand != "/test unit" {
		t.Errorf("trigger/rerun overwritten: %q %q", ps.Trigger, ps.RerunCommand)
	}
	if ps.Cluster != DefaultClusterAlias {
		t.Errorf("cluster = %q, want %q", ps.Cluster, DefaultClusterAlias)
	}
}
