package yamlconf

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Decoder decodes YAML files into Go values. It caches what it learns about
// Go types, so reuse one for many files; it is safe for concurrent use.
type Decoder struct {
	types typeCache
}

// Unmarshal decodes data, the contents of file, into out (a pointer), using
// a fresh Decoder. See Decoder.Unmarshal.
func Unmarshal(file string, data []byte, out any) ([]Problem, error) {
	var d Decoder
	return d.Unmarshal(file, data, out)
}

// Unmarshal decodes data, the contents of file, into out, which must be a
// non-nil pointer. Fields are matched by their JSON names. It returns the
// fields of the file that out's type does not have (decoding goes on without
// them) and an error, a Problem naming the file and line, when the file is
// not valid YAML or a value does not fit its field. An empty file leaves out
// untouched.
func (d *Decoder) Unmarshal(file string, data []byte, out any) ([]Problem, error) {
	_, unknown, err := d.Decode(file, data, out)
	return unknown, err
}

// Decode is Unmarshal that also returns the parsed Document, for callers
// that want to locate things in the file afterwards.
func (d *Decoder) Decode(file string, data []byte, out any) (*Document, []Problem, error) {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, nil, fmt.Errorf("decode %s: need a non-nil pointer, got %T", file, out)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, syntaxProblem(file, err)
	}
	doc := &Document{root: &root}
	if root.Kind == 0 || (root.Kind == yaml.DocumentNode && len(root.Content) == 0) {
		return doc, nil, nil
	}
	c := converter{file: file, types: &d.types, limit: 64*len(data) + 1<<20}
	c.decode(&root, rv.Elem())
	if c.err != nil {
		return nil, c.unknown, *c.err
	}
	return doc, c.unknown, nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// syntaxProblem turns a YAML parser error into a Problem with a line.
func syntaxProblem(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		if strings.HasPrefix(m[2], "did not find expected") {
			// The parser reports these at the zero-based line of the
			// construct it was reading; make it one-based like the rest.
			line++
		}
		return Problem{File: file, Line: line, Message: "invalid YAML: " + m[2]}
	}
	return Problem{File: file, Message: "invalid YAML: " + msg}
}
