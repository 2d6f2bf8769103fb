package sandbox

import (
	"encoding/json"
	"fmt"
)

// maxAnnotationsPerRequest is how many annotations one create or update
// of a check run takes, as on GitHub.
const maxAnnotationsPerRequest = 50

// checkAnnotation is one annotation of a check run's output.
type checkAnnotation struct {
	Path            string  `json:"path"`
	StartLine       int     `json:"start_line"`
	EndLine         int     `json:"end_line"`
	StartColumn     *int    `json:"start_column"`
	EndColumn       *int    `json:"end_column"`
	AnnotationLevel string  `json:"annotation_level"`
	Message         string  `json:"message"`
	Title           *string `json:"title"`
	RawDetails      *string `json:"raw_details"`
}

// UnmarshalJSON reads a check run request, output.annotations into
// Annotations.
func (in *checkRunInput) UnmarshalJSON(data []byte) error {
	type plain checkRunInput
	if err := json.Unmarshal(data, (*plain)(in)); err != nil {
		return err
	}
	var extra struct {
		Output *struct {
			Annotations []checkAnnotation `json:"annotations"`
		} `json:"output"`
	}
	if err := json.Unmarshal(data, &extra); err != nil {
		return err
	}
	if extra.Output != nil {
		in.Annotations = extra.Output.Annotations
	}
	return nil
}

// checkAnnotations validates the annotations of a request as GitHub
// does: at most 50, each with a path, lines, a level and a message.
func (in checkRunInput) checkAnnotations() error {
	if len(in.Annotations) == 0 {
		return nil
	}
	if len(in.Annotations) > maxAnnotationsPerRequest {
		return errUnprocessable(fmt.Sprintf("Only %d annotations are allowed per request", maxAnnotationsPerRequest))
	}
	if in.Output == nil || in.Output.Title == "" || in.Output.Summary == "" {
		return errInvalid("CheckRun", "output", "missing_field", "output needs a title and a summary")
	}
	for _, a := range in.Annotations {
		switch {
		case a.Path == "":
			return errInvalid("CheckRun", "path", "missing_field", "")
		case a.StartLine < 1 || a.EndLine < a.StartLine:
			return errInvalid("CheckRun", "start_line", "invalid", "start_line must be at least 1 and end_line at least start_line")
		case a.Message == "":
			return errInvalid("CheckRun", "message", "missing_field", "")
		}
		switch a.AnnotationLevel {
		case "notice", "warning", "failure":
		default:
			return errInvalid("CheckRun", "annotation_level", "invalid", "annotation_level must be one of notice, warning, failure")
		}
	}
	return nil
}

// annotationObj is a check-annotation.
func (t *tx) annotationObj(rp *repo, cr *checkRun, a checkAnnotation) obj {
	return obj{"path": a.Path, "start_line": a.StartLine, "end_line": a.EndLine, "start_column": a.StartColumn, "end_column": a.EndColumn,
		"annotation_level": a.AnnotationLevel, "title": a.Title, "message": a.Message, "raw_details": a.RawDetails,
		"blob_href": fmt.Sprintf("%s/blob/%s/%s", t.repoWeb(rp), cr.HeadSHA, a.Path)}
}

// rerequestCheckRun sends check_run rerequested about cr, as the
// "Re-run" button of GitHub's checks tab does; the sender is the caller.
// GitHub takes this call from the GitHub App that wrote the run only,
// and from people through the button: the sandbox takes it from anyone
// with write access (the button's condition), so that a test can
// re-run as a person. Only a completed run can be re-run.
func (t *tx) rerequestCheckRun(rp *repo, cr *checkRun) error {
	if err := t.need(rp, "write"); err != nil {
		return err
	}
	if cr.Status != "completed" {
		return errUnprocessable("This check run is not rerequestable")
	}
	t.checkRunEvent(rp, cr, "rerequested")
	return nil
}
