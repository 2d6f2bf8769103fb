package deck

import (
	"time"

	"github.com/prowbot/prow/deck/lens"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// The facts every page shows of a job the same way: its duration and its
// revision.

// runDuration is how long a run took, from the ProwJob's own times when
// it has finished (they are exact), else from started.json and
// finished.json (whole seconds). Zero when unknown.
func runDuration(pj *prowapi.ProwJob, m lens.Metadata) time.Duration {
	if pj == nil {
		pj = m.ProwJob
	}
	if pj != nil && pj.Status.CompletionTime != nil && !pj.Status.StartTime.IsZero() {
		if d := pj.Status.CompletionTime.Sub(pj.Status.StartTime.Time); d > 0 {
			return d
		}
	}
	return m.Duration()
}

// runTook is a run's duration as every page writes it: "<1s" when only
// started.json and finished.json (whole seconds) say it, and say the
// same second.
func runTook(pj *prowapi.ProwJob, m lens.Metadata) string {
	if d := runDuration(pj, m); d > 0 {
		return duration(d)
	}
	if s, f := m.StartTime(), m.FinishTime(); !s.IsZero() && s.Equal(f) {
		return "<1s"
	}
	return ""
}

// revision is the commit a run is said to test, the same while it runs
// and once it has finished: for a presubmit the pull request's head
// commit (as Prow shows it), for other jobs (batches too) the base commit; from
// started.json and finished.json only when there is no ProwJob. what is
// the tooltip that says which.
type revision struct {
	SHA, What string
}

// noMetadata is a job's facts without its started.json and finished.json.
var noMetadata lens.Metadata

// Revision tooltips.
const (
	revPRHead = "the pull request's head commit (the same while the job runs and after)"
	revBase   = "the base branch commit the job checked out"
	revMeta   = "the commit started.json/finished.json record"
)

func revisionOf(pj *prowapi.ProwJob, m lens.Metadata) revision {
	if pj == nil {
		pj = m.ProwJob
	}
	if pj != nil && pj.Spec.Refs != nil {
		r := pj.Spec.Refs
		if len(r.Pulls) == 1 && r.Pulls[0].SHA != "" {
			return revision{r.Pulls[0].SHA, revPRHead}
		}
		if r.BaseSHA != "" {
			return revision{r.BaseSHA, revBase}
		}
	}
	if sha := m.Revision(); sha != "" {
		return revision{sha, revMeta}
	}
	return revision{}
}
