package yamlconf

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

type inner struct {
	Bucket string `json:"bucket,omitempty"`
	Depth  int    `json:"depth,omitempty"`
}

type Base struct {
	Name string `json:"name"`
}

type sample struct {
	Base     `json:",inline"`
	Version  string            `json:"version,omitempty"`
	Enabled  bool              `json:"enabled,omitempty"`
	Count    int               `json:"count,omitempty"`
	Inner    *inner            `json:"inner,omitempty"`
	Items    []inner           `json:"items,omitempty"`
	Labels   map[string]string `json:"labels,omitempty"`
	Free     json.RawMessage   `json:"free,omitempty"`
	Anything map[string]any    `json:"anything,omitempty"`
}

func TestUnmarshalDecodesByTargetType(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want sample
	}{
		{"a number for a string field keeps its text", "version: 1.10", sample{Version: "1.10"}},
		{"yes is true for a bool field", "enabled: yes", sample{Enabled: true}},
		{"off is false for a bool field", "enabled: off", sample{}},
		{"yes stays text in a string map", "labels: {a: yes, b: 007}", sample{Labels: map[string]string{"a": "yes", "b": "007"}}},
		{"embedded struct fields are promoted", "name: job", sample{Base: Base{Name: "job"}}},
		{"hex ints become numbers", "count: 0x10", sample{Count: 16}},
		{"keys match case-insensitively like encoding/json", "Count: 3", sample{Count: 3}},
		{"merge keys fill what is not written", "base: &b {bucket: x, depth: 2}\ninner:\n  <<: *b\n  depth: 5", sample{Inner: &inner{Bucket: "x", Depth: 5}}},
		{"a list of merges gives the first precedence", "a: &a {bucket: a}\nb: &b {bucket: b, depth: 1}\ninner:\n  <<: [*a, *b]", sample{Inner: &inner{Bucket: "a", Depth: 1}}},
		{"aliases expand", "x: &x {bucket: q}\nitems: [*x, *x]", sample{Items: []inner{{Bucket: "q"}, {Bucket: "q"}}}},
		{"control characters are escaped", "name: \"a\\tb\\u0001\\\"\"", sample{Base: Base{Name: "a\tb\x01\""}}},
		{"free-form values pass through", "free: {a: [1, true, null]}", sample{Free: json.RawMessage(`{"a":[1,true,null]}`)}},
		{"an empty file leaves the value alone", "", sample{}},
		{"a comment-only file leaves the value alone", "# nothing\n", sample{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got sample
			_, err := Unmarshal("f.yaml", []byte(tc.yaml), &got)
			if err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestUnmarshalReportsUnknownFieldsWithLines(t *testing.T) {
	data := "name: a\nbogus: 1\ninner:\n  bucket: b\n  color: red\nitems:\n- depth: 1\n- deepth: 2\nlabels: {free: form}\nanything: {any: thing}\n"
	var got sample
	unknown, err := Unmarshal("jobs/x.yaml", []byte(data), &got)
	if err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	want := []string{
		`jobs/x.yaml:2: unknown field "bogus" at the top level`,
		`jobs/x.yaml:5: unknown field "color" in inner`,
		`jobs/x.yaml:8: unknown field "deepth" in items[1]`,
	}
	var gotText []string
	for _, p := range unknown {
		gotText = append(gotText, p.String())
	}
	if !reflect.DeepEqual(gotText, want) {
		t.Errorf("unknown fields:\n got %q\nwant %q", gotText, want)
	}
	if got.Name != "a" || got.Inner.Bucket != "b" || got.Items[0].Depth != 1 {
		t.Errorf("known fields were not decoded: %+v", got)
	}
}

func TestUnmarshalErrorsNameFileAndLine(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want string
	}{
		{"syntax error", "name: a\ninner: [\n", "f.yaml:3: invalid YAML"},
		{"an unclosed flow list", "a: 1\nb: [1,\nc: 2\n", "f.yaml:2: invalid YAML"},
		{"a list item among keys", "a:\n  - x\n  y: 1\n", "f.yaml:2: invalid YAML"},
		{"bad indentation", "name: a\n  count: 1\n", "f.yaml:2: invalid YAML"},
		{"duplicate key", "name: a\ncount: 1\nname: b\n", `f.yaml:3: key "name" is written twice in one mapping (first at line 1)`},
		{"wrong type", "name: a\ninner:\n  depth: deep\n", "f.yaml:3: field inner.depth: cannot use a string as int"},
		{"quoted yes is not a bool", "enabled: 'yes'\n", "f.yaml:1: field enabled: cannot use a string as bool"},
		{"list where a map belongs", "labels:\n- a\n", "f.yaml:2: field labels: cannot use a array"},
		{"collection as a key", "? [a]\n: b\n", "f.yaml:1: mapping keys must be plain values"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got sample
			_, err := Unmarshal("f.yaml", []byte(tc.yaml), &got)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error %v, want prefix %q", err, tc.want)
			}
		})
	}
}

func TestUnmarshalStopsAliasBombs(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a [x,x,x,x,x,x,x,x,x,x]\n")
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g"} {
		b.WriteString(name + ": &" + name + " [" + strings.Repeat("*"+prev+",", 9) + "*" + prev + "]\n")
		prev = name
	}
	var out map[string]any
	_, err := Unmarshal("f.yaml", []byte(b.String()), &out)
	if err == nil || !strings.Contains(err.Error(), "aliases expand to more than") {
		t.Fatalf("error %v, want an alias expansion limit", err)
	}
}

func TestUnmarshalNeedsAPointer(t *testing.T) {
	if _, err := Unmarshal("f", []byte("a: 1"), sample{}); err == nil {
		t.Fatal("want an error for a non-pointer")
	}
}

// lineCase is a path into a document and the line wanted for it.
type lineCase struct {
	name string
	path []any
	want int
}

// checkLines decodes data and checks what line (Line or KeyLine, named
// what) says of each case's path.
func checkLines(t *testing.T, file, data, what string, line func(*Document, ...any) int, cases []lineCase) {
	t.Helper()
	var out map[string]any
	doc, _, err := new(Decoder).Decode(file, []byte(data), &out)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := line(doc, tc.path...); got != tc.want {
				t.Errorf("%s(%v) = %d, want %d", what, tc.path, got, tc.want)
			}
		})
	}
}

func TestDocumentLine(t *testing.T) {
	data := "presubmits:\n  org/repo:\n  - name: a\n  - name: b\n    always_run: true\n"
	checkLines(t, "f", data, "Line", (*Document).Line, []lineCase{
		{"the first list entry", []any{"presubmits", "org/repo", 0}, 3},
		{"the second list entry", []any{"presubmits", "org/repo", 1}, 4},
		{"a key inside a list entry", []any{"presubmits", "org/repo", 1, "always_run"}, 5},
		{"a missing key is line 0", []any{"presubmits", "missing"}, 0},
		{"an index past the list is line 0", []any{"presubmits", "org/repo", 9}, 0},
	})
}

func FuzzUnmarshal(f *testing.F) {
	for _, seed := range []string{"name: a", "a: &a {b: 1}\nc:\n  <<: *a", "items: [{depth: 1}]", "x: [\n", "? a\n: b"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Decoding never panics, and stores what encoding/json would.
		var direct, viaJSON sample
		_, derr := Unmarshal("fuzz.yaml", data, &direct)
		jerr := DecodeViaJSON(data, &viaJSON)
		if (derr == nil) != (jerr == nil) {
			t.Fatalf("direct error %v, via JSON %v", derr, jerr)
		}
		if derr == nil && !reflect.DeepEqual(direct, viaJSON) {
			t.Fatalf("direct %+v, via JSON %+v", direct, viaJSON)
		}
		var m map[string]any
		_, _ = Unmarshal("fuzz.yaml", data, &m)
	})
}

func TestKeyLineIsWhereTheKeyIsWritten(t *testing.T) {
	data := "a:\n  b:\n    c: 1\n  list:\n  - x: 2\nd: &anchor\n  e: 3\nf: *anchor\n"
	checkLines(t, "f.yaml", data, "KeyLine", (*Document).KeyLine, []lineCase{
		{"a top-level key", []any{"a"}, 1},
		{"a nested key", []any{"a", "b"}, 2},
		{"a key two levels down", []any{"a", "b", "c"}, 3},
		{"a key in a list entry", []any{"a", "list", 0, "x"}, 5},
		{"a key reached through an alias is where the anchor wrote it", []any{"f", "e"}, 7},
		{"a missing key is line 0", []any{"a", "missing"}, 0},
		{"an index past the list is line 0", []any{"a", "list", 3, "x"}, 0},
		{"a list entry has no key line", []any{"a", "list", 0}, 0},
		{"an empty path is line 0", nil, 0},
	})
}

type chain struct {
	Next *chain `json:"next"`
}

func TestUnmarshalStopsDeepNesting(t *testing.T) {
	deep := strings.Repeat("[", 1100) + strings.Repeat("]", 1100)
	nested := strings.Repeat("{next: ", 1100) + "null" + strings.Repeat("}", 1100)
	cases := []struct {
		name string
		yaml string
		out  any
	}{
		{"free-form values", "a: " + deep + "\n", &map[string]any{}},
		{"typed values", "next: " + nested + "\n", &chain{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Unmarshal("f.yaml", []byte(tc.yaml), tc.out)
			if err == nil || !strings.Contains(err.Error(), "nesting deeper than") {
				t.Fatalf("error %v, want a nesting limit", err)
			}
		})
	}
}
