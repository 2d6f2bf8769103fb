package lens_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prowbot/prow/deck/lens"
	"github.com/prowbot/prow/prow/storage"
)

func TestHighlightAndFold(t *testing.T) {
	h, err := lens.NewHighlighter(nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := range 100 {
		lines = append(lines, "ok "+strings.Repeat("x", i%3))
	}
	lines[50] = "panic: runtime error"
	groups := lens.Fold(h.Split(strings.Join(lines, "\n")+"\n"), 5, 30)
	var kinds []string
	total := 0
	for _, g := range groups {
		kinds = append(kinds, map[bool]string{true: "folded", false: "open"}[g.Folded])
		total += len(g.Lines)
	}
	if strings.Join(kinds, ",") != "folded,open,folded,open" || total != 100 {
		t.Errorf("groups %v (%d lines)", kinds, total)
	}
	if !groups[1].Lines[5].Error || groups[1].Lines[5].Text != "panic: runtime error" {
		t.Errorf("error line not marked: %+v", groups[1].Lines[5])
	}
	for _, l := range []string{"error: x", "--- FAIL: TestX", "E0101 12:00:00 boom", "Build timed out"} {
		if !h.IsError(l) {
			t.Errorf("%q is not marked", l)
		}
	}
	for _, l := range []string{"0 errors", "PASS", "terror"} {
		if h.IsError(l) {
			t.Errorf("%q is marked", l)
		}
	}
	if _, err := lens.NewHighlighter([]string{"("}); err == nil {
		t.Error("a bad pattern was accepted")
	}
}

func TestReadTail(t *testing.T) {
	b, err := storage.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	if _, err := b.Write(ctx, "log", strings.NewReader("line one\nline two\nline three\n"), storage.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	tail, err := lens.ReadTail(ctx, b, "log", 14)
	if err != nil || tail.Text != "line three\n" || tail.Start != 18 || tail.Size != 29 {
		t.Errorf("tail %+v %v", tail, err)
	}
	whole, err := lens.ReadTail(ctx, b, "log", 1000)
	if err != nil || whole.Start != 0 || !strings.HasPrefix(whole.Text, "line one") {
		t.Errorf("whole %+v %v", whole, err)
	}
}

func TestJUnit(t *testing.T) {
	var j lens.JUnit
	for _, name := range []string{"junit_unit.xml", "junit_e2e.xml"} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := j.ParseJUnit(name, data); err != nil {
			t.Fatal(err)
		}
	}
	j.Sort()
	if j.Tests != 6 || j.Failures != 2 || j.Skipped != 1 || j.Passed() != 3 {
		t.Errorf("counts %d/%d/%d", j.Tests, j.Failures, j.Skipped)
	}
	f := j.FailedCases()
	if len(f) != 2 || f[0].Name != "TestWidgetStops" || !strings.Contains(f[0].Output, "widget_test.go:42") || f[1].Message != "timed out waiting for the login page" {
		t.Errorf("failures %+v", f)
	}
	if err := j.ParseJUnit("bad.xml", []byte("<html></html>")); err == nil {
		t.Error("a non-JUnit file was accepted")
	}
	for name, want := range map[string]bool{"artifacts/junit_1.xml": true, "artifacts/e2e/junit.xml": true, "artifacts/report.xml": false, "junit.xml": false} {
		if lens.IsJUnitName(name) != want {
			t.Errorf("IsJUnitName(%q) != %v", name, want)
		}
	}
}

func TestMetadataState(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name string
		m    lens.Metadata
		want string
	}{
		{"nothing", lens.Metadata{}, "unknown"},
		{"started only", lens.Metadata{Started: &storage.Started{Timestamp: 1}}, "pending"},
		{"passed", lens.Metadata{Finished: &storage.Finished{Passed: &yes, Result: "SUCCESS"}}, "success"},
		{"failed", lens.Metadata{Finished: &storage.Finished{Passed: &no, Result: "FAILURE"}}, "failure"},
		{"aborted", lens.Metadata{Finished: &storage.Finished{Passed: &no, Result: "ABORTED"}}, "aborted"},
		{"unknown result", lens.Metadata{Finished: &storage.Finished{}}, "error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.State(); got != tc.want {
				t.Errorf("State() = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestHighlighterMatches(t *testing.T) {
	h, err := lens.NewHighlighter([]string{`^`, `b+`, `bc`, `e`})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		line string
		want string
	}{
		{"overlapping matches make one range", "abbcde", "[[1 4] [5 6]]"}, // b+ and bc overlap: one range
		{"an empty match is a match with nothing to mark", "xyz", "[]"},   // an error line with nothing to mark
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, matched := h.Matches(tc.line)
			if fmt.Sprint(got) != tc.want || !matched {
				t.Errorf("Matches(%q) = %v, %v; want %s, true", tc.line, got, matched, tc.want)
			}
		})
	}
}
