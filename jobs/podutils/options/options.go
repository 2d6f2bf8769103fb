package options

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/prowbot/prow/jobs/downward"
)

// The environment variables the utilities read their options from.
const (
	CloneRefsEnv  = "CLONEREFS_OPTIONS"
	InitUploadEnv = "INITUPLOAD_OPTIONS"
	EntrypointEnv = "ENTRYPOINT_OPTIONS"
	SidecarEnv    = "SIDECAR_OPTIONS"
)

// Load decodes a utility's JSON options into v: from the file named file
// when it is set, else from the environment variable env as getenv reads
// it (os.Getenv when nil).
func Load(v any, env, file string, getenv func(string) string) error {
	var raw []byte
	switch {
	case file != "":
		data, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("read options file %s: %w", file, err)
		}
		raw = data
	default:
		if getenv == nil {
			getenv = os.Getenv
		}
		s := getenv(env)
		if s == "" {
			return fmt.Errorf("no options: set $%s or pass an options file", env)
		}
		raw = []byte(s)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		from := "$" + env
		if file != "" {
			from = file
		}
		return fmt.Errorf("decode the options in %s: %w", from, err)
	}
	return nil
}

// Encode is the JSON of a utility's options, as its environment variable
// holds it.
func Encode(v any) (string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode options: %w", err)
	}
	return string(data), nil
}

// ParseJobSpec decodes JOB_SPEC. The spec must name the job, its type
// and its build.
func ParseJobSpec(raw string) (downward.JobSpec, error) {
	var spec downward.JobSpec
	if raw == "" {
		return spec, fmt.Errorf("$%s is empty", downward.JobSpecEnv)
	}
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		return spec, fmt.Errorf("decode $%s: %w", downward.JobSpecEnv, err)
	}
	var errs []error
	if spec.Job == "" {
		errs = append(errs, errors.New("no job name"))
	}
	if spec.Type == "" {
		errs = append(errs, errors.New("no job type"))
	}
	if spec.BuildID == "" {
		errs = append(errs, errors.New("no build ID"))
	}
	if err := errors.Join(errs...); err != nil {
		return spec, fmt.Errorf("$%s: %w", downward.JobSpecEnv, err)
	}
	return spec, nil
}
