package storage

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestFinishedAlwaysWritesPassed(t *testing.T) {
	passed, ts := true, int64(1700000100)
	cases := []struct {
		name     string
		finished Finished
		want     string
	}{
		{name: "unknown outcome", finished: Finished{}, want: `{"passed":null}`},
		{name: "a success", finished: Finished{Timestamp: &ts, Passed: &passed, Result: ResultSuccess, Revision: "abc"}, want: `{"timestamp":1700000100,"passed":true,"result":"SUCCESS","revision":"abc"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data, err := json.Marshal(tc.finished)
			if err != nil || string(data) != tc.want {
				t.Errorf("got %s, %v; want %s", data, err, tc.want)
			}
		})
	}
}

func TestStartedReadsTestgridFields(t *testing.T) {
	const doc = `{"timestamp":1700000000,"node":"n1","pull":"12","repos":{"o/r":"main:abc,12:def"},` +
		`"repo-commit":"def","repo-version":"def","metadata":{"links":{"a":"b"}},"job-version":"v1"}`
	var s Started
	if err := json.Unmarshal([]byte(doc), &s); err != nil {
		t.Fatal(err)
	}
	if s.Timestamp != 1700000000 || s.Node != "n1" || s.Pull != "12" || s.Repos["o/r"] != "main:abc,12:def" ||
		s.RepoCommit != "def" || s.RepoVersion != "def" || s.JobVersion != "v1" || s.Metadata["links"] == nil {
		t.Errorf("decoded %+v", s)
	}
	data, err := json.Marshal(s)
	if err != nil || string(data) != doc {
		t.Errorf("encoded %s, %v\nwant %s", data, err, doc)
	}
}

func TestJSONHelpersRoundTrip(t *testing.T) {
	b := newLocalBucket(t)
	passed := false
	a, err := WriteJSON(t.Context(), b, "logs/j/1/finished.json", Finished{Passed: &passed, Result: ResultFailure}, WriteOptions{DoesNotExist: true})
	if err != nil || a.ContentType != "application/json" {
		t.Fatalf("write: %+v, %v", a, err)
	}
	if got := read(t, b, "logs/j/1/finished.json"); !strings.Contains(got, "\n\t\"passed\": false") {
		t.Errorf("content %q is not tab-indented", got)
	}
	var f Finished
	if err := ReadJSON(t.Context(), b, "logs/j/1/finished.json", &f); err != nil || f.Passed == nil || *f.Passed || f.Result != ResultFailure {
		t.Errorf("read back %+v, %v", f, err)
	}
	if err := ReadJSON(t.Context(), b, "logs/j/1/started.json", &Started{}); !errors.Is(err, ErrNotExist) {
		t.Errorf("missing file: err = %v, want ErrNotExist", err)
	}
	write(t, b, "bad.json", "{", WriteOptions{})
	if err := ReadJSON(t.Context(), b, "bad.json", &Started{}); err == nil || errors.Is(err, ErrNotExist) {
		t.Errorf("bad JSON: err = %v", err)
	}
}
