package deck

import (
	"slices"
	"testing"

	"github.com/prowbot/prow/config"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func rulesFor(hiddenRepos []string, mod func(*config.Config)) *hideRules {
	cfg := &config.Config{}
	cfg.Deck.HiddenRepos = hiddenRepos
	if mod != nil {
		mod(cfg)
	}
	return newHideRules(cfg)
}

func TestClaimsOf(t *testing.T) {
	tests := []struct {
		path     string
		segments []string
		jobs     []string
		inLayout bool
	}{
		{"", nil, nil, false},
		{"pr-logs", nil, nil, true},
		{"pr-logs/pull", nil, nil, true},
		{"pr-logs/pull/demo_hello", []string{"demo_hello"}, nil, true},
		{"pr-logs/pull/demo_hello/2", []string{"demo_hello"}, nil, true},
		{"pr-logs/pull/demo_hello/2/pull-hello/7/build-log.txt", []string{"demo_hello"}, []string{"pull-hello"}, true},
		{"pr-logs/pull/batch/pull-hello/9", []string{"batch"}, []string{"pull-hello"}, true},
		{"pr-logs/pull/12/pull-hello/9", []string{"12"}, []string{"pull-hello"}, true},
		{"pr-logs/directory/pull-hello/9.txt", nil, []string{"pull-hello"}, true},
		{"logs/post-hello/3/artifacts/x", nil, []string{"post-hello"}, true},
		{"logs", nil, nil, true},
		{"prefix/pr-logs/pull/demo_hello/2", []string{"demo_hello"}, nil, true},
		{"logs/pr-logs/pull/demo_hello/2", []string{"demo_hello"}, []string{"pr-logs"}, true},
		{"elsewhere/file.txt", nil, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			c := claimsOf(tc.path)
			if !slices.Equal(c.segments, tc.segments) || !slices.Equal(c.jobs, tc.jobs) || c.inLayout != tc.inLayout {
				t.Errorf("claimsOf(%q) = %+v, want segments %v jobs %v inLayout %v", tc.path, c, tc.segments, tc.jobs, tc.inLayout)
			}
		})
	}
}

func TestPathVerdict(t *testing.T) {
	withJobs := func(c *config.Config) {
		c.Presubmits = map[string][]config.Presubmit{"demo/hello": {{JobBase: config.JobBase{Name: "pull-hello"}}},
			"acme/widget": {{JobBase: config.JobBase{Name: "pull-widget-scan", Hidden: true}}, {JobBase: config.JobBase{Name: "pull-widget"}}}}
		c.Postsubmits = map[string][]config.Postsubmit{"demo/hello": {{JobBase: config.JobBase{Name: "post-hello"}}}}
		c.Periodics = []config.Periodic{{JobBase: config.JobBase{Name: "nightly-hello", UtilityConfig: config.UtilityConfig{ExtraRefs: []prowapi.Refs{{Org: "demo", Repo: "hello"}}}}},
			{JobBase: config.JobBase{Name: "nightly"}}}
	}
	legacy := func(c *config.Config) {
		c.Plank.DefaultDecorationConfigs = []*config.DefaultDecorationConfigEntry{{OrgRepo: "*", Config: &prowapi.DecorationConfig{
			GCSConfiguration: &prowapi.GCSConfiguration{PathStrategy: "legacy", DefaultOrg: "demo", DefaultRepo: "hello"}}}}
	}
	tests := []struct {
		name    string
		hidden  []string
		mod     func(*config.Config)
		path    string
		want    verdict
		unknown []string
	}{
		{"a hidden repo's PR folder", []string{"demo/hello"}, nil, "pr-logs/pull/demo_hello/2", hidden, nil},
		{"a hidden repo's folder", []string{"demo/hello"}, nil, "pr-logs/pull/demo_hello", hidden, nil},
		{"a hidden repo in another case", []string{"Demo/Hello"}, nil, "pr-logs/pull/demo_hello/2", hidden, nil},
		{"a hidden org hides its repos", []string{"demo"}, nil, "pr-logs/pull/demo_other/2", hidden, nil},
		{"a sibling repo is shown", []string{"demo/hello"}, nil, "pr-logs/pull/demo_hello2/2", shown, nil},
		{"an org whose name starts like the hidden one is shown", []string{"demo"}, nil, "pr-logs/pull/demonic_x/2", shown, nil},
		{"a repo name with underscores", []string{"demo/my_repo"}, nil, "pr-logs/pull/demo_my_repo/1", hidden, nil},
		{"the bucket's top folders say nothing", []string{"demo/hello"}, nil, "pr-logs/pull", shown, nil},
		{"a postsubmit of a hidden repo via its configured repo", []string{"demo/hello"}, withJobs, "logs/post-hello/3/build-log.txt", hidden, nil},
		{"a periodic of a hidden repo via its extra refs", []string{"demo/hello"}, withJobs, "logs/nightly-hello/3", hidden, nil},
		{"a periodic without refs is shown", []string{"demo/hello"}, withJobs, "logs/nightly/3", shown, nil},
		{"a presubmit's alias folder of a hidden repo", []string{"demo/hello"}, withJobs, "pr-logs/directory/pull-hello", hidden, nil},
		{"a batch of a hidden repo's job", []string{"demo/hello"}, withJobs, "pr-logs/pull/batch/pull-hello/9", hidden, nil},
		{"a hidden job in a visible repo", nil, withJobs, "pr-logs/pull/acme_widget/1/pull-widget-scan/4", hidden, nil},
		{"a visible job in a visible repo", []string{"demo/hello"}, withJobs, "pr-logs/pull/acme_widget/1/pull-widget/4", shown, nil},
		{"a job the config does not name is left to the store", []string{"demo/hello"}, withJobs, "logs/gone-job/1", shown, []string{"gone-job"}},
		{"a legacy number folder with no default org is unsure", []string{"demo/hello"}, nil, "pr-logs/pull/2/pull-x/1", unsure, []string{"pull-x"}},
		{"a legacy repo folder with no default org is unsure", []string{"demo/hello"}, nil, "pr-logs/pull/hello/2", unsure, nil},
		{"a legacy number folder of the hidden default repo", []string{"demo/hello"}, legacy, "pr-logs/pull/2", hidden, nil},
		{"a legacy repo folder of the hidden default org's repo", []string{"demo/hello"}, legacy, "pr-logs/pull/hello/2", hidden, nil},
		{"a legacy repo folder of a visible repo", []string{"demo/hello"}, legacy, "pr-logs/pull/other/2", shown, nil},
		{"nothing hidden, nothing unsure", nil, nil, "pr-logs/pull/2/x/1", shown, []string{"x"}},
		{"a layout root inside a path is read too", []string{"demo/hello"}, nil, "logs/x/pr-logs/pull/demo_hello/1", hidden, []string{"x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, unknown := rulesFor(tc.hidden, tc.mod).pathVerdict(claimsOf(tc.path))
			if v != tc.want || !slices.Equal(unknown, tc.unknown) {
				t.Errorf("pathVerdict(%q) = %v %v, want %v %v", tc.path, v, unknown, tc.want, tc.unknown)
			}
		})
	}
}

func TestFactsAndStoreVerdicts(t *testing.T) {
	h := rulesFor([]string{"demo/hello"}, func(c *config.Config) {
		c.Periodics = []config.Periodic{{JobBase: config.JobBase{Name: "secret-nightly", Hidden: true}}}
	})
	facts := []struct {
		name string
		f    dirFacts
		want verdict
	}{
		{"no metadata", dirFacts{}, shown},
		{"a prowjob.json of a visible repo", dirFacts{found: true, job: "x", repos: []string{"acme/widget"}}, shown},
		{"a prowjob.json of a hidden repo", dirFacts{found: true, repos: []string{"acme/widget", "demo/hello"}}, hidden},
		{"a hidden job flag", dirFacts{found: true, hiddenJob: true}, hidden},
		{"a job hidden by configuration", dirFacts{found: true, job: "secret-nightly"}, hidden},
		{"a file that cannot be read", dirFacts{found: true, bad: true}, unsure},
	}
	for _, tc := range facts {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.factsVerdict(tc.f); got != tc.want {
				t.Errorf("factsVerdict = %v, want %v", got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name         string
		runs, hidden int
		want         verdict
	}{
		{"no runs", 0, 0, shown},
		{"all runs hidden", 3, 3, hidden},
		{"some runs visible", 3, 1, shown},
	} {
		t.Run("store: "+tc.name, func(t *testing.T) {
			if got := storeVerdict(tc.runs, tc.hidden); got != tc.want {
				t.Errorf("storeVerdict = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAncestors(t *testing.T) {
	if got := ancestors("a/b/c", true); !slices.Equal(got, []string{"a", "a/b", "a/b/c"}) {
		t.Errorf("ancestors with self = %v", got)
	}
	if got := ancestors("a/b/c", false); !slices.Equal(got, []string{"a", "a/b"}) {
		t.Errorf("ancestors without self = %v", got)
	}
	if got := ancestors("", true); got != nil {
		t.Errorf("ancestors of the root = %v", got)
	}
}
