package plugins

import (
	"reflect"
	"regexp"
	"testing"
)

func TestParseCommands(t *testing.T) {
	cases := []struct {
		name string
		body string
		want []Invocation
	}{
		{"a bare command", "/lgtm", []Invocation{{Name: "lgtm", Line: "/lgtm"}}},
		{"arguments are trimmed", "/assign  @alice @bob  ", []Invocation{{Name: "assign", Args: "@alice @bob", Line: "/assign  @alice @bob  "}}},
		{"names are lower-cased", "/LGTM", []Invocation{{Name: "lgtm", Line: "/LGTM"}}},
		{"several lines", "looks good\n/lgtm\n/approve\r\n", []Invocation{{Name: "lgtm", Line: "/lgtm"}, {Name: "approve", Line: "/approve"}}},
		{"text before the slash is not a command", "please /lgtm", nil},
		{"an indented command is not a command", "  /lgtm", nil},
		{"quoted commands are ignored", "> /lgtm\nI agree", nil},
		{"commands in fenced code are ignored", "```\n/lgtm\n```\n/hold", []Invocation{{Name: "hold", Line: "/hold"}}},
		{"commands in tilde fences are ignored", "~~~sh\n/approve\n~~~", nil},
		{"commands in HTML comments are ignored", "<!--\n/lgtm\n-->\n<!-- /hold -->", nil},
		{"a path is not a command", "/usr/bin/env", nil},
		{"hyphenated names", "/remove-lgtm", []Invocation{{Name: "remove-lgtm", Line: "/remove-lgtm"}}},
		{"an unclosed fence hides the rest", "```\n/lgtm", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ParseCommands(tc.body); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseCommands(%q) = %+v, want %+v", tc.body, got, tc.want)
			}
		})
	}
}

func TestCommandText(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"plain lines are kept", "please\n@bot run bench", "please\n@bot run bench"},
		{"quoted lines are dropped", "> /test all\nok", "ok"},
		{"fenced code is dropped", "```\n/bench\n```\n/retest", "/retest"},
		{"html comments are dropped", "<!--\n/bench\n-->\n/bench", "/bench"},
		{"carriage returns are trimmed", "/bench\r\n", "/bench\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CommandText(tc.body); got != tc.want {
				t.Errorf("CommandText(%q) = %q, want %q", tc.body, got, tc.want)
			}
		})
	}
}

func TestCommandMatches(t *testing.T) {
	lgtm := Command{Name: "lgtm", Args: regexp.MustCompile(`^(cancel|no-issue)?$`), Aliases: []string{"remove-lgtm"}}
	hold := Command{Name: "hold"}
	cases := []struct {
		name string
		cmd  Command
		inv  Invocation
		want bool
	}{
		{"the name", lgtm, Invocation{Name: "lgtm"}, true},
		{"an alias", lgtm, Invocation{Name: "remove-lgtm"}, true},
		{"accepted args", lgtm, Invocation{Name: "lgtm", Args: "cancel"}, true},
		{"other args", lgtm, Invocation{Name: "lgtm", Args: "please"}, false},
		{"another command", lgtm, Invocation{Name: "lgtm2"}, false},
		{"no args declared takes none", hold, Invocation{Name: "hold", Args: "x"}, false},
		{"no args declared, none given", hold, Invocation{Name: "hold"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cmd.matches(tc.inv); got != tc.want {
				t.Errorf("matches = %v, want %v", got, tc.want)
			}
		})
	}
}

func FuzzParseCommands(f *testing.F) {
	for _, seed := range []string{"/lgtm", "```\n/x\n```", "<!-- /a -->\n/b c", "> /q", "/assign @a\r\n/cc"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, inv := range ParseCommands(body) {
			if inv.Name == "" || inv.Line == "" || inv.Line[0] != '/' {
				t.Fatalf("bad invocation %+v from %q", inv, body)
			}
		}
	})
}
