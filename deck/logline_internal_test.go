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
