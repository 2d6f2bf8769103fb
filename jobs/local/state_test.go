package local

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// TestStateFileKeepsTheLastWholeState: the state log survives a save cut
// short, and a save after one.
func TestStateFileKeepsTheLastWholeState(t *testing.T) {
	dir := t.TempDir()
	pj := &prowapi.ProwJob{}
	pj.Name = "a"
	if _, err := readState(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("no state file: err = %v, want one wrapping fs.ErrNotExist", err)
	}
	for _, b := range []string{"1", "2"} {
		if err := writeState(dir, state{BuildID: b, ProwJob: pj}); err != nil {
			t.Fatal(err)
		}
	}
	if s, err := readState(dir); err != nil || s.BuildID != "2" {
		t.Fatalf("read %+v, %v; want build 2", s, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, stateFile), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"build_id":"3","prowjob":{"meta`) // a crash mid-save
	_ = f.Close()
	if s, err := readState(dir); err != nil || s.BuildID != "2" {
		t.Fatalf("after a torn save: read %+v, %v; want build 2", s, err)
	}
	if err := writeState(dir, state{BuildID: "4", ProwJob: pj}); err != nil {
		t.Fatal(err)
	}
	if s, err := readState(dir); err != nil || s.BuildID != "4" {
		t.Fatalf("after a save following a torn one: read %+v, %v; want build 4", s, err)
	}
	if err := os.WriteFile(filepath.Join(dir, stateFile), []byte("{\n  \"build_id\": \"5\",\n  \"prowjob\": {}\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := readState(dir); err != nil || s.BuildID != "5" {
		t.Fatalf("an indented state of an earlier version: read %+v, %v", s, err)
	}
	if err := os.WriteFile(filepath.Join(dir, stateFile), []byte("garbage\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readState(dir); err == nil || !strings.Contains(err.Error(), "no whole state") {
		t.Fatalf("a state file of garbage: err = %v", err)
	}
}
