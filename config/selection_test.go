package config

import (
	"errors"
	"sort"
	"testing"
)

func names[T interface{ jobName() string }](jobs []T) []string {
	out := make([]string, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, j.jobName())
	}
	sort.Strings(out)
	return out
}

func (ps Presubmit) jobName() string  { return ps.Name }
func (ps Postsubmit) jobName() string { return ps.Name }

func files(paths ...string) ChangedFiles {
	return func() ([]string, error) { return paths, nil }
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestPresubmitsToRunOnRealTestInfraJobs(t *testing.T) {
	cfg := loadTestInfra(t)
	cases := []struct {
		name    string
		branch  string
		changes []string
		want    []string // must run
		notWant []string // must not run
	}{
		{"a job config change runs the config checks", "master", []string{"config/jobs/kubernetes/foo.yaml"},
			[]string{"pull-test-infra-prow-checkconfig", "pull-test-infra-gubernator"}, nil},
		{"a README change runs neither", "master", []string{"README.md"},
			nil, []string{"pull-test-infra-prow-checkconfig", "pull-test-infra-gubernator"}},
		{"a gubernator change runs only gubernator", "master", []string{"gubernator/main.py"},
			[]string{"pull-test-infra-gubernator"}, []string{"pull-test-infra-prow-checkconfig"}},
		{"branch filters apply: gubernator only runs on master", "release-1.0", []string{"gubernator/main.py"},
			nil, []string{"pull-test-infra-gubernator"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			jobs, err := cfg.PresubmitsToRun("kubernetes", "test-infra", tc.branch, files(tc.changes...))
			if err != nil {
				t.Fatal(err)
			}
			got := names(jobs)
			for _, w := range tc.want {
				if !contains(got, w) {
					t.Errorf("%s should run; got %v", w, got)
				}
			}
			for _, w := range tc.notWant {
				if contains(got, w) {
					t.Errorf("%s should not run", w)
				}
			}
			for _, ps := range jobs {
				if !ps.AlwaysRun && !ps.CouldRunChanges() {
					t.Errorf("%s needs an explicit trigger but was chosen to run by itself", ps.Name)
				}
			}
		})
	}
}

func TestPresubmitsForComment(t *testing.T) {
	cfg := loadTestInfra(t)
	readme := files("README.md")
	cases := []struct {
		name string
		body string
		want []string
	}{
		{"/test <job> forces the job whatever the changes", "/test pull-test-infra-gubernator", []string{"pull-test-infra-gubernator"}},
		{"several jobs on one line", "/test pull-test-infra-gubernator pull-test-infra-prow-checkconfig", []string{"pull-test-infra-gubernator", "pull-test-infra-prow-checkconfig"}},
		{"an unknown job names nothing", "/test no-such-job", nil},
		{"a command inside text does not count", "please run /test pull-test-infra-gubernator", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			jobs, err := cfg.PresubmitsForComment("kubernetes", "test-infra", "master", tc.body, readme)
			if err != nil {
				t.Fatal(err)
			}
			got := names(jobs)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for _, w := range tc.want {
				if !contains(got, w) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	t.Run("/test all runs what would run by itself", func(t *testing.T) {
		all, err := cfg.PresubmitsForComment("kubernetes", "test-infra", "master", "/test all", readme)
		if err != nil {
			t.Fatal(err)
		}
		auto, err := cfg.PresubmitsToRun("kubernetes", "test-infra", "master", readme)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) == 0 || len(all) != len(auto) {
			t.Errorf("/test all chose %d jobs, automatic runs %d", len(all), len(auto))
		}
	})
}

func TestChangedFilesAreListedOnceAndOnlyWhenNeeded(t *testing.T) {
	cfg := loadTestInfra(t)
	calls := 0
	counting := func() ([]string, error) { calls++; return []string{"x"}, nil }
	if _, err := cfg.PresubmitsToRun("kubernetes", "test-infra", "master", counting); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("changed files listed %d times, want 1", calls)
	}
	calls = 0
	if _, err := cfg.PresubmitsForComment("kubernetes", "test-infra", "master", "/test pull-test-infra-gubernator", counting); err != nil {
		t.Fatal(err)
	}
	if calls != 0 {
		t.Errorf("a forced job should not need the changed files; listed %d times", calls)
	}
	boom := errors.New("github down")
	if _, err := cfg.PresubmitsToRun("kubernetes", "test-infra", "master", func() ([]string, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("err = %v, want the listing error", err)
	}
}

func TestPostsubmitsForPush(t *testing.T) {
	yes, no := true, false
	mk := func(name string, b Brancher, m RegexpChangeMatcher, always *bool) Postsubmit {
		return Postsubmit{JobBase: JobBase{Name: name}, Brancher: b, RegexpChangeMatcher: m, AlwaysRun: always}
	}
	jc := &JobConfig{Postsubmits: map[string][]Postsubmit{"o/r": {
		mk("plain", Brancher{}, RegexpChangeMatcher{}, nil),
		mk("main-only", Brancher{Branches: []string{"^main$"}}, RegexpChangeMatcher{}, nil),
		mk("skip-release", Brancher{SkipBranches: []string{"^release-"}}, RegexpChangeMatcher{}, nil),
		mk("docs", Brancher{}, RegexpChangeMatcher{RunIfChanged: "^docs/"}, nil),
		mk("not-only-docs", Brancher{}, RegexpChangeMatcher{SkipIfOnlyChanged: "^docs/"}, nil),
		mk("never", Brancher{}, RegexpChangeMatcher{}, &no),
		mk("always", Brancher{}, RegexpChangeMatcher{}, &yes),
	}}}
	cases := []struct {
		name    string
		branch  string
		changes []string
		want    []string
	}{
		{"code on main", "main", []string{"main.go"}, []string{"always", "main-only", "not-only-docs", "plain", "skip-release"}},
		{"docs only on main", "main", []string{"docs/a.md"}, []string{"always", "docs", "main-only", "plain", "skip-release"}},
		{"code on a release branch", "release-1.0", []string{"main.go"}, []string{"always", "not-only-docs", "plain"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			jobs, err := jc.PostsubmitsForPush("o", "r", tc.branch, files(tc.changes...))
			if err != nil {
				t.Fatal(err)
			}
			got := names(jobs)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestBrancherIntersects(t *testing.T) {
	cases := []struct {
		name string
		a, b Brancher
		want bool
	}{
		{"all and all", Brancher{}, Brancher{}, true},
		{"all and one", Brancher{}, Brancher{Branches: []string{"main"}}, true},
		{"same branch", Brancher{Branches: []string{"main"}}, Brancher{Branches: []string{"dev", "main"}}, true},
		{"different branches", Brancher{Branches: []string{"main"}}, Brancher{Branches: []string{"dev"}}, false},
		{"branch skipped by the other", Brancher{Branches: []string{"release-1"}}, Brancher{SkipBranches: []string{"^release-"}}, false},
		{"branch not skipped by the other", Brancher{SkipBranches: []string{"^release-"}}, Brancher{Branches: []string{"main"}}, true},
		{"two skip lists", Brancher{SkipBranches: []string{"a"}}, Brancher{SkipBranches: []string{"b"}}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.Intersects(tc.b); got != tc.want {
				t.Errorf("Intersects = %v, want %v", got, tc.want)
			}
		})
	}
}
