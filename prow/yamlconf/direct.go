package yamlconf

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// decode stores the YAML tree n into v (addressable) by reflection, with
// encoding/json's rules: fields by their JSON names (exactly, else ignoring
// case), null clears pointers, maps, slices and interfaces and leaves
// anything else alone, numbers must fit their type. Values whose type
// decodes itself (json.Unmarshaler, json.RawMessage, interfaces) are
// written as JSON and handed to encoding/json, so they see exactly what
// they would have seen from a JSON file. Skipping the JSON text for the
// rest is what makes loading a large configuration cheap.
func (c *converter) decode(n *yaml.Node, v reflect.Value) {
	if !c.enter(n, len(n.Value)) {
		return
	}
	defer c.leave()
	switch n.Kind {
	case yaml.AliasNode:
		c.decode(n.Alias, v)
		return
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			c.decode(n.Content[0], v)
		}
		return
	}
	c.spent += len(n.Value) + 2
	ti := c.types.info(v.Type())
	if ti.shape == shapeOpaque {
		c.opaque(n, v)
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		switch v.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
			v.SetZero()
		}
		return
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	c.decodeKind(n, v, ti)
}

// decodeKind stores a scalar, mapping or sequence into v, a value (not a
// pointer) of the type ti describes.
func (c *converter) decodeKind(n *yaml.Node, v reflect.Value, ti *typeInfo) {
	switch n.Kind {
	case yaml.ScalarNode:
		c.decodeScalar(n, v, ti.shape)
	case yaml.MappingNode:
		switch ti.shape {
		case shapeStruct:
			c.decodeStruct(n, v, ti)
		case shapeMap:
			c.decodeMap(n, v)
		default:
			c.typeError(n, "object", v.Type())
		}
	case yaml.SequenceNode:
		if ti.shape != shapeSlice {
			c.typeError(n, "array", v.Type())
			return
		}
		c.decodeSlice(n, v)
	default:
		c.fail(n, "unsupported YAML node")
	}
}

// opaque hands a value that decodes itself its JSON.
func (c *converter) opaque(n *yaml.Node, v reflect.Value) {
	start := len(c.buf)
	c.value(n, v.Type())
	if c.err != nil {
		return
	}
	c.spent += len(c.buf) - start
	err := json.Unmarshal(c.buf[start:], v.Addr().Interface())
	c.buf = c.buf[:start]
	if err == nil {
		return
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		msg = fmt.Sprintf("cannot use a %s as %s", te.Value, te.Type)
	}
	c.failAt(n, msg)
}

// decodeScalar stores a scalar: the JSON value the converter would write
// for it, read as encoding/json reads it.
func (c *converter) decodeScalar(n *yaml.Node, v reflect.Value, sh shape) {
	if sh == shapeString {
		if u, ok := asTextUnmarshaler(v); ok {
			if err := u.UnmarshalText([]byte(n.Value)); err != nil {
				c.failAt(n, err.Error())
			}
			return
		}
		v.SetString(n.Value)
		return
	}
	start := len(c.buf)
	c.scalar(n, sh)
	text := string(c.buf[start:])
	c.buf = c.buf[:start]
	switch text[0] {
	case '"':
		c.typeError(n, "string", v.Type())
	case 't', 'f':
		if sh != shapeBool {
			c.typeError(n, "bool", v.Type())
			return
		}
		v.SetBool(text == "true")
	default:
		if sh != shapeNumber {
			c.typeError(n, "number", v.Type())
			return
		}
		c.setNumber(n, v, text)
	}
}

// setNumber stores a JSON number, refusing what does not fit.
func (c *converter) setNumber(n *yaml.Node, v reflect.Value, text string) {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(text, 10, 64)
		if err != nil || v.OverflowInt(i) {
			c.typeError(n, "number "+text, v.Type())
			return
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u, err := strconv.ParseUint(text, 10, 64)
		if err != nil || v.OverflowUint(u) {
			c.typeError(n, "number "+text, v.Type())
			return
		}
		v.SetUint(u)
	default: // floats
		f, err := strconv.ParseFloat(text, v.Type().Bits())
		if err != nil || v.OverflowFloat(f) {
			c.typeError(n, "number "+text, v.Type())
			return
		}
		v.SetFloat(f)
	}
}

func (c *converter) decodeStruct(n *yaml.Node, v reflect.Value, ti *typeInfo) {
	pairs := c.pairs(n, 0)
	for _, p := range pairs {
		if c.err != nil {
			return
		}
		f, ok := ti.lookup(p.key.Value)
		if !ok {
			c.unknownField(p.key)
			continue
		}
		fv, ok := fieldByIndex(v, f.index)
		if !ok {
			c.failAt(p.key, fmt.Sprintf("cannot set field %s of an unexported embedded struct", f.name))
			return
		}
		c.path = append(c.path, p.key.Value)
		c.fields = append(c.fields, f.name)
		c.decode(p.value, fv)
		c.fields = c.fields[:len(c.fields)-1]
		c.path = c.path[:len(c.path)-1]
	}
}

// fieldByIndex is v.FieldByIndex, allocating embedded pointers on the way.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, v.CanSet()
}

func (c *converter) decodeMap(n *yaml.Node, v reflect.Value) {
	t := v.Type()
	if v.IsNil() {
		v.Set(reflect.MakeMapWithSize(t, len(n.Content)/2))
	}
	for _, p := range c.pairs(n, 0) {
		if c.err != nil {
			return
		}
		key, ok := mapKey(t.Key(), p.key.Value)
		if !ok {
			c.typeError(p.key, "number "+p.key.Value, t.Key())
			return
		}
		elem := reflect.New(t.Elem()).Elem()
		c.path = append(c.path, p.key.Value)
		c.decode(p.value, elem)
		c.path = c.path[:len(c.path)-1]
		v.SetMapIndex(key, elem)
	}
}

// mapKey converts a mapping key to a map's key type as encoding/json does.
func mapKey(kt reflect.Type, s string) (reflect.Value, bool) {
	if reflect.PointerTo(kt).Implements(textUnmarshaler) {
		k := reflect.New(kt)
		if err := k.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			return reflect.Value{}, false
		}
		return k.Elem(), true
	}
	k := reflect.New(kt).Elem()
	switch kt.Kind() {
	case reflect.String:
		k.SetString(s)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil || k.OverflowInt(i) {
			return reflect.Value{}, false
		}
		k.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u, err := strconv.ParseUint(s, 10, 64)
		if err != nil || k.OverflowUint(u) {
			return reflect.Value{}, false
		}
		k.SetUint(u)
	default:
		return reflect.Value{}, false
	}
	return k, true
}

func (c *converter) decodeSlice(n *yaml.Node, v reflect.Value) {
	if v.Kind() == reflect.Array {
		for i := 0; i < v.Len(); i++ {
			if i < len(n.Content) {
				c.decodeItem(n.Content[i], v.Index(i), i)
			} else {
				v.Index(i).SetZero()
			}
		}
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		c.decodeItem(item, s.Index(i), i)
	}
	v.Set(s)
}

func (c *converter) decodeItem(item *yaml.Node, v reflect.Value, i int) {
	c.path = append(c.path, "["+strconv.Itoa(i)+"]")
	c.decode(item, v)
	c.path = c.path[:len(c.path)-1]
}

// asTextUnmarshaler is v's encoding.TextUnmarshaler, when it has one.
func asTextUnmarshaler(v reflect.Value) (encoding.TextUnmarshaler, bool) {
	if !v.CanAddr() {
		return nil, false
	}
	u, ok := v.Addr().Interface().(encoding.TextUnmarshaler)
	return u, ok
}

// typeError reports a value that does not fit its Go type, at its line,
// naming the fields that lead to it as encoding/json does.
func (c *converter) typeError(n *yaml.Node, what string, t reflect.Type) {
	c.failAt(n, fmt.Sprintf("cannot use a %s as %s", what, t))
}

// failAt records a decoding error at n's line, naming the field path.
func (c *converter) failAt(n *yaml.Node, msg string) {
	if len(c.fields) > 0 {
		msg = "field " + strings.Join(c.fields, ".") + ": " + msg
	}
	c.fail(n, "%s", msg)
}
