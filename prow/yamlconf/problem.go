package yamlconf

import (
	"fmt"
	"strconv"
)

// Problem is something wrong in a configuration file, located by file and,
// when known, by line (1-based; 0 means unknown).
type Problem struct {
	File    string
	Line    int
	Message string
}

// String renders the problem as "file:line: message", dropping the parts
// that are unknown.
func (p Problem) String() string {
	switch {
	case p.File != "" && p.Line > 0:
		return p.File + ":" + strconv.Itoa(p.Line) + ": " + p.Message
	case p.File != "":
		return p.File + ": " + p.Message
	case p.Line > 0:
		return "line " + strconv.Itoa(p.Line) + ": " + p.Message
	default:
		return p.Message
	}
}

// Error makes a Problem usable as an error.
func (p Problem) Error() string { return p.String() }

// Errorf builds a Problem with a formatted message.
func Errorf(file string, line int, format string, args ...any) Problem {
	return Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)}
}
