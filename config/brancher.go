package config

import (
	"fmt"
	"strings"
	"time"
)

// compile builds the branch regexes. Entries are joined with | and left
// unanchored, as Prow does.
func (b *Brancher) compile(cache regexCache) error {
	if len(b.Branches) > 0 {
		re, err := cache.compile(strings.Join(b.Branches, `|`))
		if err != nil {
			return fmt.Errorf("branches: %w", err)
		}
		b.re = re
	}
	if len(b.SkipBranches) > 0 {
		re, err := cache.compile(strings.Join(b.SkipBranches, `|`))
		if err != nil {
			return fmt.Errorf("skip_branches: %w", err)
		}
		b.skipRe = re
	}
	return nil
}

// RunsAgainstAllBranches is true when no branch filter is set.
func (b Brancher) RunsAgainstAllBranches() bool {
	return len(b.Branches) == 0 && len(b.SkipBranches) == 0
}

// ShouldRun says whether a job with this filter runs against branch.
func (b Brancher) ShouldRun(branch string) bool {
	if b.RunsAgainstAllBranches() {
		return true
	}
	if b.skipRe == nil && b.re == nil {
		// Not compiled (a config not produced by Load): compile on the fly.
		if err := b.compile(nil); err != nil {
			return false
		}
	}
	if b.skipRe != nil && b.skipRe.MatchString(branch) {
		return false
	}
	if len(b.Branches) > 0 {
		return b.re.MatchString(branch)
	}
	return true
}

// Intersects reports whether two filters can both run against some branch.
// Branch entries are compared as literal names; a filter with only
// skip_branches is checked against the other's listed branches.
func (b Brancher) Intersects(other Brancher) bool {
	if b.RunsAgainstAllBranches() || other.RunsAgainstAllBranches() {
		return true
	}
	switch {
	case len(b.Branches) > 0 && len(other.Branches) > 0:
		for _, x := range b.Branches {
			for _, y := range other.Branches {
				if x == y {
					return true
				}
			}
		}
		return false
	case len(b.Branches) > 0:
		for _, x := range b.Branches {
			if other.ShouldRun(x) {
				return true
			}
		}
		return false
	case len(other.Branches) > 0:
		return other.Intersects(b)
	default:
		return true // two skip lists always leave some branch in common
	}
}

func (m *RegexpChangeMatcher) compile(cache regexCache) error {
	expr := m.RunIfChanged
	if expr == "" {
		expr = m.SkipIfOnlyChanged
	}
	if expr == "" {
		return nil
	}
	re, err := cache.compile(expr)
	if err != nil {
		if m.RunIfChanged != "" {
			return fmt.Errorf("run_if_changed: %w", err)
		}
		return fmt.Errorf("skip_if_only_changed: %w", err)
	}
	m.reChanges = re
	return nil
}

// CouldRunChanges is true when the job has a change filter.
func (m RegexpChangeMatcher) CouldRunChanges() bool {
	return m.RunIfChanged != "" || m.SkipIfOnlyChanged != ""
}

// RunsAgainstChanges says whether the changed files call for the job:
// run_if_changed needs one matching path, skip_if_only_changed one path
// that does not match.
func (m RegexpChangeMatcher) RunsAgainstChanges(changes []string) bool {
	re := m.reChanges
	if re == nil {
		if err := m.compile(nil); err != nil || m.reChanges == nil {
			return false
		}
		re = m.reChanges
	}
	for _, path := range changes {
		matched := re.MatchString(path)
		if m.RunIfChanged != "" && matched {
			return true
		}
		if m.SkipIfOnlyChanged != "" && !matched {
			return true
		}
	}
	return false
}

// GetInterval is the parsed interval of a periodic (0 when unset).
func (p Periodic) GetInterval() time.Duration { return p.interval }

// GetMinimumInterval is the parsed minimum interval (0 when unset).
func (p Periodic) GetMinimumInterval() time.Duration { return p.minimumInterval }
