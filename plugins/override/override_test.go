package override

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

func TestPlan(t *testing.T) {
	names := Contexts(plugins.ParseCommands("/override e2e lint\n/override e2e missing"))
	if !reflect.DeepEqual(names, []string{"e2e", "lint", "missing"}) {
		t.Fatalf("Contexts = %v", names)
	}
	statuses := []github.Status{{Context: "e2e", State: "failure", TargetURL: "u"}, {Context: "lint", State: "success"}}
	want := []github.Status{
		{Context: "e2e", State: "success", Description: "Overridden by admin", TargetURL: "u"},
		{Context: "missing", State: "success", Description: "Overridden by admin"},
	}
	if got := Plan(names, statuses, "admin"); !reflect.DeepEqual(got, want) {
		t.Errorf("Plan = %+v, want %+v", got, want)
	}
}
