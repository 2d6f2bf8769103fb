package marker

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPodutilMarkerWriteAndRead(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		content string
		code    int
		wantErr string
	}{
		{name: "a written code", code: 130},
		{name: "a code with a newline", content: "3\n", code: 3},
		{name: "garbage", content: "three", wantErr: "does not hold an exit code"},
		{name: "no file", wantErr: "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			switch {
			case tc.content != "":
				if err := os.WriteFile(p, []byte(tc.content), 0o644); err != nil {
					t.Fatal(err)
				}
			case tc.wantErr == "":
				if err := Write(p, tc.code); err != nil {
					t.Fatal(err)
				}
			}
			code, err := Read(p)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || code != tc.code {
				t.Errorf("read %d, %v; want %d", code, err, tc.code)
			}
		})
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("a temporary file was left behind: %s", e.Name())
		}
	}
}

func TestPodutilMarkerWaitReturnsOnceEveryMarkerIsWritten(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first"), filepath.Join(dir, "second")
	if err := Write(first, 0); err != nil {
		t.Fatal(err)
	}
	done := make(chan map[string]Result)
	go func() { done <- Wait(t.Context(), first, second) }()
	if err := Write(second, 2); err != nil {
		t.Fatal(err)
	}
	got := <-done
	if got[first] != (Result{Code: 0}) || got[second] != (Result{Code: 2}) {
		t.Errorf("results %+v", got)
	}
}

func TestPodutilMarkerWaitGivesUpWhenTheContextEnds(t *testing.T) {
	dir := t.TempDir()
	present, missing := filepath.Join(dir, "present"), filepath.Join(dir, "missing")
	if err := Write(present, 1); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	got := Wait(ctx, present, missing)
	if got[present] != (Result{Code: 1}) {
		t.Errorf("present marker: %+v", got[present])
	}
	if r := got[missing]; r.Code != -1 || !errors.Is(r.Err, context.Canceled) {
		t.Errorf("missing marker: %+v", r)
	}
}
