package yamlconf

import (
	"reflect"
	"strconv"

	yaml "go.yaml.in/yaml/v3"
)

// converter decodes one YAML tree into Go values (decode, in direct.go),
// writing as JSON (value) the parts whose types decode themselves, and
// notes unknown fields on the way.
type converter struct {
	file    string
	types   *typeCache
	buf     []byte
	path    []string
	fields  []string // the struct fields leading to the value being decoded
	spent   int      // bytes of values decoded so far, aliases expanded
	unknown []Problem
	seen    map[Problem]bool
	err     *Problem
	depth   int
	limit   int // the most JSON bytes this document may expand to
}

// maxDepth bounds nesting (including alias expansion) so hostile input
// cannot exhaust the stack.
const maxDepth = 1000

func (c *converter) fail(n *yaml.Node, format string, args ...any) {
	if c.err == nil {
		p := Errorf(c.file, n.Line, format, args...)
		c.err = &p
	}
}

// enter starts on node n, at most size bytes once decoded: false when
// decoding has failed or must stop here (too deep, or aliases expanding
// past the limit). Call leave when enter returns true.
func (c *converter) enter(n *yaml.Node, size int) bool {
	if c.err != nil {
		return false
	}
	if c.depth >= maxDepth {
		c.fail(n, "nesting deeper than %d levels", maxDepth)
		return false
	}
	if c.spent+size > c.limit {
		c.fail(n, "aliases expand to more than %d bytes", c.limit)
		return false
	}
	c.depth++
	return true
}

func (c *converter) leave() { c.depth-- }

func (c *converter) value(n *yaml.Node, t reflect.Type) {
	if !c.enter(n, len(c.buf)) {
		return
	}
	defer c.leave()
	ti := c.types.info(t)
	switch n.Kind {
	case yaml.AliasNode:
		c.value(n.Alias, t)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			c.buf = append(c.buf, "null"...)
			return
		}
		c.value(n.Content[0], t)
	case yaml.MappingNode:
		c.mapping(n, ti)
	case yaml.SequenceNode:
		var elem reflect.Type
		if ti.shape == shapeSlice {
			elem = ti.elem
		}
		c.buf = append(c.buf, '[')
		for i, item := range n.Content {
			if i > 0 {
				c.buf = append(c.buf, ',')
			}
			c.path = append(c.path, "["+strconv.Itoa(i)+"]")
			c.value(item, elem)
			c.path = c.path[:len(c.path)-1]
		}
		c.buf = append(c.buf, ']')
	case yaml.ScalarNode:
		c.scalar(n, ti.shape)
	default:
		c.fail(n, "unsupported YAML node")
	}
}

// pair is one key and value of a mapping after merge keys are resolved.
type pair struct {
	key   *yaml.Node
	value *yaml.Node
}

func (c *converter) mapping(n *yaml.Node, ti *typeInfo) {
	pairs := c.pairs(n, 0)
	if c.err != nil {
		return
	}
	c.buf = append(c.buf, '{')
	first := true
	for _, p := range pairs {
		key := p.key.Value
		var vt reflect.Type
		switch ti.shape {
		case shapeStruct:
			ft, ok := ti.field(key)
			if !ok {
				c.unknownField(p.key)
				continue
			}
			vt = ft
		case shapeMap:
			vt = ti.elem
		}
		if !first {
			c.buf = append(c.buf, ',')
		}
		first = false
		c.buf = appendJSONString(c.buf, key)
		c.buf = append(c.buf, ':')
		c.path = append(c.path, key)
		c.value(p.value, vt)
		c.path = c.path[:len(c.path)-1]
	}
	c.buf = append(c.buf, '}')
}

// pairs lists a mapping's entries with merge keys (<<) resolved: explicit
// keys override merged ones, and earlier merged maps override later ones.
// A key written twice in the same mapping is an error.
func (c *converter) pairs(n *yaml.Node, depth int) []pair {
	if depth > maxDepth {
		c.fail(n, "merge keys nested deeper than %d levels", maxDepth)
		return nil
	}
	var merged [][]pair
	out := make([]pair, 0, len(n.Content)/2)
	index := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			c.fail(k, "mapping keys must be plain values, not collections")
			return nil
		}
		if k.ShortTag() == "!!merge" {
			merged = append(merged, c.mergeSources(v, depth)...)
			continue
		}
		if at, dup := index[k.Value]; dup {
			c.fail(k, "key %q is written twice in one mapping (first at line %d)", k.Value, out[at].key.Line)
			return nil
		}
		index[k.Value] = len(out)
		out = append(out, pair{key: k, value: v})
	}
	for _, src := range merged {
		for _, p := range src {
			if _, set := index[p.key.Value]; set {
				continue
			}
			index[p.key.Value] = len(out)
			out = append(out, p)
		}
	}
	return out
}

// mergeSources resolves the value of a merge key: a mapping, an alias of
// one, or a sequence of those.
func (c *converter) mergeSources(v *yaml.Node, depth int) [][]pair {
	if v.Kind == yaml.AliasNode {
		v = v.Alias
	}
	switch v.Kind {
	case yaml.MappingNode:
		return [][]pair{c.pairs(v, depth+1)}
	case yaml.SequenceNode:
		var out [][]pair
		for _, item := range v.Content {
			if item.Kind == yaml.AliasNode {
				item = item.Alias
			}
			if item.Kind != yaml.MappingNode {
				c.fail(item, "a merge key (<<) takes a mapping or a list of mappings")
				return nil
			}
			out = append(out, c.pairs(item, depth+1))
		}
		return out
	default:
		c.fail(v, "a merge key (<<) takes a mapping or a list of mappings")
		return nil
	}
}

func (c *converter) unknownField(k *yaml.Node) {
	where := "at the top level"
	if len(c.path) > 0 {
		where = "in " + joinPath(c.path)
	}
	p := Errorf(c.file, k.Line, "unknown field %q %s", k.Value, where)
	if c.seen[p] {
		return
	}
	if c.seen == nil {
		c.seen = map[Problem]bool{}
	}
	c.seen[p] = true
	c.unknown = append(c.unknown, p)
}

func joinPath(path []string) string {
	var b []byte
	for i, p := range path {
		if i > 0 && p[0] != '[' {
			b = append(b, '.')
		}
		b = append(b, p...)
	}
	return string(b)
}
