package lens

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/prowbot/prow/prow/storage"
)

// DefaultErrorPatterns mark a log line as an error line unless the
// configuration names others.
var DefaultErrorPatterns = []string{
	`(?i)\b(error|errors occurred|failed|failure|panic|fatal)\b`,
	`\bFAIL\b`,
	`(?i)timed out`,
	`^E\d{4} \d\d:\d\d:\d\d`,
}

// Highlighter tells error lines from the others.
type Highlighter struct {
	res []*regexp.Regexp
}

// NewHighlighter compiles patterns (DefaultErrorPatterns when empty).
func NewHighlighter(patterns []string) (*Highlighter, error) {
	if len(patterns) == 0 {
		patterns = DefaultErrorPatterns
	}
	h := &Highlighter{}
	for _, p := range patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("compile highlight pattern %q: %w", p, err)
		}
		h.res = append(h.res, re)
	}
	return h, nil
}

// IsError says whether a line is an error line.
func (h *Highlighter) IsError(line string) bool {
	for _, re := range h.res {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

// Matches are the byte ranges of line the patterns match, sorted and
// merged, and whether any pattern matched (an empty match marks an error
// line but has nothing to highlight).
func (h *Highlighter) Matches(line string) (ranges [][2]int, matched bool) {
	for _, re := range h.res {
		for _, m := range re.FindAllStringIndex(line, -1) {
			matched = true
			if m[1] > m[0] {
				ranges = append(ranges, [2]int{m[0], m[1]})
			}
		}
	}
	return mergeRanges(ranges), matched
}

func mergeRanges(r [][2]int) [][2]int {
	if len(r) < 2 {
		return r
	}
	slices.SortFunc(r, func(a, b [2]int) int { return a[0] - b[0] })
	out := r[:1]
	for _, x := range r[1:] {
		if last := &out[len(out)-1]; x[0] <= last[1] {
			last[1] = max(last[1], x[1])
		} else {
			out = append(out, x)
		}
	}
	return out
}

// Patterns are the source of the highlighter's expressions, for the
// page's script to mark the lines it appends.
func (h *Highlighter) Patterns() []string {
	out := make([]string, len(h.res))
	for i, re := range h.res {
		out[i] = re.String()
	}
	return out
}

// Line is one line of a log.
type Line struct {
	// Text is the line without its escape codes: what error patterns
	// match and what is shown when Spans is nil.
	Text string
	// Spans are the line's styled runs when it has color codes or a
	// color carries over from the line before.
	Spans []Span
	Error bool
	// Marks are the byte ranges of Text the error patterns matched, for
	// the page to highlight.
	Marks [][2]int
	// N is the line's number in the text Split cut, from 1.
	N int
}

// Group is a run of lines shown together; a Folded group is a long quiet
// stretch the page collapses.
type Group struct {
	Lines  []Line
	Folded bool
}

// Tail is the end of a log: the bytes from Start to Size, cut at a line
// start.
type Tail struct {
	// Size of the whole log in bytes.
	Size int64
	// Start is the offset of the first byte shown; 0 when the whole log
	// is shown.
	Start int64
	Text  string
}

// ReadTail reads at most limit bytes from the end of a log (by range, so
// the rest is never read) and drops a partial first line.
func ReadTail(ctx context.Context, b storage.Bucket, name string, limit int64) (Tail, error) {
	attrs, err := b.Attributes(ctx, name)
	if err != nil {
		return Tail{}, fmt.Errorf("build log %s: %w", name, err)
	}
	t := Tail{Size: attrs.Size}
	if attrs.Size == 0 {
		return t, nil
	}
	t.Start = max(0, attrs.Size-limit)
	data, err := ReadRange(ctx, b, name, t.Start, attrs.Size-t.Start)
	if err != nil {
		return Tail{}, err
	}
	if t.Start > 0 {
		if i := strings.IndexByte(data, '\n'); i >= 0 && i+1 < len(data) {
			data = data[i+1:]
			t.Start += int64(i + 1)
		}
	}
	t.Text = data
	return t, nil
}

// ReadRange reads length bytes of an object from offset.
func ReadRange(ctx context.Context, b storage.Bucket, name string, offset, length int64) (string, error) {
	rc, err := b.ReadRange(ctx, name, offset, length)
	if err != nil {
		return "", fmt.Errorf("read %s from %d: %w", name, offset, err)
	}
	defer rc.Close()
	var sb strings.Builder
	sb.Grow(int(length))
	if _, err := io.Copy(&sb, io.LimitReader(rc, length)); err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read %s from %d: %w", name, offset, err)
	}
	return sb.String(), nil
}

// Split cuts text into lines, renders their ANSI color codes (a style
// carries over from line to line) and marks the error lines by their
// text without the codes.
func (h *Highlighter) Split(text string) []Line {
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil
	}
	raw := strings.Split(text, "\n")
	lines := make([]Line, len(raw))
	var st Style
	for i, l := range raw {
		spans, plain, end := ParseANSI(strings.TrimSuffix(l, "\r"), st)
		st = end
		marks, isErr := h.Matches(plain)
		lines[i] = Line{Text: plain, Spans: spans, Error: isErr, Marks: marks, N: i + 1}
	}
	return lines
}

// Fold groups lines so that stretches of more than minFold lines that are
// further than context lines from any error line are folded. The last
// context lines always stay open: the end of a log is what people read.
func Fold(lines []Line, context, minFold int) []Group {
	keep := make([]bool, len(lines))
	for i, l := range lines {
		if l.Error {
			for j := max(0, i-context); j <= min(len(lines)-1, i+context); j++ {
				keep[j] = true
			}
		}
	}
	for j := max(0, len(lines)-context); j < len(lines); j++ {
		keep[j] = true
	}
	var groups []Group
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && keep[j] == keep[i] {
			j++
		}
		folded := !keep[i] && j-i >= minFold
		if n := len(groups); n > 0 && !folded && !groups[n-1].Folded {
			groups[n-1].Lines = append(groups[n-1].Lines, lines[i:j]...)
		} else {
			groups = append(groups, Group{Lines: lines[i:j], Folded: folded})
		}
		i = j
	}
	return groups
}
