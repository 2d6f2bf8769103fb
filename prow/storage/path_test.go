package storage

import (
	"errors"
	"strings"
	"testing"
)

func TestValidatePath(t *testing.T) {
	cases := []struct {
		name  string
		path  string
		valid bool
	}{
		{name: "a plain name", path: "started.json", valid: true},
		{name: "a nested name", path: "pr-logs/pull/o_r/1/job/2/artifacts/junit_01.xml", valid: true},
		{name: "dots inside a segment", path: "a/..b/c..", valid: true},
		{name: "spaces and unicode", path: "artifacts/résumé final.txt", valid: true},
		{name: "the longest name", path: strings.Repeat("a", 1024), valid: true},
		{name: "empty", path: ""},
		{name: "absolute", path: "/logs/job"},
		{name: "a parent segment", path: "logs/../../etc/passwd"},
		{name: "only a parent", path: ".."},
		{name: "a current segment", path: "logs/./job"},
		{name: "an empty segment", path: "logs//job"},
		{name: "a trailing slash", path: "logs/"},
		{name: "a backslash", path: `logs\..\x`},
		{name: "a NUL byte", path: "logs/a\x00b"},
		{name: "a newline", path: "logs/a\nb"},
		{name: "a carriage return", path: "logs/a\rb"},
		{name: "invalid UTF-8", path: "logs/\xc3"},
		{name: "too long", path: strings.Repeat("a", 1025)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidatePath(tc.path)
			if tc.valid && err != nil {
				t.Errorf("rejected: %v", err)
			}
			if !tc.valid && !errors.Is(err, ErrInvalidPath) {
				t.Errorf("err = %v, want ErrInvalidPath", err)
			}
		})
	}
}

func TestValidatePrefix(t *testing.T) {
	cases := []struct {
		prefix string
		valid  bool
	}{
		{prefix: "", valid: true},
		{prefix: "logs/", valid: true},
		{prefix: "logs/jo", valid: true},
		{prefix: "/"},
		{prefix: "logs//"},
		{prefix: "../"},
		{prefix: "logs/../"},
		{prefix: "/logs/"},
	}
	for _, tc := range cases {
		t.Run(tc.prefix, func(t *testing.T) {
			err := ValidatePrefix(tc.prefix)
			if tc.valid != (err == nil) || (err != nil && !errors.Is(err, ErrInvalidPath)) {
				t.Errorf("ValidatePrefix(%q) = %v, want valid %v", tc.prefix, err, tc.valid)
			}
		})
	}
}

func TestDefaultContentType(t *testing.T) {
	cases := map[string]string{
		"build-log.txt":        "text/plain; charset=utf-8",
		"pr-logs/x/3.txt":      "text/plain; charset=utf-8",
		"finished.json":        "application/json",
		"artifacts/junit.xml":  "application/xml",
		"artifacts/index.html": "text/html; charset=utf-8",
		"artifacts/blob":       "application/octet-stream",
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			if got := DefaultContentType(name); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
