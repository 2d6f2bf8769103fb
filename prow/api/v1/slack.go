package v1

import "encoding/json"

// UnmarshalJSON reads a SlackReporterConfig, turning an explicitly empty
// job_states_to_report (report in no state) into report: false, as
// Prow's does: the empty list would otherwise be lost the next time the
// job is written, and an empty list means "use the default" after that.
func (s *SlackReporterConfig) UnmarshalJSON(data []byte) error {
	type plain SlackReporterConfig
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*s = SlackReporterConfig(p)
	if s.JobStatesToReport != nil && len(s.JobStatesToReport) == 0 && s.Report == nil {
		no := false
		s.Report = &no
	}
	return nil
}
