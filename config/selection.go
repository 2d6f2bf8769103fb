package config

import (
	"fmt"
	"regexp"
)

// ChangedFiles lists the files a pull request or push changes. It is only
// called when a job's change filter needs it, and at most once per question.
type ChangedFiles func() ([]string, error)

// memo wraps a ChangedFiles so the list is fetched once.
func (f ChangedFiles) memo() ChangedFiles {
	var files []string
	var err error
	done := false
	return func() ([]string, error) {
		if !done {
			if f == nil {
				files, err = nil, nil
			} else {
				files, err = f()
			}
			done = true
		}
		return files, err
	}
}

// CouldRun says whether the presubmit may run against a branch at all.
func (ps Presubmit) CouldRun(branch string) bool { return ps.Brancher.ShouldRun(branch) }

// ContextRequired is true when the job's status must pass before merge.
func (ps Presubmit) ContextRequired() bool { return !ps.Optional && !ps.SkipReport }

// NeedsExplicitTrigger is true for jobs that only run when someone asks:
// neither always_run nor a change filter.
func (ps Presubmit) NeedsExplicitTrigger() bool {
	return !ps.AlwaysRun && !ps.CouldRunChanges()
}

// TriggerMatches says whether a comment body asks for this job.
func (ps Presubmit) TriggerMatches(body string) bool {
	if ps.defaultTrigger {
		return defaultTriggerMatches(ps.Name, body)
	}
	re := ps.re
	if re == nil {
		var err error
		if re, err = regexp.Compile(ps.Trigger); err != nil || ps.Trigger == "" {
			return false
		}
	}
	return re.MatchString(body)
}

// ShouldRun decides whether the presubmit runs against branch: forced jobs
// run whatever their filters; otherwise always_run jobs run, and jobs with
// change filters run when the changes call for them. Branch filters always
// apply.
func (ps Presubmit) ShouldRun(branch string, changes ChangedFiles, forced bool) (bool, error) {
	if !ps.CouldRun(branch) {
		return false, nil
	}
	if forced || ps.AlwaysRun {
		return true, nil
	}
	if !ps.CouldRunChanges() {
		return false, nil
	}
	files, err := changes()
	if err != nil {
		return false, fmt.Errorf("list changed files for %s: %w", ps.Name, err)
	}
	return ps.RunsAgainstChanges(files), nil
}

// ShouldRun decides whether the postsubmit runs for a push to branch.
func (ps Postsubmit) ShouldRun(branch string, changes ChangedFiles) (bool, error) {
	if !ps.Brancher.ShouldRun(branch) {
		return false, nil
	}
	if ps.AlwaysRun != nil {
		return *ps.AlwaysRun, nil
	}
	if !ps.CouldRunChanges() {
		return true, nil
	}
	files, err := changes()
	if err != nil {
		return false, fmt.Errorf("list changed files for %s: %w", ps.Name, err)
	}
	return ps.RunsAgainstChanges(files), nil
}

// PresubmitsFor lists the presubmits configured for org/repo.
func (c *JobConfig) PresubmitsFor(org, repo string) []Presubmit {
	return c.Presubmits[org+"/"+repo]
}

// PostsubmitsFor lists the postsubmits configured for org/repo.
func (c *JobConfig) PostsubmitsFor(org, repo string) []Postsubmit {
	return c.Postsubmits[org+"/"+repo]
}

// PresubmitsToRun lists the presubmits that run by themselves for a pull
// request against branch: always_run jobs and jobs whose change filters
// match the changed files.
func (c *JobConfig) PresubmitsToRun(org, repo, branch string, changes ChangedFiles) ([]Presubmit, error) {
	return PresubmitsToRun(c.PresubmitsFor(org, repo), branch, changes)
}

// PresubmitsToRun picks from a repository's presubmits (central and
// in-repo) those that run by themselves for a pull request against
// branch.
func PresubmitsToRun(presubmits []Presubmit, branch string, changes ChangedFiles) ([]Presubmit, error) {
	changes = changes.memo()
	var out []Presubmit
	for _, ps := range presubmits {
		run, err := ps.ShouldRun(branch, changes, false)
		if err != nil {
			return nil, err
		}
		if run {
			out = append(out, ps)
		}
	}
	return out, nil
}

// PostsubmitsForPush lists the postsubmits a push to branch runs.
func (c *JobConfig) PostsubmitsForPush(org, repo, branch string, changes ChangedFiles) ([]Postsubmit, error) {
	return PostsubmitsToRun(c.PostsubmitsFor(org, repo), branch, changes)
}

// PostsubmitsToRun picks from a repository's postsubmits (central and
// in-repo) those a push to branch runs.
func PostsubmitsToRun(postsubmits []Postsubmit, branch string, changes ChangedFiles) ([]Postsubmit, error) {
	changes = changes.memo()
	var out []Postsubmit
	for _, ps := range postsubmits {
		run, err := ps.ShouldRun(branch, changes)
		if err != nil {
			return nil, err
		}
		if run {
			out = append(out, ps)
		}
	}
	return out, nil
}

// testAllRe matches a `/test all` command line.
var testAllRe = regexp.MustCompile(`(?m)^/test all,?($|\s.*)`)

// PresubmitsForComment answers which presubmits a comment on a pull request
// against branch asks for. Jobs whose trigger matches are forced (they run
// whatever their change filters). `/test all` adds every job that is not
// explicit-trigger-only and whose filters match the changes.
func (c *JobConfig) PresubmitsForComment(org, repo, branch, body string, changes ChangedFiles) ([]Presubmit, error) {
	changes = changes.memo()
	testAll := testAllRe.MatchString(body)
	var out []Presubmit
	for _, ps := range c.PresubmitsFor(org, repo) {
		forced := ps.TriggerMatches(body)
		if !forced && !testAll {
			continue
		}
		if !forced && ps.NeedsExplicitTrigger() {
			continue
		}
		run, err := ps.ShouldRun(branch, changes, forced)
		if err != nil {
			return nil, err
		}
		if run {
			out = append(out, ps)
		}
	}
	return out, nil
}

// Repositories counts the repositories that have presubmits or postsubmits.
func (c *JobConfig) Repositories() int {
	seen := map[string]bool{}
	for repo := range c.Presubmits {
		seen[repo] = true
	}
	for repo := range c.Postsubmits {
		seen[repo] = true
	}
	return len(seen)
}
