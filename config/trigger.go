package config

import (
	"regexp"
	"strings"
)

// regexCache compiles each distinct expression once per load: many jobs
// share branch filters and change filters.
type regexCache map[string]*regexp.Regexp

func (c regexCache) compile(expr string) (*regexp.Regexp, error) {
	if re, ok := c[expr]; ok {
		return re, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	if c != nil {
		c[expr] = re
	}
	return re, nil
}

// defaultTriggerMatches answers what DefaultTriggerFor(name) would match,
// `(?m)^/test( | .* )<name>,?($|\s.*)`, without compiling a regex per job.
// As in Prow the name is not escaped, so a '.' in it matches any character.
func defaultTriggerMatches(name, body string) bool {
	for _, line := range strings.Split(body, "\n") {
		rest, ok := strings.CutPrefix(line, "/test ")
		if !ok {
			continue
		}
		// The name follows the space after /test, or any later space.
		for i := 0; i <= len(rest); i++ {
			if i > 0 && rest[i-1] != ' ' {
				continue
			}
			if end, ok := nameAt(rest, i, name); ok && triggerTail(rest[end:]) {
				return true
			}
		}
	}
	return false
}

// nameAt matches name at s[i:], '.' matching any one character.
func nameAt(s string, i int, name string) (int, bool) {
	if len(s)-i < len(name) {
		return 0, false
	}
	for k := 0; k < len(name); k++ {
		if name[k] != '.' && s[i+k] != name[k] {
			return 0, false
		}
	}
	return i + len(name), true
}

// triggerTail matches `,?($|\s.*)` on the rest of a line.
func triggerTail(s string) bool {
	s = strings.TrimPrefix(s, ",")
	return s == "" || strings.ContainsRune("\t\n\f\r ", rune(s[0]))
}
