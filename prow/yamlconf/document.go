package yamlconf

import yaml "go.yaml.in/yaml/v3"

// Document is a parsed YAML file, kept to find where things are written.
type Document struct {
	root *yaml.Node
}

// Line returns the line where the value at path is written, or 0 when the
// path is not in the file. Each element of path is a mapping key (string)
// or a sequence index (int).
func (d *Document) Line(path ...any) int {
	if d == nil {
		return 0
	}
	n := d.root
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return 0
		}
		n = n.Content[0]
	}
	for _, step := range path {
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		switch s := step.(type) {
		case string:
			n = lookupKey(n, s)
		case int:
			if n.Kind != yaml.SequenceNode || s < 0 || s >= len(n.Content) {
				return 0
			}
			n = n.Content[s]
		default:
			return 0
		}
		if n == nil {
			return 0
		}
	}
	return n.Line
}

// KeyLine returns the line where the key of the mapping entry at path is
// written (where a reader looks for a setting), or 0 when the path is not
// in the file. path ends with a key.
func (d *Document) KeyLine(path ...any) int {
	if len(path) == 0 {
		return 0
	}
	last, ok := path[len(path)-1].(string)
	if !ok || d.Line(path...) == 0 {
		return 0
	}
	parent := d.root
	if parent.Kind == yaml.DocumentNode {
		parent = parent.Content[0]
	}
	for _, step := range path[:len(path)-1] {
		for parent.Kind == yaml.AliasNode {
			parent = parent.Alias
		}
		switch s := step.(type) {
		case string:
			parent = lookupKey(parent, s)
		case int:
			parent = parent.Content[s]
		}
	}
	for parent.Kind == yaml.AliasNode {
		parent = parent.Alias
	}
	if k := lookupKeyNode(parent, last); k != nil {
		return k.Line
	}
	return 0
}

func lookupKey(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// lookupKeyNode is the key node of key in mapping n, or nil.
func lookupKeyNode(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return nil
}
