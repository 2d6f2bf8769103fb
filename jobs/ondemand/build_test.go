package ondemand

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func loadConfig(t *testing.T) *config.Config {
	t.Helper()
	snap, _, err := config.Load(config.Options{ConfigPath: "testdata/config.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	return snap.Config
}

func TestFind(t *testing.T) {
	cfg := loadConfig(t)
	for _, tc := range []struct {
		name     string
		q        Query
		wantType prowapi.ProwJobType
		wantRepo string
		wantErr  string
	}{
		{name: "a presubmit is found by name", q: Query{Name: "pull-repo-unit"}, wantType: prowapi.PresubmitJob, wantRepo: "org/repo"},
		{name: "a postsubmit is found by name", q: Query{Name: "post-repo-push"}, wantType: prowapi.PostsubmitJob, wantRepo: "org/repo"},
		{name: "a periodic is found by name", q: Query{Name: "nightly-cleanup"}, wantType: prowapi.PeriodicJob},
		{name: "a name of several repos asks which", q: Query{Name: "pull-shared"}, wantErr: `"pull-shared" names several jobs (presubmit of org/other, presubmit of org/third)`},
		{name: "the repository picks one of them", q: Query{Name: "pull-shared", Repo: "org/third"}, wantType: prowapi.PresubmitJob, wantRepo: "org/third"},
		{name: "a job of another type is not found", q: Query{Name: "nightly-cleanup", Type: prowapi.PresubmitJob}, wantErr: `no presubmit named "nightly-cleanup" is configured`},
		{name: "a branch the job does not run on is said", q: Query{Name: "pull-repo-unit", Branch: "release-1"}, wantErr: `job "pull-repo-unit" of org/repo does not run on branch "release-1"`},
		{name: "a branch the job runs on finds it", q: Query{Name: "pull-repo-unit", Branch: "main"}, wantType: prowapi.PresubmitJob, wantRepo: "org/repo"},
		{name: "an unknown job lists the close names", q: Query{Name: "pull-repo-unti"}, wantErr: `no job named "pull-repo-unti" is configured; close names: pull-repo-unit, pull-repo-lint`},
		{name: "an unknown job with nothing close says so", q: Query{Name: "zzz"}, wantErr: `no job named "zzz" is configured (and no configured name is close to it)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j, err := Find(cfg, tc.q)
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("Find = %v, want the error %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if j.Type != tc.wantType || j.Repo != tc.wantRepo {
				t.Errorf("Find = %s of %q, want %s of %q", j.Type, j.Repo, tc.wantType, tc.wantRepo)
			}
		})
	}
	var unknown *UnknownJobError
	if _, err := Find(cfg, Query{Name: "nope"}); !errors.As(err, &unknown) {
		t.Errorf("an unknown job's error is %T, want *UnknownJobError", err)
	}
}

func TestBuild(t *testing.T) {
	cfg := loadConfig(t)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	b := jobs.Builder{Now: func() time.Time { return now }, Namespace: cfg.ProwJobNamespace}
	find := func(name string) Job {
		j, err := Find(cfg, Query{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return j
	}
	base := prowapi.Refs{Org: "org", Repo: "repo", BaseRef: "main", BaseSHA: "b0"}
	pull := base
	pull.Pulls = []prowapi.Pull{{Number: 4, SHA: "h4", Author: "alice"}}

	t.Run("a presubmit is the ProwJob trigger would make, with the overrides", func(t *testing.T) {
		pj, err := find("pull-repo-unit").Build(b, &pull, Overrides{Labels: map[string]string{"team": "api", "extra": "yes"},
			Annotations: map[string]string{"note": "by hand"}, Env: map[string]string{"MODE": "slow", "DEBUG": "1"}})
		if err != nil {
			t.Fatal(err)
		}
		want := b.Presubmit(*find("pull-repo-unit").Presubmit, pull, nil)
		if pj.Spec.Type != prowapi.PresubmitJob || pj.Spec.Job != "pull-repo-unit" || pj.Namespace != "prowjobs" ||
			pj.Spec.Context != want.Spec.Context || pj.Spec.Refs.Pulls[0].Number != 4 || pj.Status.State != prowapi.TriggeredState {
			t.Errorf("presubmit ProwJob: %+v", pj)
		}
		if pj.Labels["team"] != "api" || pj.Labels["extra"] != "yes" || pj.Labels[prowapi.PullLabel] != "4" || pj.Annotations["note"] != "by hand" {
			t.Errorf("labels %v, annotations %v", pj.Labels, pj.Annotations)
		}
		env := map[string]string{}
		for _, e := range pj.Spec.PodSpec.Containers[0].Env {
			env[e.Name] = e.Value
		}
		if env["MODE"] != "slow" || env["DEBUG"] != "1" || len(pj.Spec.PodSpec.Containers[0].Env) != 2 {
			t.Errorf("env %v: want MODE replaced and DEBUG added", pj.Spec.PodSpec.Containers[0].Env)
		}
		if pj.Spec.ProwJobDefault == nil || pj.Spec.ProwJobDefault.TenantID != "org-tenant" {
			t.Errorf("prowjob_defaults %+v, want the org's tenant", pj.Spec.ProwJobDefault)
		}
	})
	for _, tc := range []struct {
		name, job string
		refs      *prowapi.Refs
		wantErr   string
	}{
		{"a presubmit needs a pull", "pull-repo-unit", &base, "presubmit org/repo needs a pull request in its refs"},
		{"a presubmit needs refs", "pull-repo-unit", nil, "presubmit org/repo needs refs"},
		{"refs of another repository are refused", "pull-repo-unit", &prowapi.Refs{Org: "org", Repo: "other", BaseRef: "main", BaseSHA: "b", Pulls: pull.Pulls}, "the refs are of org/other"},
		{"a postsubmit needs a base SHA", "post-repo-push", &prowapi.Refs{Org: "org", Repo: "repo", BaseRef: "main"}, "postsubmit org/repo needs a base ref and a base SHA"},
		{"a periodic takes no refs", "nightly-cleanup", &base, "periodic nightly-cleanup takes no refs"},
		{"a postsubmit builds from a base", "post-repo-push", &base, ""},
		{"a periodic builds without refs", "nightly-cleanup", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pj, err := find(tc.job).Build(b, tc.refs, Overrides{})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Build = %v, want the error %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if pj.Spec.Job != tc.job || pj.Status.StartTime.Time != now {
				t.Errorf("ProwJob %s started %v", pj.Spec.Job, pj.Status.StartTime)
			}
		})
	}
}
