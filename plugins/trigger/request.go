package trigger

import (
	"regexp"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/plugins"
)

// Request is what a comment asks trigger to do.
type Request struct {
	OkToTest, OkToTestCancel bool
	TestAll                  bool
	Retest, RetestRequired   bool
	TestManualRequired       bool
	// Test is set when some line is `/test <targets>` (all included).
	Test bool
	// Help asks for the list of jobs; Note says why, when the command
	// was malformed.
	Help bool
	Note string
	// Custom is set when the text matches some job's own trigger regex
	// (see MatchTriggers); such a job runs as if named by /test.
	Custom bool
	// Text is the comment without quotes, code and HTML comments; the
	// jobs' trigger regexes are matched against it.
	Text string
}

// Asks is true when the comment asks trigger for anything.
func (r Request) Asks() bool {
	return r.OkToTest || r.OkToTestCancel || r.TestAll || r.Retest || r.RetestRequired ||
		r.TestManualRequired || r.Test || r.Help || r.Custom
}

// RunsJobs is true when the request may start jobs.
func (r Request) RunsJobs() bool {
	return r.OkToTest || r.TestAll || r.Retest || r.RetestRequired || r.TestManualRequired || r.Test || r.Custom
}

// MatchTriggers marks the request Custom when its text matches the
// trigger regex of one of presubmits, as Prow runs a job whatever the
// command its trigger names.
func (r Request) MatchTriggers(presubmits []config.Presubmit) Request {
	if r.Text == "" {
		return r
	}
	for _, ps := range presubmits {
		if ps.TriggerMatches(r.Text) {
			r.Custom = true
			break
		}
	}
	return r
}

// Notes shown with the help.
const (
	NoteTestNeedsTarget  = "The `/test` command needs one or more targets."
	NoteRetestNoTargets  = "The `/retest` command does not accept any targets."
	NoteTargetsNotFound  = "The specified target(s) for `/test` were not found."
	NoteNoJobsForTestAll = "No jobs can be run with `/test all`."
)

var (
	testAllRe    = regexp.MustCompile(`(?i)^all,?(\s.*)?$`)
	testHelpRe   = regexp.MustCompile(`^\?\s*$`)
	okCancelRe   = regexp.MustCompile(`(?i)^cancel$`)
	commandNames = map[string]bool{"test": true, "retest": true, "retest-required": true, "test-manual-required": true, "ok-to-test": true}
)

// ParseRequest reads a comment's trigger commands. Lines in quotes, code
// blocks and HTML comments are not commands.
func ParseRequest(body string) Request {
	r := Request{Text: plugins.CommandText(body)}
	for _, inv := range plugins.ParseCommands(body) {
		if !commandNames[inv.Name] {
			continue
		}
		switch inv.Name {
		case "ok-to-test":
			switch {
			case inv.Args == "":
				r.OkToTest = true
			case okCancelRe.MatchString(inv.Args):
				r.OkToTestCancel = true
			}
		case "retest":
			if inv.Args != "" {
				r.Help, r.Note = true, NoteRetestNoTargets
			} else {
				r.Retest = true
			}
		case "retest-required":
			r.RetestRequired = inv.Args == ""
		case "test-manual-required":
			r.TestManualRequired = inv.Args == ""
		case "test":
			switch {
			case inv.Args == "":
				r.Help, r.Note = true, NoteTestNeedsTarget
			case testHelpRe.MatchString(inv.Args):
				r.Help = true
			case testAllRe.MatchString(inv.Args):
				r.TestAll, r.Test = true, true
			default:
				r.Test = true
			}
		}
	}
	return r
}

// Selection is the input of SelectForComment: the pull request's jobs
// and what GitHub shows of them.
type Selection struct {
	Presubmits []config.Presubmit
	Branch     string
	Changes    config.ChangedFiles
	// Statuses maps a context to its latest state.
	Statuses map[string]string
}

// Selected is a job chosen to run and whether it runs as a retest.
type Selected struct {
	Job    config.Presubmit
	Retest bool
}

// SelectForComment says which presubmits a request runs, each once, in
// configuration order. A job whose trigger regex matches the text is
// forced (/test X with the default trigger); /test all and /ok-to-test run the
// jobs that run by themselves; /retest reruns failed contexts and starts
// automatic jobs that have no status yet; /retest-required does the same
// for required jobs; /test-manual-required runs required jobs that never
// run by themselves. Branch filters always apply.
func SelectForComment(r Request, s Selection) ([]Selected, error) {
	changes := s.Changes
	var out []Selected
	for _, ps := range s.Presubmits {
		if !ps.CouldRun(s.Branch) {
			continue
		}
		run, retest, err := wants(r, ps, s.Statuses, changes, s.Branch)
		if err != nil {
			return nil, err
		}
		if run {
			out = append(out, Selected{Job: ps, Retest: retest})
		}
	}
	return out, nil
}

func wants(r Request, ps config.Presubmit, statuses map[string]string, changes config.ChangedFiles, branch string) (run, retest bool, err error) {
	if r.Text != "" && ps.TriggerMatches(r.Text) {
		return true, false, nil
	}
	if r.TestManualRequired && !ps.Optional && ps.NeedsExplicitTrigger() {
		return true, false, nil
	}
	if r.Retest || (r.RetestRequired && !ps.Optional) {
		state, seen := statuses[ps.Context]
		if state == "failure" || state == "error" {
			return true, true, nil
		}
		if !seen {
			run, err := ps.ShouldRun(branch, changes, false)
			return run, true, err
		}
	}
	if r.TestAll || r.OkToTest {
		if ps.NeedsExplicitTrigger() {
			return false, false, nil
		}
		run, err := ps.ShouldRun(branch, changes, false)
		return run, false, err
	}
	return false, false, nil
}
