package storage

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxNameLen is the longest object name GCS accepts, in bytes.
const maxNameLen = 1024

// ValidatePath checks an object name: a non-empty, slash-separated
// relative path of valid UTF-8 at most 1024 bytes long, without empty,
// "." or ".." segments, a leading or trailing slash, backslashes, NUL,
// carriage return or line feed. The error wraps ErrInvalidPath.
func ValidatePath(name string) error {
	if name == "" {
		return fmt.Errorf("object name is empty: %w", ErrInvalidPath)
	}
	if err := checkChars(name); err != nil {
		return err
	}
	if strings.HasPrefix(name, "/") {
		return fmt.Errorf("object name %q is absolute: %w", name, ErrInvalidPath)
	}
	return checkSegments(name)
}

// ValidatePrefix checks a listing prefix: empty, or a name that
// ValidatePath accepts, optionally followed by one slash. The error wraps
// ErrInvalidPath.
func ValidatePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	trimmed := strings.TrimSuffix(prefix, "/")
	if trimmed == "" {
		return fmt.Errorf("prefix %q is absolute: %w", prefix, ErrInvalidPath)
	}
	if err := ValidatePath(trimmed); err != nil {
		return fmt.Errorf("prefix %q: %w", prefix, err)
	}
	return nil
}

func checkChars(name string) error {
	if len(name) > maxNameLen {
		return fmt.Errorf("object name %.40q... is longer than %d bytes: %w", name, maxNameLen, ErrInvalidPath)
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("object name %q is not valid UTF-8: %w", name, ErrInvalidPath)
	}
	if i := strings.IndexAny(name, "\x00\\\r\n"); i >= 0 {
		return fmt.Errorf("object name %q has a forbidden character %q: %w", name, name[i], ErrInvalidPath)
	}
	return nil
}

func checkSegments(name string) error {
	for seg := range strings.SplitSeq(name, "/") {
		switch seg {
		case "":
			return fmt.Errorf("object name %q has an empty segment: %w", name, ErrInvalidPath)
		case ".", "..":
			return fmt.Errorf("object name %q has a %q segment: %w", name, seg, ErrInvalidPath)
		}
	}
	return nil
}
