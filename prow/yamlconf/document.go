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
