package yamlconf

import (
	"encoding/json"
	"reflect"

	yaml "go.yaml.in/yaml/v3"
)

// DecodeViaJSON decodes data into out the long way: the whole tree
// written as JSON, then read by encoding/json. Tests hold the direct
// decoder to it.
func DecodeViaJSON(data []byte, out any) error {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return err
	}
	if root.Kind == 0 {
		return nil
	}
	var types typeCache
	c := converter{file: "f", types: &types, limit: 64*len(data) + 1<<20}
	c.value(&root, reflect.TypeOf(out).Elem())
	if c.err != nil {
		return *c.err
	}
	return json.Unmarshal(c.buf, out)
}
