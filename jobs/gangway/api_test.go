package gangway

import (
	"encoding/json"
	"testing"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func TestExecutionTypeJSON(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    ExecutionType
		wantErr bool
	}{
		{`"PRESUBMIT"`, TypePresubmit, false},
		{`3`, TypePresubmit, false},
		{`"1"`, TypePeriodic, false},
		{`0`, TypeUnspecified, false},
		{`"presubmit"`, "", true},
		{`9`, "", true},
		{`true`, "", true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			var got ExecutionType
			err := json.Unmarshal([]byte(tc.in), &got)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("unmarshal %s = %q, %v; want %q (error %v)", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestStatusAndTypeMapping(t *testing.T) {
	for _, tc := range []struct {
		state prowapi.ProwJobState
		want  ExecutionStatus
	}{
		{prowapi.TriggeredState, StatusTriggered}, {prowapi.PendingState, StatusPending}, {prowapi.SuccessState, StatusSuccess},
		{prowapi.FailureState, StatusFailure}, {prowapi.AbortedState, StatusAborted}, {prowapi.ErrorState, StatusError},
		{prowapi.SchedulingState, StatusScheduling}, {"", StatusUnspecified},
	} {
		t.Run(string(tc.want), func(t *testing.T) {
			if got := StatusOf(tc.state); got != tc.want {
				t.Errorf("StatusOf(%q) = %s, want %s", tc.state, got, tc.want)
			}
			if tc.state != "" && tc.want.State() != tc.state {
				t.Errorf("%s.State() = %q, want %q", tc.want, tc.want.State(), tc.state)
			}
		})
	}
	for _, typ := range []prowapi.ProwJobType{prowapi.PresubmitJob, prowapi.PostsubmitJob, prowapi.PeriodicJob, prowapi.BatchJob} {
		if got := TypeOf(typ).ProwJobType(); got != typ {
			t.Errorf("type %s round-trips to %s", typ, got)
		}
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{"jobName": "job_name", "job_name": "job_name", "podSpecOptions": "pod_spec_options", "baseSha": "base_sha", "id": "id"} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}
