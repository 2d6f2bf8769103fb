package config

import (
	"reflect"
	"testing"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func TestProwJobDefaultFor(t *testing.T) {
	tenant := func(id string) *prowapi.ProwJobDefault { return &prowapi.ProwJobDefault{TenantID: id} }
	entries := []*ProwJobDefaultEntry{
		{OrgRepo: "*", Config: &prowapi.ProwJobDefault{TenantID: "everyone", ResultStoreConfig: &prowapi.ResultStoreConfig{ProjectID: "all"}}},
		{OrgRepo: "org", Config: tenant("org-tenant")},
		{OrgRepo: "org/special", Cluster: "gpu", Config: tenant("special-gpu")},
		{Cluster: "trusted", Config: tenant("trusted-tenant")},
	}
	for _, tc := range []struct {
		name                string
		entries             []*ProwJobDefaultEntry
		repo, cluster       string
		own                 *prowapi.ProwJobDefault
		wantTenant, project string
	}{
		{name: "no entries give the global default tenant", repo: "org/repo", cluster: "default", wantTenant: DefaultTenantID},
		{name: "a later matching entry overrides an earlier one", entries: entries, repo: "org/repo", cluster: "default", wantTenant: "org-tenant", project: "all"},
		{name: "an entry of another org does not match", entries: entries, repo: "other/repo", cluster: "default", wantTenant: "everyone", project: "all"},
		{name: "an org entry does not match a repo whose name only starts with it", entries: entries, repo: "organic/repo", cluster: "default", wantTenant: "everyone", project: "all"},
		{name: "repo and cluster must both match", entries: entries, repo: "org/special", cluster: "default", wantTenant: "org-tenant", project: "all"},
		{name: "a repo entry on its cluster wins", entries: entries, repo: "org/special", cluster: "gpu", wantTenant: "special-gpu", project: "all"},
		{name: "an entry naming only a cluster matches every repo there", entries: entries, repo: "other/repo", cluster: "trusted", wantTenant: "trusted-tenant", project: "all"},
		{name: "a periodic without refs matches only entries for every repo", entries: entries[:2], repo: "", cluster: "default", wantTenant: "everyone", project: "all"},
		{name: "the job's own prowjob_defaults win", entries: entries, repo: "org/repo", cluster: "default", own: tenant("mine"), wantTenant: "mine", project: "all"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &ProwConfig{ProwJobDefaultEntries: tc.entries}
			got := c.ProwJobDefaultFor(tc.repo, tc.cluster, tc.own)
			want := &prowapi.ProwJobDefault{TenantID: tc.wantTenant}
			if tc.project != "" {
				want.ResultStoreConfig = &prowapi.ResultStoreConfig{ProjectID: tc.project}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ProwJobDefaultFor(%q, %q) = %+v, want %+v", tc.repo, tc.cluster, got, want)
			}
		})
	}
}

// TestLoadAppliesProwJobDefaultEntries: a loaded job carries the
// prowjob_defaults the entries give it, so every ProwJob made from it
// does.
func TestLoadAppliesProwJobDefaultEntries(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "config.yaml", `prowjob_default_entries:
- repo: "*"
  config: {tenant_id: base}
- repo: org/repo
  cluster: "*"
  config: {tenant_id: repo-tenant}
presubmits:
  org/repo:
  - name: unit
    spec: {containers: [{image: alpine}]}
  org/other:
  - name: unit
    spec: {containers: [{image: alpine}]}
periodics:
- name: nightly
  interval: 24h
  spec: {containers: [{image: alpine}]}
`)
	snap, _, err := Load(Options{ConfigPath: cfg})
	if err != nil {
		t.Fatal(err)
	}
	c := snap.Config
	for _, tc := range []struct{ name, job, repo, want string }{
		{"a repo's own defaults", "unit", "org/repo", "repo-tenant"},
		{"the base defaults elsewhere", "unit", "org/other", "base"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Presubmits[tc.repo][0].ProwJobDefault; got == nil || got.TenantID != tc.want {
				t.Errorf("%s of %s: prowjob_defaults %+v, want tenant %s", tc.job, tc.repo, got, tc.want)
			}
		})
	}
	if got := c.Periodics[0].ProwJobDefault; got == nil || got.TenantID != "base" {
		t.Errorf("periodic: prowjob_defaults %+v, want tenant base", got)
	}
}
