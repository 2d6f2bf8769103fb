package plugins

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/prow/github"
)

// fakeGitHub records the writes of the shared helpers.
type fakeGitHub struct {
	comments []github.IssueComment
	calls    []string
}

func (f *fakeGitHub) AddLabels(_ context.Context, _, _ string, n int, labels ...string) error {
	f.calls = append(f.calls, fmt.Sprintf("add %d %s", n, strings.Join(labels, ",")))
	return nil
}

func (f *fakeGitHub) RemoveLabel(_ context.Context, _, _ string, n int, label string) error {
	f.calls = append(f.calls, fmt.Sprintf("remove %d %s", n, label))
	return nil
}

func TestRelabelRemovesThenAddsInOneCall(t *testing.T) {
	for _, tc := range []struct {
		name        string
		add, remove []string
		want        []string
	}{
		{"both", []string{"a", "b"}, []string{"c"}, []string{"remove 7 c", "add 7 a,b"}},
		{"nothing to add makes no add call", nil, []string{"c", "d"}, []string{"remove 7 c", "remove 7 d"}},
		{"nothing at all", nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gh := &fakeGitHub{}
			if err := Relabel(context.Background(), gh, "o", "r", 7, tc.add, tc.remove); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gh.calls, tc.want) {
				t.Errorf("calls %q, want %q", gh.calls, tc.want)
			}
		})
	}
}
