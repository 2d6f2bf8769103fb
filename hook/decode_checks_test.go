package hook

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
)

func TestDecodeCheckRunAndCheckSuite(t *testing.T) {
	repo := `"repository":{"name":"hello","full_name":"demo/hello","owner":{"login":"demo"}},"sender":{"login":"member"}`
	cases := []struct {
		event, body string
		want        any
	}{
		{"check_run", `{"action":"rerequested",` + repo + `,"check_run":{"id":7,"name":"pull-unit","head_sha":"abc","status":"completed",
			"conclusion":"failure","external_id":"job-1","details_url":"https://prow/view/1","app":{"slug":"my-prow"},
			"pull_requests":[{"number":4,"head":{"sha":"abc"}}]}}`,
			plugins.CheckRunEvent{GUID: "g", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: "rerequested", Sender: "member",
				CheckRun: plugins.CheckRun{ID: 7, Name: "pull-unit", HeadSHA: "abc", Status: "completed", Conclusion: "failure",
					ExternalID: "job-1", DetailsURL: "https://prow/view/1", App: "my-prow", PullRequests: []int{4}}}},
		{"check_run", `{"action":"created",` + repo + `,"check_run":{"id":8,"name":"lint","head_sha":"abc","status":"queued","conclusion":null,"app":null,"pull_requests":[]}}`,
			plugins.CheckRunEvent{GUID: "g", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: "created", Sender: "member",
				CheckRun: plugins.CheckRun{ID: 8, Name: "lint", HeadSHA: "abc", Status: "queued"}}},
		{"check_suite", `{"action":"rerequested",` + repo + `,"check_suite":{"id":9,"head_sha":"abc","head_branch":"feature","status":"completed",
			"conclusion":"failure","app":{"slug":"my-prow"},"pull_requests":[{"number":4},{"number":5}]}}`,
			plugins.CheckSuiteEvent{GUID: "g", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: "rerequested", Sender: "member",
				Suite: plugins.CheckSuite{ID: 9, HeadSHA: "abc", HeadBranch: "feature", Status: "completed", Conclusion: "failure",
					App: "my-prow", PullRequests: []int{4, 5}}}},
	}
	for _, c := range cases {
		t.Run(c.event, func(t *testing.T) {
			org, name, events, err := Decode(c.event, "g", []byte(c.body))
			if err != nil || org != "demo" || name != "hello" || len(events) != 1 {
				t.Fatalf("Decode = %q %q %v %v", org, name, events, err)
			}
			if !reflect.DeepEqual(events[0], c.want) {
				t.Errorf("got  %+v\nwant %+v", events[0], c.want)
			}
		})
	}
}
