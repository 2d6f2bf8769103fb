package v1

import (
	"path"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// Labels and annotations Prow puts on ProwJobs and their pods.
const (
	CreatedByProw      = "created-by-prow"
	CreatedByTideLabel = "created-by-tide"
	ProwJobTypeLabel   = "prow.k8s.io/type"
	ProwJobIDLabel     = "prow.k8s.io/id"
	ProwBuildIDLabel   = "prow.k8s.io/build-id"
	ProwJobAnnotation  = "prow.k8s.io/job"
	ContextAnnotation  = "prow.k8s.io/context"
	OrgLabel           = "prow.k8s.io/refs.org"
	RepoLabel          = "prow.k8s.io/refs.repo"
	BaseRefLabel       = "prow.k8s.io/refs.base_ref"
	PullLabel          = "prow.k8s.io/refs.pull"
	IsOptionalLabel    = "prow.k8s.io/is-optional"
	RetestLabel        = "prow.k8s.io/retest"
	ReRunLabel         = "prow.k8s.io/re-run"
	PlankVersionLabel  = "prow.k8s.io/plank-version"
	EventGUID          = "event-GUID"
)

// LabelValue makes s fit a label value: at most 63 characters, with no
// trailing '.', '_' or '-'.
func LabelValue(s string) string {
	if len(s) > validation.LabelValueMaxLength {
		s = s[:validation.LabelValueMaxLength]
	}
	return strings.TrimRight(s, "._-")
}

// ValidLabelValue returns s when it is a valid label value, else its
// base name when that is, else "" (drop the label).
func ValidLabelValue(s string) string {
	if len(validation.IsValidLabelValue(s)) == 0 {
		return s
	}
	if base := LabelValue(path.Base(s)); len(validation.IsValidLabelValue(base)) == 0 {
		return base
	}
	return ""
}
