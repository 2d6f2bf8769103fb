package blockade

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
)

// Name is the plugin's name in plugins.yaml.
const Name = "blockade"

// Label marks a pull request that changes blocked paths.
const Label = "do-not-merge/blocked-paths"

// defaultExplanation stands for a blockade without an explanation.
const defaultExplanation = "Changes to these files are blocked."

// Hit is one blockade a pull request runs into.
type Hit struct {
	Explanation string
	// Files are the changed paths it blocks, in the order given.
	Files []string
}

// Applies reports whether blockade b covers a pull request into branch
// of org/repo.
func Applies(b pluginconfig.Blockade, org, repo, branch string) (bool, error) {
	covered := false
	for _, r := range b.Repos {
		covered = covered || strings.EqualFold(r, org) || strings.EqualFold(r, org+"/"+repo)
	}
	if !covered || b.BranchRegexp == nil {
		return covered, nil
	}
	re, err := regexp.Compile(*b.BranchRegexp)
	if err != nil {
		return false, fmt.Errorf("blockade branchregexp %q: %w", *b.BranchRegexp, err)
	}
	return re.MatchString(branch), nil
}

// Blocking lists, per blockade that covers a pull request into branch of
// org/repo, the changed files it blocks: those matching one of its
// blockregexps and none of its exceptionregexps. Blockades that block
// nothing are left out.
func Blocking(bs []pluginconfig.Blockade, org, repo, branch string, files []string) ([]Hit, error) {
	var out []Hit
	for _, b := range bs {
		ok, err := Applies(b, org, repo, branch)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		block, err := compile(b.BlockRegexps)
		if err != nil {
			return nil, err
		}
		except, err := compile(b.ExceptionRegexps)
		if err != nil {
			return nil, err
		}
		hit := Hit{Explanation: b.Explanation}
		if hit.Explanation == "" {
			hit.Explanation = defaultExplanation
		}
		for _, f := range files {
			if matchesAny(block, f) && !matchesAny(except, f) {
				hit.Files = append(hit.Files, f)
			}
		}
		if len(hit.Files) > 0 {
			out = append(out, hit)
		}
	}
	return out, nil
}

func compile(exprs []string) ([]*regexp.Regexp, error) {
	out := make([]*regexp.Regexp, 0, len(exprs))
	for _, e := range exprs {
		re, err := regexp.Compile(e)
		if err != nil {
			return nil, fmt.Errorf("blockade regexp %q: %w", e, err)
		}
		out = append(out, re)
	}
	return out, nil
}

func matchesAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// Relevant reports whether a pull request event can change what the pull
// request runs into: it opens or reopens, is pushed to, or moves to
// another base branch (which changes its files and the branch regexps
// that apply), while open.
func Relevant(action string, baseChanged bool, state string) bool {
	if state != "open" {
		return false
	}
	switch action {
	case "opened", "reopened", "synchronize":
		return true
	case "edited":
		return baseChanged
	}
	return false
}

// Action is what to do about the label.
type Action int

// The actions.
const (
	Keep    Action = iota // the label is as it should be
	Block                 // add the label and the comment
	Unblock               // remove the label and the comment
)

// Decide says what to do for a pull request that is blocked or not and
// is labeled or not.
func Decide(blocked, labeled bool) Action {
	switch {
	case blocked && !labeled:
		return Block
	case !blocked && labeled:
		return Unblock
	}
	return Keep
}
