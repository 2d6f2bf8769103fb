package storage

import (
	"errors"
	"slices"
	"testing"
)

var (
	explicit = Layout{PathStrategy: PathStrategyExplicit}
	legacy   = Layout{PathStrategy: PathStrategyLegacy, DefaultOrg: "kubernetes", DefaultRepo: "kubernetes"}
	single   = Layout{PathStrategy: PathStrategySingle, DefaultOrg: "kubernetes", DefaultRepo: "kubernetes"}
)

func presubmit(org, repo string) Job {
	return Job{Type: PresubmitJob, Org: org, Repo: repo, PR: 27816, Name: "pull-verify", BuildID: "1584987912955498496"}
}

func TestJobDir(t *testing.T) {
	cases := []struct {
		name   string
		layout Layout
		job    Job
		want   string
	}{
		{name: "a periodic goes under logs", layout: explicit, job: Job{Type: PeriodicJob, Name: "ci-e2e", BuildID: "42"}, want: "logs/ci-e2e/42"},
		{name: "a postsubmit goes under logs", layout: legacy, job: Job{Type: PostsubmitJob, Org: "o", Repo: "r", Name: "post-build", BuildID: "7"}, want: "logs/post-build/7"},
		{name: "a batch goes under pr-logs/pull/batch", layout: single, job: Job{Type: BatchJob, Org: "o", Repo: "r", Name: "pull-verify", BuildID: "9"}, want: "pr-logs/pull/batch/pull-verify/9"},
		{name: "the empty strategy is explicit", layout: Layout{}, job: presubmit("kubernetes", "kubernetes"), want: "pr-logs/pull/kubernetes_kubernetes/27816/pull-verify/1584987912955498496"},
		{name: "explicit keeps the default repo's segment", layout: explicit, job: presubmit("kubernetes", "kubernetes"), want: "pr-logs/pull/kubernetes_kubernetes/27816/pull-verify/1584987912955498496"},
		{name: "explicit uses org_repo", layout: explicit, job: presubmit("kubernetes", "test-infra"), want: "pr-logs/pull/kubernetes_test-infra/27816/pull-verify/1584987912955498496"},
		{name: "explicit turns a slash in the repo into an underscore", layout: explicit, job: presubmit("gerrit.example.com", "platform/build"), want: "pr-logs/pull/gerrit.example.com_platform_build/27816/pull-verify/1584987912955498496"},
		{name: "legacy drops the default org and repo", layout: legacy, job: presubmit("kubernetes", "kubernetes"), want: "pr-logs/pull/27816/pull-verify/1584987912955498496"},
		{name: "legacy drops the default org", layout: legacy, job: presubmit("kubernetes", "test-infra"), want: "pr-logs/pull/test-infra/27816/pull-verify/1584987912955498496"},
		{name: "legacy uses org_repo for another org", layout: legacy, job: presubmit("kubernetes-sigs", "kind"), want: "pr-logs/pull/kubernetes-sigs_kind/27816/pull-verify/1584987912955498496"},
		{name: "legacy turns a slash into an underscore for another org", layout: legacy, job: presubmit("gerrit", "a/b"), want: "pr-logs/pull/gerrit_a_b/27816/pull-verify/1584987912955498496"},
		{name: "legacy keeps a slash in a default org's repo, as upstream", layout: legacy, job: presubmit("kubernetes", "a/b"), want: "pr-logs/pull/a/b/27816/pull-verify/1584987912955498496"},
		{name: "single drops the default org and repo", layout: single, job: presubmit("kubernetes", "kubernetes"), want: "pr-logs/pull/27816/pull-verify/1584987912955498496"},
		{name: "single keeps the default org with another repo", layout: single, job: presubmit("kubernetes", "test-infra"), want: "pr-logs/pull/kubernetes_test-infra/27816/pull-verify/1584987912955498496"},
		{name: "single turns a slash into an underscore", layout: single, job: presubmit("kubernetes", "a/b"), want: "pr-logs/pull/kubernetes_a_b/27816/pull-verify/1584987912955498496"},
		{name: "the path prefix comes first", layout: Layout{PathPrefix: "/prow/ci/"}, job: Job{Type: PeriodicJob, Name: "ci-e2e", BuildID: "42"}, want: "prow/ci/logs/ci-e2e/42"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.layout.JobDir(tc.job)
			if err != nil || got != tc.want {
				t.Errorf("JobDir = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestLatestBuildAndAliasPaths(t *testing.T) {
	cases := []struct {
		name      string
		layout    Layout
		job       Job
		wantPaths []string
		wantAlias string
	}{
		{
			name: "a periodic has one latest-build.txt and no alias", layout: explicit,
			job:       Job{Type: PeriodicJob, Name: "ci-e2e", BuildID: "42"},
			wantPaths: []string{"logs/ci-e2e/latest-build.txt"},
		},
		{
			name: "a postsubmit has one latest-build.txt and no alias", layout: explicit,
			job:       Job{Type: PostsubmitJob, Name: "post", BuildID: "42"},
			wantPaths: []string{"logs/post/latest-build.txt"},
		},
		{
			name: "a presubmit has two and an alias", layout: legacy,
			job:       presubmit("kubernetes", "test-infra"),
			wantPaths: []string{"pr-logs/directory/pull-verify/latest-build.txt", "pr-logs/pull/test-infra/27816/pull-verify/latest-build.txt"},
			wantAlias: "pr-logs/directory/pull-verify/1584987912955498496.txt",
		},
		{
			name: "a batch has the directory one and no alias", layout: explicit,
			job:       Job{Type: BatchJob, Name: "pull-verify", BuildID: "3"},
			wantPaths: []string{"pr-logs/directory/pull-verify/latest-build.txt"},
		},
		{
			name: "the path prefix applies to all", layout: Layout{PathPrefix: "p"},
			job:       presubmit("o", "r"),
			wantPaths: []string{"p/pr-logs/directory/pull-verify/latest-build.txt", "p/pr-logs/pull/o_r/27816/pull-verify/latest-build.txt"},
			wantAlias: "p/pr-logs/directory/pull-verify/1584987912955498496.txt",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			paths, err := tc.layout.LatestBuildPaths(tc.job)
			if err != nil || !slices.Equal(paths, tc.wantPaths) {
				t.Errorf("LatestBuildPaths = %q, %v; want %q", paths, err, tc.wantPaths)
			}
			alias, err := tc.layout.AliasPath(tc.job)
			if err != nil || alias != tc.wantAlias {
				t.Errorf("AliasPath = %q, %v; want %q", alias, err, tc.wantAlias)
			}
		})
	}
}

func TestHistoryDirectories(t *testing.T) {
	cases := []struct {
		name string
		got  func() (string, error)
		want string
	}{
		{name: "periodic job history reads build directories", got: func() (string, error) { return explicit.JobHistoryDir(PeriodicJob, "ci-e2e") }, want: "logs/ci-e2e"},
		{name: "postsubmit job history reads build directories", got: func() (string, error) { return explicit.JobHistoryDir(PostsubmitJob, "post") }, want: "logs/post"},
		{name: "presubmit job history reads aliases", got: func() (string, error) { return explicit.JobHistoryDir(PresubmitJob, "pull-verify") }, want: "pr-logs/directory/pull-verify"},
		{name: "batch job history reads aliases", got: func() (string, error) { return explicit.JobHistoryDir(BatchJob, "pull-verify") }, want: "pr-logs/directory/pull-verify"},
		{name: "a pull request's directory follows the strategy", got: func() (string, error) { return legacy.PRDir("kubernetes", "test-infra", 12) }, want: "pr-logs/pull/test-infra/12"},
		{name: "a pull request's directory has the prefix", got: func() (string, error) { return Layout{PathPrefix: "p"}.PRDir("o", "r", 12) }, want: "p/pr-logs/pull/o_r/12"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.got()
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestLayoutRejectsBadInput(t *testing.T) {
	periodic := Job{Type: PeriodicJob, Name: "ci", BuildID: "1"}
	cases := []struct {
		name    string
		layout  Layout
		job     Job
		wantErr error
	}{
		{name: "an unknown job type", layout: explicit, job: Job{Type: "nightly", Name: "ci", BuildID: "1"}},
		{name: "a presubmit without a pull request", layout: explicit, job: Job{Type: PresubmitJob, Org: "o", Repo: "r", Name: "ci", BuildID: "1"}},
		{name: "a presubmit without a repo", layout: explicit, job: Job{Type: PresubmitJob, Org: "o", PR: 1, Name: "ci", BuildID: "1"}},
		{name: "a job name with a slash", layout: explicit, job: Job{Type: PeriodicJob, Name: "a/b", BuildID: "1"}, wantErr: ErrInvalidPath},
		{name: "a job name that climbs", layout: explicit, job: Job{Type: PeriodicJob, Name: "..", BuildID: "1"}, wantErr: ErrInvalidPath},
		{name: "an empty build ID", layout: explicit, job: Job{Type: PeriodicJob, Name: "ci"}, wantErr: ErrInvalidPath},
		{name: "a presubmit repo that climbs", layout: legacy, job: presubmit("kubernetes", "../../etc"), wantErr: ErrInvalidPath},
		{name: "an unknown path strategy", layout: Layout{PathStrategy: "flat"}, job: periodic},
		{name: "legacy without defaults", layout: Layout{PathStrategy: PathStrategyLegacy}, job: periodic},
		{name: "a path prefix that climbs", layout: Layout{PathPrefix: "../x"}, job: periodic, wantErr: ErrInvalidPath},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.layout.JobDir(tc.job)
			if err == nil {
				t.Fatal("JobDir accepted it")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestContainerBuildLogFile(t *testing.T) {
	if got := ContainerBuildLogFile("test"); got != "test-build-log.txt" {
		t.Errorf("got %q", got)
	}
}
