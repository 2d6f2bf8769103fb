package lens

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/prowbot/prow/config"
)

// The names of the lenses deck knows, as deck.spyglass.lenses names them.
const (
	MetadataLens = "metadata"
	BuildLogLens = "buildlog"
	JUnitLens    = "junit"
	LinksLens    = "links"
	HTMLLens     = "html"
	MarkdownLens = "markdown"
	CoverageLens = "coverage"
	PodInfoLens  = "podinfo"
)

// titles are the headings of the lenses.
var titles = map[string]string{
	MetadataLens: "Metadata", BuildLogLens: "Build log", JUnitLens: "Tests", LinksLens: "Links",
	HTMLLens: "HTML", MarkdownLens: "Markdown", CoverageLens: "Coverage", PodInfoLens: "Pod",
}

// Known says whether deck has a lens of this name.
func Known(name string) bool { _, ok := titles[name]; return ok }

// Title is the heading of the lens name.
func Title(name string) string { return titles[name] }

// Spec is one configured lens: which lens, its own configuration, and
// the artifacts that select it.
type Spec struct {
	Name   string
	Config json.RawMessage
	// Required must each match at least one artifact for the lens to
	// show; Optional add artifacts without being needed.
	Required, Optional []*regexp.Regexp
}

// DefaultLenses are the lenses of a deck whose deck.spyglass.lenses is
// empty: what the job page showed before lenses were configurable, in
// the same order, and the pod lens (which shows only where deck can read
// pods).
func DefaultLenses() []config.LensFileConfig {
	return []config.LensFileConfig{
		{Lens: config.LensConfig{Name: MetadataLens}, RequiredFiles: []string{`^(?:started|finished)\.json$`}, OptionalFiles: []string{`^(?:podinfo|prowjob)\.json$`}},
		{Lens: config.LensConfig{Name: JUnitLens}, RequiredFiles: []string{`^artifacts/(?:.*/)?junit[^/]*\.xml$`}},
		{Lens: config.LensConfig{Name: BuildLogLens}, RequiredFiles: []string{`^build-log\.txt$`}},
		{Lens: config.LensConfig{Name: PodInfoLens}, RequiredFiles: []string{`^podinfo\.json$`}, OptionalFiles: []string{`^prowjob\.json$`}},
	}
}

// Compile turns deck.spyglass.lenses (DefaultLenses when empty) into
// specs, in order. An entry with an unknown lens, a remote lens or a bad
// regex is left out and named in the errors.
func Compile(cfgs []config.LensFileConfig) ([]Spec, []error) {
	if len(cfgs) == 0 {
		cfgs = DefaultLenses()
	}
	var specs []Spec
	var errs []error
	for i, c := range cfgs {
		if !Known(c.Lens.Name) {
			errs = append(errs, fmt.Errorf("deck.spyglass.lenses[%d]: deck has no lens %q", i, c.Lens.Name))
			continue
		}
		s := Spec{Name: c.Lens.Name, Config: c.Lens.Config}
		req, err := compileAll(c.RequiredFiles)
		if err == nil {
			s.Optional, err = compileAll(c.OptionalFiles)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("deck.spyglass.lenses[%d] (%s): %w", i, c.Lens.Name, err))
			continue
		}
		s.Required = req
		specs = append(specs, s)
	}
	return specs, errs
}

func compileAll(res []string) ([]*regexp.Regexp, error) {
	out := make([]*regexp.Regexp, 0, len(res))
	for _, r := range res {
		re, err := regexp.Compile(r)
		if err != nil {
			return nil, err
		}
		out = append(out, re)
	}
	return out, nil
}

// Match is a lens selected for a build, with the artifacts it reads
// (names relative to the build directory, in listing order).
type Match struct {
	Spec
	Files []string
}

// Select picks the lenses whose required files all exist among files,
// in the order of specs. A lens with no required files is always
// selected. always names lenses that show without their files (the pod
// lens, when the pod can be read live); it may be nil.
func Select(specs []Spec, files []string, always func(name string) bool) []Match {
	var out []Match
	for _, s := range specs {
		found := make([]bool, len(s.Required))
		var picked []string
		for _, f := range files {
			hit := false
			for i, re := range s.Required {
				if re.MatchString(f) {
					found[i], hit = true, true
				}
			}
			for _, re := range s.Optional {
				if re.MatchString(f) {
					hit = true
				}
			}
			if hit {
				picked = append(picked, f)
			}
		}
		ok := true
		for _, f := range found {
			ok = ok && f
		}
		if ok || (always != nil && always(s.Name)) {
			out = append(out, Match{Spec: s, Files: picked})
		}
	}
	return out
}
