package deck

import (
	"testing"

	"github.com/prowbot/prow/deck/lens"
)

func TestLogLineHTML(t *testing.T) {
	h, err := lens.NewHighlighter(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, line, want string
	}{
		{"plain text is escaped", `a <b> & "c" 'd'`, `a &lt;b&gt; &amp; &#34;c&#34; &#39;d&#39;`},
		{"a basic color is a class", "\x1b[1;31m<x>\x1b[0m!", `<span class="ansi-b ansi-fg1">&lt;x&gt;</span>!`},
		{"other colors are data for the script", "\x1b[38;5;208;48;2;1;2;3mo\x1b[0m", `<span data-fg="#ff8700" data-bg="#010203">o</span>`},
		{"an unknown sequence leaves nothing", "\x1b[2J\x1b]0;title\x07x", `x`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(logLineHTML(h.Split(tc.line)[0])); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestLogLineMarks checks that what the error patterns match is in
// <mark class="hl">, escaped, and cut at the edges of ANSI spans.
func TestLogLineMarks(t *testing.T) {
	def, err := lens.NewHighlighter(nil)
	if err != nil {
		t.Fatal(err)
	}
	overlap, err := lens.NewHighlighter([]string{`a<b`, `<bc`, `e$`})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		h     *lens.Highlighter
		line  string
		want  string
		isErr bool
	}{
		{"a quiet line has no mark", def, "all <good>", `all &lt;good&gt;`, false},
		{"the match is marked and the rest escaped", def, `x <error> & "y"`, `x &lt;<mark class="hl">error</mark>&gt; &amp; &#34;y&#34;`, true},
		{"every match is marked", def, "E0101 12:00:00 FAIL: timed out", `<mark class="hl">E0101 12:00:00</mark> <mark class="hl">FAIL</mark>: <mark class="hl">timed out</mark>`, true},
		{"a mark inside a span", def, "\x1b[1mbuild <failed> now\x1b[0m", `<span class="ansi-b">build &lt;<mark class="hl">failed</mark>&gt; now</span>`, true},
		{"a match across spans is cut at their edges", def, "\x1b[31mERR\x1b[0mOR: boom", `<span class="ansi-fg1"><mark class="hl">ERR</mark></span><mark class="hl">OR</mark>: boom`, true},
		{"a match across three spans", def, "pa\x1b[32mni\x1b[38;5;208mc\x1b[0m!", `<mark class="hl">pa</mark><span class="ansi-fg2"><mark class="hl">ni</mark></span><span data-fg="#ff8700"><mark class="hl">c</mark></span>!`, true},
		{"overlapping matches are one mark", overlap, "xa<bcd e", `x<mark class="hl">a&lt;bc</mark>d <mark class="hl">e</mark>`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.h.Split(tc.line)[0]
			if l.Error != tc.isErr {
				t.Errorf("error line %v, want %v", l.Error, tc.isErr)
			}
			if got := string(logLineHTML(l)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
