package plugins

import (
	"regexp"
	"strings"
)

// Invocation is one slash command found in a comment.
type Invocation struct {
	// Name is the command, lower-cased, without the slash.
	Name string
	// Args is the rest of the line, trimmed.
	Args string
	// Line is the whole line as written.
	Line string
}

var commandLine = regexp.MustCompile(`^/([A-Za-z0-9][\w-]*)(?:[ \t]+(.*?))?\s*$`)

// ParseCommands finds the slash commands of a comment: lines that start
// with '/'. Quoted lines ('>'), fenced code blocks, indented code and HTML
// comments are skipped, so quoting someone's command or showing one in
// code does nothing.
func ParseCommands(body string) []Invocation {
	var out []Invocation
	for _, line := range liveLines(body) {
		m := commandLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		out = append(out, Invocation{Name: strings.ToLower(m[1]), Args: strings.TrimSpace(m[2]), Line: line})
	}
	return out
}

// CommandText is the part of a comment that can ask for something: its
// lines outside fenced code blocks and HTML comments, quoted lines left
// out. Job trigger regexes are matched against it.
func CommandText(body string) string {
	var keep []string
	for _, line := range liveLines(body) {
		if !strings.HasPrefix(strings.TrimLeft(line, " "), ">") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

// liveLines lists the lines of body outside fenced code blocks and HTML
// comments, without their trailing carriage returns.
func liveLines(body string) []string {
	var out []string
	var fence string
	inComment := false
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimLeft(line, " ")
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if inComment {
			if strings.Contains(line, "-->") {
				inComment = false
			}
			continue
		}
		switch {
		case strings.HasPrefix(trimmed, "```"), strings.HasPrefix(trimmed, "~~~"):
			fence = trimmed[:3]
			continue
		case strings.HasPrefix(trimmed, "<!--"):
			inComment = !strings.Contains(trimmed, "-->")
			continue
		}
		out = append(out, line)
	}
	return out
}

// matches reports whether an invocation is this command: the name or an
// alias, and arguments the command accepts.
func (c Command) matches(inv Invocation) bool {
	named := strings.EqualFold(inv.Name, c.Name)
	for _, a := range c.Aliases {
		named = named || strings.EqualFold(inv.Name, a)
	}
	if !named {
		return false
	}
	if c.Args == nil {
		return inv.Args == ""
	}
	return c.Args.MatchString(inv.Args)
}

// handlesAction says whether the command runs for a comment action.
func (c Command) handlesAction(a CommentAction) bool {
	if len(c.Actions) == 0 {
		return a == CommentCreated
	}
	for _, x := range c.Actions {
		if x == a {
			return true
		}
	}
	return false
}
