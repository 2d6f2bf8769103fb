package main

import (
	"context"
	"strings"
	"testing"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

// inRepoServeConfig turns in-repo configuration on for the scenarios'
// repositories, whose only job, unit, comes from their .prow.yaml; tide
// merges demo/inrepo-batch.
const inRepoServeConfig = `in_repo_config:
  enabled: {"*": false, demo/inrepo: true, demo/inrepo-batch: true}
  allowed_clusters: {"*": [default]}
tide:
  sync_period: 1s
  queries:
  - repos: [demo/inrepo-batch]
    labels: [lgtm, approved]
  blocker_label: merge-blocker
`

// unitProwYAML is a .prow.yaml whose presubmit unit echoes word.
func unitProwYAML(word string) string {
	return "presubmits:\n- name: unit\n  always_run: true\n  spec:\n    containers:\n    - image: alpine\n      command: [sh, -c, \"echo " + word + "\"]\n"
}

// TestServeInRepoConfig runs the in-repo configuration scenarios through
// one `prow serve` (SQLite job store, local runner, sandbox GitHub serving
// git): the jobs of a repository's .prow.yaml run on its pull requests, a
// pull request's own .prow.yaml is the one that runs, a broken one fails
// a status and runs nothing, and tide batches pull requests whose job
// comes from .prow.yaml.
func TestServeInRepoConfig(t *testing.T) {
	bin := buildProw(t)
	w := newServeWorldOf(t, inRepoServeConfig, func(b *seed.Builder) {
		for _, repo := range []string{"demo/inrepo", "demo/inrepo-batch"} {
			b.Repo(sandbox.SeedRepo{Name: repo, Files: map[string]string{"README.md": "hello\n", ".prow.yaml": unitProwYAML("base")},
				Collaborators: map[string]string{"the-bot": "write", "member": "write"}})
		}
	}, nil)
	_, p := serveWorldUntilEnd(t, bin, w, 5*time.Minute)
	w.log = collectLog(p)

	t.Run("pull requests", func(t *testing.T) {
		t.Parallel()
		r := w.repo(t, "demo/inrepo")
		t.Cleanup(r.explainFailure)
		scenarioInRepoPulls(r)
	})
	t.Run("tide batches pull requests whose job comes from .prow.yaml", func(t *testing.T) {
		t.Parallel()
		r := w.repo(t, "demo/inrepo-batch")
		t.Cleanup(r.explainFailure)
		s := r.readyBatch(sandbox.FileChanges{"base.txt": "moved\n"}, sandbox.FileChanges{"a.txt": "a\n"}, sandbox.FileChanges{"b.txt": "b\n"})
		r.unblock(s)
		r.await("both merges", func() bool { return r.merged(s.numbers[0]) && r.merged(s.numbers[1]) })
		batches := r.jobs("batch")
		if len(batches) != 1 || batches[0].Name == "" || batches[0].State != "success" {
			r.t.Fatalf("batch jobs: %+v, want one that passed", batches)
		}
		var pj prowapi.ProwJob
		r.w.getJSON("/api/job/"+batches[0].Name, &pj)
		if pj.Spec.Job != "unit" || pj.Spec.Refs.BaseSHA != s.base || len(pj.Spec.Refs.Pulls) != 2 {
			r.t.Errorf("the batch ran %s on %s with %d pulls; want unit of .prow.yaml on %s with both", pj.Spec.Job, pj.Spec.Refs.BaseSHA, len(pj.Spec.Refs.Pulls), s.base)
		}
	})
}

// unitCommand is the command of the run of unit for head, once there is
// one that passed.
func (r *tideRepo) unitCommand(head string) string {
	r.t.Helper()
	for _, j := range r.jobs("presubmit") {
		if len(j.Pulls) == 1 && j.Pulls[0].SHA == head && j.State == "success" {
			var pj prowapi.ProwJob
			r.w.getJSON("/api/job/"+j.Name, &pj)
			if pj.Spec.PodSpec != nil && len(pj.Spec.PodSpec.Containers) > 0 {
				return strings.Join(pj.Spec.PodSpec.Containers[0].Command, " ")
			}
		}
	}
	return ""
}

func scenarioInRepoPulls(r *tideRepo) {
	// The base's .prow.yaml adds unit, and it runs.
	_, head := r.open("feature", "Add a", sandbox.FileChanges{"a.txt": "a\n"})
	r.green(head)
	if got := r.unitCommand(head); got != "sh -c echo base" {
		r.t.Errorf("unit ran %q, want the base's version", got)
	}

	// A pull request that changes the job runs its own version.
	_, changed := r.open("change-unit", "Change unit", sandbox.FileChanges{".prow.yaml": unitProwYAML("changed")})
	r.green(changed)
	if got := r.unitCommand(changed); got != "sh -c echo changed" {
		r.t.Errorf("unit ran %q, want the pull request's version", got)
	}

	// A broken .prow.yaml fails a status naming the problem; no job runs.
	broken, brokenHead := r.open("broken", "Break .prow.yaml", sandbox.FileChanges{".prow.yaml": "presubmits:\n- name: unit\n  cluster: elsewhere\n  spec: {containers: [{image: alpine}]}\n"})
	var st ghStatus
	r.await("the in-repo config status", func() bool {
		st = latest(r.w.statusesIn(r.name, brokenHead))["prow/in-repo-config"]
		return st.State != ""
	})
	if st.State != "failure" || !strings.Contains(st.Description, `cluster "elsewhere" is not allowed`) || !strings.Contains(st.Description, ".prow.yaml:2") {
		r.t.Errorf("status %+v, want a failure naming the file, line and cluster", st)
	}
	for _, j := range r.jobs("") {
		for _, p := range j.Pulls {
			if p.Number == broken {
				r.t.Errorf("a job ran for the broken pull request: %+v", j)
			}
		}
	}
	// Fixing the file runs the job.
	fixed, err := r.w.sb.PushToPull(context.Background(), r.name, broken, sandbox.Push{Files: sandbox.FileChanges{".prow.yaml": unitProwYAML("fixed")}})
	if err != nil {
		r.t.Fatal(err)
	}
	r.green(fixed)
	if got := latest(r.w.statusesIn(r.name, fixed))["prow/in-repo-config"]; got.State == "failure" {
		r.t.Errorf("the fixed head carries the failure: %+v", got)
	}
}
