package gangway

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"

	"k8s.io/apimachinery/pkg/util/validation"
)

// decodeRequest reads a JSON body into v. Field names may be the
// protobuf names (job_name) or their lowerCamelCase JSON names
// (jobName), as protobuf's JSON allows; unknown fields are an error.
func decodeRequest(r io.Reader, v any) error {
	var raw any
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return fmt.Errorf("the request body is not JSON: %w", err)
	}
	data, err := json.Marshal(snakeKeys(raw, ""))
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("the request body: %w", err)
	}
	return nil
}

// snakeKeys renames the keys of every object in v to their protobuf
// (snake_case) names, except below a map field (labels, annotations,
// envs), whose keys are data.
func snakeKeys(v any, field string) any {
	switch t := v.(type) {
	case map[string]any:
		if mapFields[field] {
			return t
		}
		out := make(map[string]any, len(t))
		for k, x := range t {
			sk := snake(k)
			out[sk] = snakeKeys(x, sk)
		}
		return out
	case []any:
		for i := range t {
			t[i] = snakeKeys(t[i], "")
		}
		return t
	}
	return v
}

var mapFields = map[string]bool{"envs": true, "labels": true, "annotations": true}

// snake turns jobName into job_name (and leaves job_name as it is).
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

var validSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)

// Validate checks the request as Prow's gangway does.
func (req *CreateJobExecutionRequest) Validate() error {
	switch t := req.JobExecutionType; {
	case req.JobName == "":
		return fmt.Errorf("job_name field cannot be empty")
	case t == "" || t == TypeUnspecified:
		return fmt.Errorf("unsupported JobExecutionType: %s", TypeUnspecified)
	case t == TypeBatch:
		return fmt.Errorf("unsupported JobExecutionType: %s", t)
	case t == TypePeriodic && req.Refs != nil:
		return fmt.Errorf("periodic jobs cannot also have gitRefs")
	case t != TypePeriodic && req.Refs == nil:
		return fmt.Errorf("gitRefs must be defined for %q", t)
	}
	if r := req.Refs; r != nil {
		if err := r.validate(); err != nil {
			return fmt.Errorf("gitRefs: failed to validate: %w", err)
		}
	}
	if p := req.PodSpecOptions; p != nil {
		return p.validate()
	}
	return nil
}

func (r *Refs) validate() error {
	switch {
	case r.Org == "":
		return fmt.Errorf("org cannot be empty")
	case r.Repo == "":
		return fmt.Errorf("repo cannot be empty")
	case r.BaseRef == "":
		return fmt.Errorf("base_ref cannot be empty")
	case r.BaseSHA == "":
		return fmt.Errorf("base_sha cannot be empty")
	}
	for _, p := range r.Pulls {
		if p == nil || !validSHA.MatchString(p.SHA) {
			return fmt.Errorf("pull: invalid SHA (want 40 lowercase hex digits)")
		}
	}
	return nil
}

func (p *PodSpecOptions) validate() error {
	for k, v := range p.Envs {
		if k == "" || v == "" {
			return fmt.Errorf("invalid environment variable key/value pair: %q, %q", k, v)
		}
	}
	for k, v := range p.Labels {
		if k == "" || v == "" {
			return fmt.Errorf("invalid label key/value pair: %q, %q", k, v)
		}
		if errs := append(validation.IsQualifiedName(k), validation.IsValidLabelValue(v)...); len(errs) > 0 {
			return fmt.Errorf("invalid label %s=%s: %s", k, v, strings.Join(errs, "; "))
		}
	}
	for k, v := range p.Annotations {
		if k == "" || v == "" {
			return fmt.Errorf("invalid annotation key/value pair: %q, %q", k, v)
		}
	}
	return nil
}
