package yamlconf_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/yamlconf"
)

type level int

func (l *level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "low":
		*l = 1
	case "high":
		*l = 2
	default:
		return os.ErrInvalid
	}
	return nil
}

type Embedded struct {
	Tag string `json:"tag"`
}

type rich struct {
	*Embedded
	I8       int8                        `json:"i8"`
	U        uint                        `json:"u"`
	F32      float32                     `json:"f32"`
	F        float64                     `json:"f"`
	B        bool                        `json:"b"`
	PB       *bool                       `json:"pb"`
	S        string                      `json:"s"`
	PS       *string                     `json:"ps"`
	Level    level                       `json:"level"`
	Levels   map[level]int               `json:"levels"`
	ByNumber map[int]string              `json:"by_number"`
	Pair     [2]string                   `json:"pair"`
	List     []*Embedded                 `json:"list"`
	Dur      metav1.Duration             `json:"dur"`
	PDur     *metav1.Duration            `json:"pdur"`
	Qty      resource.Quantity           `json:"qty"`
	Port     intstr.IntOrString          `json:"port"`
	Any      any                         `json:"any"`
	Nested   map[string]map[string][]int `json:"nested"`
	Bytes    []byte                      `json:"bytes"`
}

// TestDirectDecodingMatchesEncodingJSON holds the direct decoder to the
// long way round (the tree written as JSON and read by encoding/json):
// the same value, and an error exactly when that has one.
func TestDirectDecodingMatchesEncodingJSON(t *testing.T) {
	cases := []struct{ name, yaml string }{
		{"numbers", "i8: 12\nu: 0x10\nf32: 1.5\nf: 1e3\n"},
		{"an int too big for its field", "i8: 300\n"},
		{"a negative unsigned", "u: -1\n"},
		{"a float into an int", "i8: 1.5\n"},
		{"a float written as an int", "f: 3\n"},
		{"YAML 1.1 bools", "b: yes\npb: off\n"},
		{"a quoted bool is a string", "b: 'true'\n"},
		{"null clears pointers and leaves values", "pb: null\nps: ~\nb: null\ns: null\nlist: null\n"},
		{"any scalar is a string", "s: 12\nps: true\n"},
		{"text unmarshalers", "level: high\nlevels: {low: 1, high: 2}\n"},
		{"a bad text value", "level: medium\n"},
		{"number keys", "by_number: {1: a, 22: b}\n"},
		{"a bad number key", "by_number: {x: a}\n"},
		{"arrays", "pair: [a]\n"},
		{"embedded pointers are made", "tag: t\nlist: [{tag: a}, null, {}]\n"},
		{"keys ignore case", "I8: 3\nTAG: x\n"},
		{"types that decode themselves", "dur: 90s\npdur: 1h\nqty: 100m\nport: http\n"},
		{"an int or string as an int", "port: 8080\n"},
		{"a bad duration", "dur: soon\n"},
		{"free values", "any: {a: [1, 2.5, true, null, x]}\nnested: {a: {b: [1, 2]}}\n"},
		{"base64 bytes", "bytes: aGVsbG8=\n"},
		{"anchors and merge keys", "nested: &n {a: {b: [1]}}\nany: &x {k: v}\nlist:\n- &e {tag: one}\n- *e\n- {<<: *e}\n"},
		{"a mapping where a list belongs", "list: {a: 1}\n"},
		{"a list where a string belongs", "s: [a]\n"},
		{"a string where a number belongs", "f: fast\n"},
		{"empty", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var direct, viaJSON rich
			_, derr := yamlconf.Unmarshal("f.yaml", []byte(tc.yaml), &direct)
			jerr := yamlconf.DecodeViaJSON([]byte(tc.yaml), &viaJSON)
			if (derr == nil) != (jerr == nil) {
				t.Fatalf("direct error %v, via JSON %v", derr, jerr)
			}
			if derr == nil && !reflect.DeepEqual(direct, viaJSON) {
				t.Errorf("direct %+v\nvia JSON %+v", direct, viaJSON)
			}
		})
	}
}

// TestDirectDecodingMatchesOnRealConfiguration decodes the Kubernetes
// project's configuration both ways.
func TestDirectDecodingMatchesOnRealConfiguration(t *testing.T) {
	root := filepath.Join("..", "..", "test", "testdata", "test-infra", "config")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		switch filepath.Base(path) {
		case "config.yaml":
			var direct, viaJSON config.Config
			compare(t, path, data, &direct, &viaJSON)
		case "plugins.yaml":
		default:
			var direct, viaJSON config.JobConfig
			compare(t, path, data, &direct, &viaJSON)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("only %d files under %s", n, root)
	}
}

func compare[T any](t *testing.T, path string, data []byte, direct, viaJSON *T) {
	t.Helper()
	if _, err := yamlconf.Unmarshal(path, data, direct); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if err := yamlconf.DecodeViaJSON(data, viaJSON); err != nil {
		t.Fatalf("%s via JSON: %v", path, err)
	}
	if !reflect.DeepEqual(direct, viaJSON) {
		t.Errorf("%s decodes differently", path)
	}
}
