package configupdater

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/github"
)

func TestApplies(t *testing.T) {
	for _, tc := range []struct {
		name       string
		action     string
		merged     bool
		base, dflt string
		want       bool
	}{
		{"a merge into the default branch", "closed", true, "main", "main", true},
		{"closed without merging", "closed", false, "main", "main", false},
		{"a merge into another branch", "closed", true, "release-1", "main", false},
		{"an open pull request", "opened", false, "main", "main", false},
		{"an unknown default branch", "closed", true, "main", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Applies(tc.action, tc.merged, tc.base, tc.dflt); got != tc.want {
				t.Errorf("Applies = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPlan(t *testing.T) {
	yes := true
	cfg := pluginconfig.ConfigUpdater{
		Maps: map[string]pluginconfig.ConfigMapSpec{
			"prow/config.yaml":      {Name: "config"},
			"prow/plugins.yaml":     {Name: "plugins", Key: "plugins.yaml", Clusters: map[string][]string{"default": {"prow", "test-pods"}}},
			"prow/jobs/**/*.yaml":   {Name: "job-config", GZIP: &yes},
			"prow/full/*.yaml":      {Name: "full", UseFullPathAsKey: true},
			"prow/grouped.yaml":     {Name: "grouped", ClusterGroups: []string{"builds"}},
			"prow/*.yaml":           {Name: "fallback"},
			"prow/others-only.txt":  {Name: "others", AllowedRepos: []string{"other"}},
			"prow/denied.txt":       {Name: "denied", DeniedRepos: []string{"demo/hello"}},
			"prow/partitioned.yaml": {PartitionedNames: []string{"a", "b"}},
		},
		ClusterGroups: map[string]pluginconfig.ClusterGroup{"builds": {Clusters: []string{"b1", "b2"}, Namespaces: []string{"ci"}}},
	}
	dflt := func(name string) MapID { return MapID{Cluster: DefaultCluster, Name: name} }
	for _, tc := range []struct {
		name    string
		changes []github.PullRequestChange
		want    map[MapID][]Update
	}{
		{"an unmapped file changes nothing", []github.PullRequestChange{{Filename: "README.md", Status: "modified"}}, map[MapID][]Update{}},
		{"a mapped file sets its base name in the default cluster and namespace",
			[]github.PullRequestChange{{Filename: "prow/config.yaml", Status: "modified"}},
			map[MapID][]Update{dflt("config"): {{Key: "config.yaml", Filename: "prow/config.yaml"}}}},
		{"an exact path wins over a glob matching it too",
			[]github.PullRequestChange{{Filename: "prow/config.yaml", Status: "added"}, {Filename: "prow/other.yaml", Status: "added"}},
			map[MapID][]Update{dflt("config"): {{Key: "config.yaml", Filename: "prow/config.yaml"}}, dflt("fallback"): {{Key: "other.yaml", Filename: "prow/other.yaml"}}}},
		{"an entry's key and every namespace of its cluster",
			[]github.PullRequestChange{{Filename: "prow/plugins.yaml", Status: "modified"}},
			map[MapID][]Update{
				{Cluster: "default", Namespace: "prow", Name: "plugins"}:      {{Key: "plugins.yaml", Filename: "prow/plugins.yaml"}},
				{Cluster: "default", Namespace: "test-pods", Name: "plugins"}: {{Key: "plugins.yaml", Filename: "prow/plugins.yaml"}}}},
		{"** spans directories, and gzip comes from the entry",
			[]github.PullRequestChange{{Filename: "prow/jobs/a/b/c.yaml", Status: "added"}, {Filename: "prow/jobs/top.yaml", Status: "added"}},
			map[MapID][]Update{dflt("job-config"): {{Key: "c.yaml", Filename: "prow/jobs/a/b/c.yaml", GZIP: true}, {Key: "top.yaml", Filename: "prow/jobs/top.yaml", GZIP: true}}}},
		{"a removed file deletes its key", []github.PullRequestChange{{Filename: "prow/config.yaml", Status: "removed"}},
			map[MapID][]Update{dflt("config"): {{Key: "config.yaml"}}}},
		{"a renamed file moves its key", []github.PullRequestChange{{Filename: "prow/jobs/new.yaml", PreviousFilename: "prow/jobs/old.yaml", Status: "renamed"}},
			map[MapID][]Update{dflt("job-config"): {{Key: "old.yaml"}, {Key: "new.yaml", Filename: "prow/jobs/new.yaml", GZIP: true}}}},
		{"use_full_path_as_key", []github.PullRequestChange{{Filename: "prow/full/x.yaml", Status: "modified"}},
			map[MapID][]Update{dflt("full"): {{Key: "prow-full-x.yaml", Filename: "prow/full/x.yaml"}}}},
		{"cluster groups name clusters and namespaces", []github.PullRequestChange{{Filename: "prow/grouped.yaml", Status: "modified"}},
			map[MapID][]Update{
				{Cluster: "b1", Namespace: "ci", Name: "grouped"}: {{Key: "grouped.yaml", Filename: "prow/grouped.yaml"}},
				{Cluster: "b2", Namespace: "ci", Name: "grouped"}: {{Key: "grouped.yaml", Filename: "prow/grouped.yaml"}}}},
		{"allowed_repos leaves out other repositories", []github.PullRequestChange{{Filename: "prow/others-only.txt", Status: "modified"}}, map[MapID][]Update{}},
		{"denied_repos too", []github.PullRequestChange{{Filename: "prow/denied.txt", Status: "modified"}}, map[MapID][]Update{}},
		{"partitioned entries are skipped", []github.PullRequestChange{{Filename: "prow/partitioned.yaml", Status: "modified"}}, map[MapID][]Update{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Plan(cfg, "demo/hello", tc.changes); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Plan =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

func TestGlobs(t *testing.T) {
	for _, tc := range []struct {
		name       string
		glob, path string
		want       bool
	}{
		{"a star matches within a folder", "jobs/*.yaml", "jobs/a.yaml", true},
		{"a star does not cross a slash", "jobs/*.yaml", "jobs/sub/a.yaml", false},
		{"a double star matches no folder", "jobs/**/*.yaml", "jobs/a.yaml", true},
		{"a double star matches nested folders", "jobs/**/*.yaml", "jobs/x/y/a.yaml", true},
		{"a trailing double star matches everything below", "jobs/**", "jobs/x/y/a.txt", true},
		{"a question mark is one character", "jobs/?.yaml", "jobs/ab.yaml", false},
		{"a class matches its members", "jobs/[ab].yaml", "jobs/b.yaml", true},
		{"a negated class excludes its members", "jobs/[!ab].yaml", "jobs/b.yaml", false},
		{"a dot is literal", "a.b", "axb", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := globRegexp(tc.glob).MatchString(tc.path); got != tc.want {
				t.Errorf("%s matches %s: %v, want %v", tc.glob, tc.path, got, tc.want)
			}
		})
	}
}

func TestCollect(t *testing.T) {
	contents := map[string][]byte{"a/x.yaml": []byte("x"), "b/x.yaml": []byte("moved")}
	for _, tc := range []struct {
		name    string
		updates []Update
		want    Change
	}{
		{"sets and deletes", []Update{{Key: "x.yaml", Filename: "a/x.yaml"}, {Key: "gone.yaml"}},
			Change{Set: map[string]Value{"x.yaml": {Content: []byte("x")}}, Delete: []string{"gone.yaml"}}},
		{"a file moved between directories keeps its key", []Update{{Key: "x.yaml"}, {Key: "x.yaml", Filename: "b/x.yaml", GZIP: true}},
			Change{Set: map[string]Value{"x.yaml": {Content: []byte("moved"), GZIP: true}}, Delete: []string{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Collect(tc.updates, contents); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Collect = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	one := Applied{ID: MapID{Cluster: "default", Name: "config"}, Updates: []Update{{Key: "config.yaml", Filename: "prow/config.yaml"}}}
	two := Applied{ID: MapID{Cluster: "default", Namespace: "test-pods", Name: "job-config"},
		Updates: []Update{{Key: "a.yaml", Filename: "jobs/a.yaml"}, {Key: "b.yaml"}}}
	for _, tc := range []struct {
		name    string
		applied []Applied
		want    string
	}{
		{"nothing", nil, ""},
		{"one configmap", []Applied{one}, "Updated the `config` configmap at cluster `default` using the following files:\n- key `config.yaml` using file `prow/config.yaml`"},
		{"several", []Applied{one, two}, "Updated the following 2 configmaps:\n" +
			"  * `config` configmap at cluster `default` using the following files:\n    - key `config.yaml` using file `prow/config.yaml`\n" +
			"  * `job-config` configmap in namespace `test-pods` at cluster `default` using the following files:\n    - key `a.yaml` using file `jobs/a.yaml`\n    - key `b.yaml` deleted\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Summary(tc.applied); got != tc.want {
				t.Errorf("Summary =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
