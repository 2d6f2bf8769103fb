package yamlconf

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

const quotedStyles = yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle | yaml.LiteralStyle | yaml.FoldedStyle

// scalar writes one YAML scalar as JSON. A string field takes the literal
// text of any scalar but null; a bool field also takes the YAML 1.1 words
// (yes/no/on/off/y/n), as Kubernetes' YAML handling does.
func (c *converter) scalar(n *yaml.Node, sh shape) {
	tag := n.ShortTag()
	switch sh {
	case shapeString:
		if tag == "!!null" {
			c.buf = append(c.buf, "null"...)
		} else {
			c.buf = appendJSONString(c.buf, n.Value)
		}
		return
	case shapeBool:
		if tag == "!!str" && n.Style&quotedStyles == 0 {
			if b, ok := yaml11Bool(n.Value); ok {
				c.buf = strconv.AppendBool(c.buf, b)
				return
			}
		}
	}
	c.buf = appendScalar(c.buf, n.Value, tag)
}

// appendScalar writes a scalar by its resolved YAML tag.
func appendScalar(buf []byte, v, tag string) []byte {
	switch tag {
	case "!!null":
		return append(buf, "null"...)
	case "!!bool":
		if b, ok := yaml11Bool(v); ok {
			return strconv.AppendBool(buf, b)
		}
	case "!!int":
		clean := strings.ReplaceAll(v, "_", "")
		if i, err := strconv.ParseInt(clean, 0, 64); err == nil {
			return strconv.AppendInt(buf, i, 10)
		}
		if u, err := strconv.ParseUint(clean, 0, 64); err == nil {
			return strconv.AppendUint(buf, u, 10)
		}
	case "!!float":
		if f, err := strconv.ParseFloat(strings.ReplaceAll(v, "_", ""), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return strconv.AppendFloat(buf, f, 'g', -1, 64)
		}
	}
	return appendJSONString(buf, v)
}

// yaml11Bool reads the boolean words of YAML 1.1.
func yaml11Bool(v string) (bool, bool) {
	switch v {
	case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y":
		return true, true
	case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N":
		return false, true
	}
	return false, false
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch b {
			case '"', '\\':
				buf = append(buf, '\\', b)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
