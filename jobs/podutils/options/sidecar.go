package options

import (
	"errors"
	"fmt"

	"k8s.io/apimachinery/pkg/util/intstr"
)

// Sidecar are the options of sidecar: Prow's sidecar.Options.
type Sidecar struct {
	GCS GCS `json:"gcs_options"`
	// DeprecatedWrapperOptions is the single entry of older pods.
	DeprecatedWrapperOptions *Wrapper `json:"wrapper_options,omitempty"`
	// Entries are the wrapped test commands to wait for.
	Entries []Wrapper `json:"entries,omitempty"`

	// EntryError makes sidecar exit non-zero when an entry failed.
	EntryError bool `json:"entry_error,omitempty"`
	// IgnoreInterrupts makes sidecar ignore SIGINT and SIGTERM instead
	// of uploading what there is at once.
	IgnoreInterrupts bool `json:"ignore_interrupts,omitempty"`
	// WriteMemoryProfile is accepted for compatibility and ignored.
	WriteMemoryProfile bool `json:"write_memory_profile,omitempty"`

	// CensoringOptions say which secrets to censor from the uploads.
	CensoringOptions *Censoring `json:"censoring_options,omitempty"`

	// SecretDirectories, CensoringConcurrency and CensoringBufferSize
	// are the deprecated places of the censoring options.
	SecretDirectories    []string `json:"secret_directories,omitempty"`
	CensoringConcurrency *int64   `json:"censoring_concurrency,omitempty"`
	CensoringBufferSize  *int     `json:"censoring_buffer_size,omitempty"`
}

// Censoring are the censoring options of sidecar.
type Censoring struct {
	// SecretDirectories hold the secrets (one per file) whose values are
	// censored from the logs and artifacts.
	SecretDirectories []string `json:"secret_directories,omitempty"`
	// CensoringConcurrency and CensoringBufferSize tune the censoring.
	CensoringConcurrency *int64 `json:"censoring_concurrency,omitempty"`
	CensoringBufferSize  *int   `json:"censoring_buffer_size,omitempty"`
	// IncludeDirectories and ExcludeDirectories are globs of paths
	// relative to an uploaded directory that are (not) censored.
	IncludeDirectories []string `json:"include_directories,omitempty"`
	ExcludeDirectories []string `json:"exclude_directories,omitempty"`
	// IniFilenames are secret files whose INI values are secrets too.
	IniFilenames []string `json:"ini_filenames,omitempty"`
	// MinimumSecretLength: shorter secrets are not censored.
	MinimumSecretLength *intstr.IntOrString `json:"minimum_secret_length,omitempty"`
}

// AllEntries are the deprecated entry, if any, then the entries.
func (o Sidecar) AllEntries() []Wrapper {
	var es []Wrapper
	if o.DeprecatedWrapperOptions != nil {
		es = append(es, *o.DeprecatedWrapperOptions)
	}
	return append(es, o.Entries...)
}

// Censoring is what to censor, from the censoring options or the
// deprecated fields; nil when nothing is to be censored.
func (o Sidecar) Censoring() *Censoring {
	if o.CensoringOptions != nil {
		return o.CensoringOptions
	}
	if o.SecretDirectories == nil && o.CensoringConcurrency == nil && o.CensoringBufferSize == nil {
		return nil
	}
	return &Censoring{SecretDirectories: o.SecretDirectories, CensoringConcurrency: o.CensoringConcurrency, CensoringBufferSize: o.CensoringBufferSize}
}

// Validate checks that there are entries to wait for and somewhere to
// upload to.
func (o Sidecar) Validate() error {
	var errs []error
	deprecated := o.SecretDirectories != nil || o.CensoringConcurrency != nil || o.CensoringBufferSize != nil
	if deprecated && o.CensoringOptions != nil {
		errs = append(errs, errors.New("the deprecated secret_directories, censoring_concurrency and censoring_buffer_size cannot be used with censoring_options"))
	}
	entries := o.AllEntries()
	if len(entries) == 0 {
		errs = append(errs, errors.New("no entries to wait for"))
	}
	for i, e := range entries {
		if err := e.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("entry %d: %w", i, err))
		}
	}
	if err := o.GCS.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("gcs_options: %w", err))
	}
	return errors.Join(errs...)
}
