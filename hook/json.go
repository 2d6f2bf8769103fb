package hook

import (
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// JSON on the intake path is the Go project's encoding/json v2 (the
// go-json-experiment module, the code behind Go's encoding/json/v2):
// pure Go, so it leaves no AVX state behind. Assembly that uses AVX
// registers without clearing their upper halves (segmentio/encoding did)
// makes every later SSE instruction on the core pay a transition penalty
// on Intel CPUs with AVX-512, SHA-NI's HMAC-SHA256 among them: 1.45 ms
// instead of 15 µs for a 27 KB payload. BenchmarkIntakePenalty times the
// steps alone and in sequence so the penalty shows on any machine that
// has it. Both functions accept exactly what encoding/json accepts (a
// test and a fuzz target compare them).

// validOptions make v2's validation encoding/json's: invalid UTF-8 and
// duplicate names are accepted, as v1 accepts them.
var validOptions = []jsontext.Options{jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true)}

// jsonValid reports whether body is one JSON value, as encoding/json.Valid.
func jsonValid(body []byte) bool {
	return jsontext.Value(body).IsValid(validOptions...)
}

// jsonUnmarshal decodes body into v as encoding/json.Unmarshal does
// (v1 semantics: case-insensitive names, last duplicate wins), about five
// times faster.
func jsonUnmarshal(body []byte, v any) error {
	return jsonv1.Unmarshal(body, v)
}
