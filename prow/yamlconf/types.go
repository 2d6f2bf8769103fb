package yamlconf

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// shape says how a Go type takes YAML: which checks apply and how scalars
// are written for it.
type shape int

const (
	shapeOpaque shape = iota // anything goes; the value decodes itself
	shapeString
	shapeBool
	shapeNumber
	shapeStruct
	shapeMap
	shapeSlice
)

// typeInfo is what the converter needs to know about one Go type.
type typeInfo struct {
	shape  shape
	fields map[string]*fieldInfo // exact JSON names (structs only)
	folded map[string]string     // lower-cased name -> exact name
	elem   reflect.Type          // maps and slices
}

// fieldInfo is one JSON field of a struct: its name, type and where it is
// (an index path through embedded structs, for reflect.Value.FieldByIndex).
type fieldInfo struct {
	name  string
	typ   reflect.Type
	index []int
}

var (
	jsonUnmarshaler = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	textUnmarshaler = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
	rawMessage      = reflect.TypeOf(json.RawMessage(nil))
)

// typeCache remembers the typeInfo of every type seen; it is safe for
// concurrent use.
type typeCache struct {
	m sync.Map // reflect.Type -> *typeInfo
}

func (c *typeCache) info(t reflect.Type) *typeInfo {
	if t == nil {
		return &typeInfo{shape: shapeOpaque}
	}
	if v, ok := c.m.Load(t); ok {
		return v.(*typeInfo)
	}
	ti := buildInfo(t)
	v, _ := c.m.LoadOrStore(t, ti)
	return v.(*typeInfo)
}

func buildInfo(t reflect.Type) *typeInfo {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessage || reflect.PointerTo(t).Implements(jsonUnmarshaler) || t.Implements(jsonUnmarshaler) {
		return &typeInfo{shape: shapeOpaque}
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return &typeInfo{shape: shapeString}
	}
	switch t.Kind() {
	case reflect.String:
		return &typeInfo{shape: shapeString}
	case reflect.Bool:
		return &typeInfo{shape: shapeBool}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return &typeInfo{shape: shapeNumber}
	case reflect.Struct:
		ti := &typeInfo{shape: shapeStruct, fields: map[string]*fieldInfo{}, folded: map[string]string{}}
		collectFields(t, ti, nil, map[reflect.Type]bool{})
		return ti
	case reflect.Map:
		return &typeInfo{shape: shapeMap, elem: t.Elem()}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return &typeInfo{shape: shapeOpaque} // []byte is base64 text in JSON
		}
		return &typeInfo{shape: shapeSlice, elem: t.Elem()}
	default:
		return &typeInfo{shape: shapeOpaque}
	}
}

// collectFields gathers the JSON names of t's fields, promoting the fields of
// embedded structs as encoding/json does (outer names win).
func collectFields(t reflect.Type, ti *typeInfo, at []int, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	type embed struct {
		t     reflect.Type
		index []int
	}
	var embedded []embed
	path := func(i int) []int { return append(append(make([]int, 0, len(at)+1), at...), i) }
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && (name == "" || strings.Contains(opts, "inline")) && ft.Kind() == reflect.Struct {
			embedded = append(embedded, embed{ft, path(i)})
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := ti.fields[name]; dup {
			continue
		}
		ti.fields[name] = &fieldInfo{name: name, typ: f.Type, index: path(i)}
		ti.folded[strings.ToLower(name)] = name
	}
	for _, e := range embedded {
		collectFields(e.t, ti, e.index, seen)
	}
}

// field finds the field a YAML key names, matching as encoding/json does:
// exactly, else ignoring case.
func (ti *typeInfo) field(key string) (reflect.Type, bool) {
	if f, ok := ti.lookup(key); ok {
		return f.typ, true
	}
	return nil, false
}

// lookup is field with everything known about the field.
func (ti *typeInfo) lookup(key string) (*fieldInfo, bool) {
	if f, ok := ti.fields[key]; ok {
		return f, true
	}
	if exact, ok := ti.folded[strings.ToLower(key)]; ok {
		return ti.fields[exact], true
	}
	return nil, false
}
