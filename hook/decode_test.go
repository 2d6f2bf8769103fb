package hook

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
)

func TestDecodePhonyExamples(t *testing.T) {
	cases := []struct {
		file  string
		event string
		check func(t *testing.T, events []any)
	}{
		{"opened_pr.json", "pull_request", func(t *testing.T, events []any) {
			pr := events[0].(plugins.PullRequestEvent)
			if pr.PR.Number == 0 || pr.PR.HeadSHA == "" || pr.PR.BaseRef == "" || pr.PR.Author == "" {
				t.Errorf("pull request fields missing: %+v", pr.PR)
			}
		}},
		{"push.json", "push", func(t *testing.T, events []any) {
			p := events[0].(plugins.PushEvent)
			if p.Ref == "" || p.After == "" || p.Branch() == "" {
				t.Errorf("push fields missing: %+v", p)
			}
		}},
		{"lgtm_comment.json", "issue_comment", func(t *testing.T, events []any) {
			c := events[0].(plugins.GenericCommentEvent)
			if c.Action != plugins.CommentCreated || c.Source != plugins.SourceIssueComment || c.User == "" || c.Number == 0 {
				t.Errorf("comment fields: %+v", c)
			}
			if got := plugins.ParseCommands(c.Body); len(got) == 0 || got[0].Name != "lgtm" {
				t.Errorf("the example comment should hold /lgtm; body %q", c.Body)
			}
		}},
		{"review_approve_submitted.json", "pull_request_review", func(t *testing.T, events []any) {
			r := events[0].(plugins.ReviewEvent)
			if r.Review.State != "approved" || r.PR.Number == 0 {
				t.Errorf("review: %+v", r.Review)
			}
			c := events[1].(plugins.GenericCommentEvent)
			if c.Source != plugins.SourceReview || c.Action != plugins.CommentCreated || !c.IsPR || c.ReviewState != "approved" {
				t.Errorf("review as comment: %+v", c)
			}
		}},
		{"review_changes_submitted.json", "pull_request_review", func(t *testing.T, events []any) {
			if r := events[0].(plugins.ReviewEvent); r.Review.State != "changes_requested" {
				t.Errorf("state %q", r.Review.State)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			org, repo, events, err := Decode(tc.event, "guid-1", examplePayload(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if org == "" || repo == "" || len(events) == 0 {
				t.Fatalf("org %q repo %q events %d", org, repo, len(events))
			}
			tc.check(t, events)
		})
	}
}

func TestDecodeNormalizesCommentsEverywhere(t *testing.T) {
	repo := `"repository":{"name":"r","full_name":"o/r","owner":{"login":"o"}},"sender":{"login":"s"}`
	cases := []struct {
		name, event, body string
		want              plugins.GenericCommentEvent
	}{
		{"an issue comment on a PR", "issue_comment",
			`{"action":"edited","issue":{"number":3,"state":"open","user":{"login":"author"},"pull_request":{}},"comment":{"id":9,"body":"/lgtm","user":{"login":"rev"}},` + repo + `}`,
			plugins.GenericCommentEvent{Action: plugins.CommentEdited, Source: plugins.SourceIssueComment, Body: "/lgtm", CommentID: 9, User: "rev", Number: 3, IsPR: true, IssueAuthor: "author", IssueState: "open"}},
		{"a review comment", "pull_request_review_comment",
			`{"action":"deleted","pull_request":{"number":4,"state":"open","user":{"login":"author"}},"comment":{"id":7,"body":"/hold","user":{"login":"rev"},"path":"a.go"},` + repo + `}`,
			plugins.GenericCommentEvent{Action: plugins.CommentDeleted, Source: plugins.SourceReviewComment, Body: "/hold", CommentID: 7, User: "rev", Number: 4, IsPR: true, IssueAuthor: "author", IssueState: "open"}},
		{"an opened issue's body", "issues",
			`{"action":"opened","issue":{"number":5,"state":"open","body":"/kind bug","user":{"login":"author"}},` + repo + `}`,
			plugins.GenericCommentEvent{Action: plugins.CommentCreated, Source: plugins.SourceIssueBody, Body: "/kind bug", User: "author", Number: 5, IssueAuthor: "author", IssueState: "open", IssueBody: "/kind bug"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, events, err := Decode(tc.event, "g", []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			var got *plugins.GenericCommentEvent
			for _, e := range events {
				if c, ok := e.(plugins.GenericCommentEvent); ok {
					got = &c
				}
			}
			if got == nil {
				t.Fatal("no generic comment event")
			}
			got.GUID, got.Repo, got.Assignees, got.Labels = "", plugins.Repo{}, nil, nil
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tc.want)
			}
		})
	}
}

func TestDecodeUnhandledAndBadPayloads(t *testing.T) {
	org, repo, events, err := Decode("deployment_status", "g", []byte(`{"repository":{"full_name":"o/r"}}`))
	if err != nil || org != "o" || repo != "r" || events != nil {
		t.Errorf("unhandled event: %q %q %v %v", org, repo, events, err)
	}
	if _, _, _, err := Decode("issue_comment", "g", []byte(`{"issue": 5}`)); err == nil {
		t.Error("want an error for an issue that is not an object")
	}
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"opened_pr.json", "push.json", "lgtm_comment.json", "review_approve_submitted.json"} {
		f.Add("pull_request", examplePayload(f, name))
	}
	f.Add("issues", []byte(`{"action":"opened","issue":{"number":1}}`))
	f.Fuzz(func(_ *testing.T, event string, body []byte) {
		_, _, _, _ = Decode(event, "fuzz", body)
		_ = Secrets{"*": {{Value: "x"}}}.Validate("sha256=00", body)
	})
}

// decodeEdgeCases are payloads where JSON decoders are known to differ:
// key case, escapes, nulls, duplicate keys, numbers and nested unknowns.
var decodeEdgeCases = []string{
	`{"Action":"opened","PULL_REQUEST":{"number":7}}`,
	`{"action":"a","action":"b"}`,
	`{"action":null,"pull_request":null,"changes":{"title":null}}`,
	`{"action":"\u00e9\ud83d\ude00\n\"","sender":{"login":"a\/b"}}`,
	`{"pull_request":{"number":1.0}}`,
	`{"pull_request":{"number":1e2}}`,
	`{"pull_request":{"number":"1"}}`,
	`{"pull_request":{"created_at":"2024-01-02T03:04:05Z","mergeable":false}}`,
	`{"pull_request":{"created_at":"not a time"}}`,
	`{"unknown":{"deep":[1,{"x":[true,false,null]},"s"]},"action":"x"}`,
	`{"commits":[{"id":"a","added":["f"]},{"id":"b"}]}`,
	`{"action":"x"} `,
	`{"action":"x"}}`,
	`{"action":"\x01"}`,
	`{"action":"\ud800"}`,
	`[]`,
	`null`,
}

// TestDecodingMatchesEncodingJSON: hook's decoder reads every example
// payload and the edge cases exactly as encoding/json does.
func TestDecodingMatchesEncodingJSON(t *testing.T) {
	var bodies [][]byte
	for _, name := range []string{"opened_pr.json", "reopened_pr.json", "push.json", "lgtm_comment.json", "test_comment.json",
		"review_approve_submitted.json", "review_changes_submitted.json", "review_comment_submitted.json"} {
		bodies = append(bodies, examplePayload(t, name))
	}
	for _, s := range decodeEdgeCases {
		bodies = append(bodies, []byte(s))
	}
	for _, body := range bodies {
		compareWithEncodingJSON(t, body)
	}
}

func FuzzDecodingMatchesEncodingJSON(f *testing.F) {
	for _, s := range decodeEdgeCases {
		f.Add([]byte(s))
	}
	f.Add(examplePayload(f, "lgtm_comment.json"))
	f.Fuzz(compareWithEncodingJSON)
}

// compareWithEncodingJSON fails when the payload's validity, or what it
// decodes to, differs from encoding/json's.
func compareWithEncodingJSON(t *testing.T, body []byte) {
	t.Helper()
	if got, want := jsonValid(body), json.Valid(body); got != want {
		t.Fatalf("valid %v, encoding/json says %v: %q", got, want, body)
	}
	var got, want ghEvent
	gotErr, wantErr := jsonUnmarshal(body, &got), json.Unmarshal(body, &want)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("decode error %v, encoding/json's %v: %q", gotErr, wantErr, body)
	}
	if wantErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("decoded\n%+v\nencoding/json\n%+v\nfrom %q", got, want, body)
	}
}
