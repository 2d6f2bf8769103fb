package skip

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/prow/github"
)

func TestToSkip(t *testing.T) {
	statuses := []github.Status{
		{Context: "optional-e2e", State: "failure", TargetURL: "u1"},
		{Context: "optional-lint", State: "success"},
		{Context: "required-unit", State: "failure"},
		{Context: "optional-bench", State: "error"},
		{Context: "external", State: "failure"},
	}
	optional := map[string]bool{"optional-e2e": true, "optional-lint": true, "optional-bench": true}
	want := []github.Status{
		{Context: "optional-e2e", State: "success", Description: "Skipped", TargetURL: "u1"},
		{Context: "optional-bench", State: "success", Description: "Skipped"},
	}
	if got := ToSkip(statuses, optional); !reflect.DeepEqual(got, want) {
		t.Errorf("ToSkip = %+v, want %+v", got, want)
	}
}
