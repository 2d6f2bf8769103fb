package lens_test

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/deck/lens"
)

func fg(i uint8) lens.Color   { return lens.Color{Set: true, Basic: true, Index: i} }
func rgb(v uint32) lens.Color { return lens.Color{Set: true, RGB: v} }

func TestParseANSI(t *testing.T) {
	red := lens.Style{FG: fg(1)}
	tests := []struct {
		name      string
		line      string
		start     lens.Style
		wantSpans []lens.Span
		wantPlain string
		wantEnd   lens.Style
	}{
		{name: "a line without codes has no spans", line: "plain text", wantPlain: "plain text"},
		{name: "red then reset", line: "\x1b[31mERROR\x1b[0m done",
			wantSpans: []lens.Span{{Text: "ERROR", Style: red}, {Text: " done"}}, wantPlain: "ERROR done"},
		{name: "an empty SGR resets", line: "\x1b[1;32mok\x1b[m!",
			wantSpans: []lens.Span{{Text: "ok", Style: lens.Style{Bold: true, FG: fg(2)}}, {Text: "!"}}, wantPlain: "ok!"},
		{name: "faint, italic and underline, then turned off", line: "\x1b[2;3;4ma\x1b[22;23;24mb",
			wantSpans: []lens.Span{{Text: "a", Style: lens.Style{Faint: true, Italic: true, Underline: true}}, {Text: "b"}}, wantPlain: "ab"},
		{name: "bright foreground and background", line: "\x1b[91;104mx",
			wantSpans: []lens.Span{{Text: "x", Style: lens.Style{FG: fg(9), BG: fg(12)}}}, wantPlain: "x", wantEnd: lens.Style{FG: fg(9), BG: fg(12)}},
		{name: "default colors clear one side", line: "\x1b[31;42mx\x1b[39my\x1b[49mz",
			wantSpans: []lens.Span{{Text: "x", Style: lens.Style{FG: fg(1), BG: fg(2)}}, {Text: "y", Style: lens.Style{BG: fg(2)}}, {Text: "z"}}, wantPlain: "xyz"},
		{name: "256 colors: basic, cube and gray", line: "\x1b[38;5;3ma\x1b[38;5;196mb\x1b[48;5;232mc\x1b[0m",
			wantSpans: []lens.Span{{Text: "a", Style: lens.Style{FG: fg(3)}}, {Text: "b", Style: lens.Style{FG: rgb(0xff0000)}}, {Text: "c", Style: lens.Style{FG: rgb(0xff0000), BG: rgb(0x080808)}}}, wantPlain: "abc"},
		{name: "truecolor, with semicolons and colons", line: "\x1b[38;2;10;20;30ma\x1b[48:2:1:2:3mb\x1b[0m",
			wantSpans: []lens.Span{{Text: "a", Style: lens.Style{FG: rgb(0x0a141e)}}, {Text: "b", Style: lens.Style{FG: rgb(0x0a141e), BG: rgb(0x010203)}}}, wantPlain: "ab"},
		{name: "a color carries over from the line before", line: "still red\x1b[0m", start: red,
			wantSpans: []lens.Span{{Text: "still red", Style: red}}, wantPlain: "still red"},
		{name: "a carried color with no codes", line: "more", start: red,
			wantSpans: []lens.Span{{Text: "more", Style: red}}, wantPlain: "more", wantEnd: red},
		{name: "cursor movement and erase are dropped", line: "a\x1b[2K\x1b[1Gb\x1b[?25lc",
			wantSpans: []lens.Span{{Text: "abc"}}, wantPlain: "abc"},
		{name: "an OSC hyperlink is dropped, text kept", line: "\x1b]8;;http://x\x07link\x1b]8;;\x1b\\ end",
			wantSpans: []lens.Span{{Text: "link end"}}, wantPlain: "link end"},
		{name: "charset selection and a lone escape are dropped", line: "\x1b(Bx\x1b",
			wantSpans: []lens.Span{{Text: "x"}}, wantPlain: "x"},
		{name: "unknown and private SGR codes are ignored", line: "\x1b[5;31mblink\x1b[>4;2mX",
			wantSpans: []lens.Span{{Text: "blinkX", Style: red}}, wantPlain: "blinkX", wantEnd: red},
		{name: "a malformed 256-color code sets nothing", line: "\x1b[38;5mx\x1b[38;5;300my",
			wantSpans: []lens.Span{{Text: "xy"}}, wantPlain: "xy"},
		{name: "a broken CSI drops its introducer", line: "\x1b[12\nz",
			wantSpans: []lens.Span{{Text: "\nz"}}, wantPlain: "\nz"},
		{name: "HTML is kept as text for the template to escape", line: "\x1b[31m<b>&</b>",
			wantSpans: []lens.Span{{Text: "<b>&</b>", Style: red}}, wantPlain: "<b>&</b>", wantEnd: red},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spans, plain, end := lens.ParseANSI(tc.line, tc.start)
			if !reflect.DeepEqual(spans, tc.wantSpans) || plain != tc.wantPlain || end != tc.wantEnd {
				t.Errorf("ParseANSI(%q) = %+v, %q, %+v; want %+v, %q, %+v", tc.line, spans, plain, end, tc.wantSpans, tc.wantPlain, tc.wantEnd)
			}
		})
	}
}

func TestStyleClassAndHex(t *testing.T) {
	tests := []struct {
		name          string
		style         lens.Style
		class, fg, bg string
	}{
		{name: "plain", style: lens.Style{}},
		{name: "bold red on blue", style: lens.Style{Bold: true, FG: fg(1), BG: fg(4)}, class: "ansi-b ansi-fg1 ansi-bg4"},
		{name: "every attribute", style: lens.Style{Bold: true, Faint: true, Italic: true, Underline: true, FG: fg(15)}, class: "ansi-b ansi-f ansi-i ansi-u ansi-fg15"},
		{name: "RGB colors are not classes", style: lens.Style{FG: rgb(0xff8800), BG: rgb(0x000001)}, fg: "#ff8800", bg: "#000001"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if c, f, b := tc.style.Class(), tc.style.FG.Hex(), tc.style.BG.Hex(); c != tc.class || f != tc.fg || b != tc.bg {
				t.Errorf("class %q fg %q bg %q; want %q %q %q", c, f, b, tc.class, tc.fg, tc.bg)
			}
		})
	}
}

func TestSplitMatchesErrorsWithoutCodes(t *testing.T) {
	h, err := lens.NewHighlighter([]string{`^ERROR\b`})
	if err != nil {
		t.Fatal(err)
	}
	lines := h.Split("\x1b[31mERROR\x1b[0m: boom\r\n\x1b[32mok\nstill green\x1b[0m\nplain\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines", len(lines))
	}
	if !lines[0].Error || lines[0].Text != "ERROR: boom" {
		t.Errorf("first line %+v", lines[0])
	}
	if lines[2].Spans == nil || lines[2].Spans[0].Style.FG != fg(2) {
		t.Errorf("the green does not carry over: %+v", lines[2])
	}
	if lines[3].Spans != nil || lines[3].Error || lines[3].N != 4 {
		t.Errorf("plain line %+v", lines[3])
	}
}
