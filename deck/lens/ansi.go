package lens

import (
	"fmt"
	"strconv"
	"strings"
)

// Color is a text or background color set by an SGR code: one of the
// 16 basic colors (Basic 0–15, drawn with CSS classes) or a 24-bit RGB
// value (from the 256-color and truecolor forms).
type Color struct {
	Set   bool
	Basic bool
	Index uint8
	RGB   uint32
}

// Hex is an RGB color as #rrggbb ("" for none or a basic color).
func (c Color) Hex() string {
	if !c.Set || c.Basic {
		return ""
	}
	return fmt.Sprintf("#%06x", c.RGB&0xffffff)
}

// Style is the SGR state a span of text is drawn in.
type Style struct {
	Bold, Faint, Italic, Underline bool
	FG, BG                         Color
}

// Class is the CSS classes of the style: ansi-b, ansi-f, ansi-i, ansi-u,
// ansi-fgN and ansi-bgN for the 16 basic colors.
func (s Style) Class() string {
	var c []string
	for _, f := range []struct {
		on  bool
		cls string
	}{{s.Bold, "ansi-b"}, {s.Faint, "ansi-f"}, {s.Italic, "ansi-i"}, {s.Underline, "ansi-u"}} {
		if f.on {
			c = append(c, f.cls)
		}
	}
	if s.FG.Set && s.FG.Basic {
		c = append(c, "ansi-fg"+strconv.Itoa(int(s.FG.Index)))
	}
	if s.BG.Set && s.BG.Basic {
		c = append(c, "ansi-bg"+strconv.Itoa(int(s.BG.Index)))
	}
	return strings.Join(c, " ")
}

// Span is a run of text in one style.
type Span struct {
	Text  string
	Style Style
}

// Plain says whether the span is drawn in the default style.
func (s Span) Plain() bool { return s.Style == Style{} }

// ParseANSI splits a line into styled spans, starting in style st, and
// returns the style in force at its end (colors carry over to the next
// line as in a terminal). SGR codes set the style; every other escape
// sequence is dropped. Spans is nil when the line has no escape codes.
func ParseANSI(line string, st Style) (spans []Span, plain string, end Style) {
	if strings.IndexByte(line, 0x1b) < 0 {
		if st == (Style{}) {
			return nil, line, st
		}
		return []Span{{Text: line, Style: st}}, line, st
	}
	var text strings.Builder
	text.Grow(len(line))
	emit := func(s string) {
		if s == "" {
			return
		}
		text.WriteString(s)
		if n := len(spans); n > 0 && spans[n-1].Style == st {
			spans[n-1].Text += s
			return
		}
		spans = append(spans, Span{Text: s, Style: st})
	}
	for line != "" {
		i := strings.IndexByte(line, 0x1b)
		if i < 0 {
			emit(line)
			break
		}
		emit(line[:i])
		var params string
		var isSGR bool
		params, isSGR, line = escape(line[i:])
		if isSGR {
			st = applySGR(st, params)
		}
	}
	return spans, text.String(), st
}

// escape reads the escape sequence at the start of s (which begins with
// ESC) and returns the parameters of an SGR sequence, whether it is one,
// and what follows the sequence.
func escape(s string) (params string, sgr bool, rest string) {
	if len(s) < 2 {
		return "", false, ""
	}
	switch s[1] {
	case '[':
		return csi(s)
	case ']', 'P', '_', '^', 'X': // OSC and other strings, to BEL or ST.
		return "", false, stringEnd(s)
	default: // A two-byte sequence (or one with intermediates).
		j := 1
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		return "", false, s[min(j+1, len(s)):]
	}
}

// stringEnd is what follows a control string (OSC and the like), which
// ends at BEL or ST (ESC and a backslash); an unterminated one runs to the end.
func stringEnd(s string) string {
	for j := 2; j < len(s); j++ {
		if s[j] == 0x07 {
			return s[j+1:]
		}
		if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
			return s[j+2:]
		}
	}
	return ""
}

// csi reads a control sequence: parameters and intermediates, then a
// final byte. A malformed one loses its introducer and parameters.
func csi(s string) (params string, sgr bool, rest string) {
	for j := 2; j < len(s); j++ {
		c := s[j]
		if c >= 0x40 && c <= 0x7e {
			return s[2:j], c == 'm', s[j+1:]
		}
		if c < 0x20 || c > 0x3f {
			return "", false, s[j:]
		}
	}
	return "", false, ""
}

// applySGR applies the codes of one SGR sequence (";" or ":" separated;
// empty means 0). Unknown codes are ignored.
func applySGR(st Style, params string) Style {
	codes := strings.FieldsFunc(params, func(r rune) bool { return r == ';' || r == ':' })
	if params == "" || strings.HasPrefix(params, ";") {
		codes = append([]string{"0"}, codes...)
	}
	nums := make([]int, len(codes))
	for i, c := range codes {
		n, err := strconv.Atoi(c)
		if err != nil {
			return st // a private or malformed sequence: drop it
		}
		nums[i] = n
	}
	for i := 0; i < len(nums); i++ {
		n := nums[i]
		if n != 38 && n != 48 {
			st = simpleSGR(st, n)
			continue
		}
		c, used := extendedColor(nums[i+1:])
		i += used
		if n == 38 {
			st.FG = c
		} else {
			st.BG = c
		}
	}
	return st
}

// simpleSGR applies one code that takes no arguments.
func simpleSGR(st Style, n int) Style {
	switch n {
	case 0:
		st = Style{}
	case 1:
		st.Bold = true
	case 2:
		st.Faint = true
	case 3:
		st.Italic = true
	case 4:
		st.Underline = true
	case 22:
		st.Bold, st.Faint = false, false
	case 23:
		st.Italic = false
	case 24:
		st.Underline = false
	case 39:
		st.FG = Color{}
	case 49:
		st.BG = Color{}
	default:
		st = basicSGR(st, n)
	}
	return st
}

// basicSGR applies a code that sets one of the 16 colors.
func basicSGR(st Style, n int) Style {
	switch {
	case n >= 30 && n <= 37:
		st.FG = basic(n - 30)
	case n >= 40 && n <= 47:
		st.BG = basic(n - 40)
	case n >= 90 && n <= 97:
		st.FG = basic(n - 90 + 8)
	case n >= 100 && n <= 107:
		st.BG = basic(n - 100 + 8)
	}
	return st
}

func basic(i int) Color { return Color{Set: true, Basic: true, Index: uint8(i)} }

// extendedColor reads the arguments after 38 or 48: 5;N (256 colors) or
// 2;R;G;B (truecolor). It returns the color (unset when malformed) and
// how many arguments it used.
func extendedColor(args []int) (Color, int) {
	if len(args) == 0 {
		return Color{}, 0
	}
	switch args[0] {
	case 5:
		if len(args) < 2 || args[1] < 0 || args[1] > 255 {
			return Color{}, len(args)
		}
		return Palette256(args[1]), 2
	case 2:
		if len(args) < 4 {
			return Color{}, len(args)
		}
		rgb := uint32(0)
		for _, v := range args[1:4] {
			rgb = rgb<<8 | uint32(min(max(v, 0), 255))
		}
		return Color{Set: true, RGB: rgb}, 4
	}
	return Color{}, len(args)
}

// Palette256 is color n of the xterm 256-color palette: the 16 basic
// colors, a 6×6×6 cube and 24 grays.
func Palette256(n int) Color {
	switch {
	case n < 16:
		return basic(n)
	case n < 232:
		n -= 16
		level := func(v int) uint32 {
			if v == 0 {
				return 0
			}
			return uint32(55 + 40*v)
		}
		return Color{Set: true, RGB: level(n/36)<<16 | level(n/6%6)<<8 | level(n%6)}
	default:
		g := uint32(8 + 10*(n-232))
		return Color{Set: true, RGB: g<<16 | g<<8 | g}
	}
}
