package v1

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Path strategies: how a presubmit's artifacts directory names its repo.
const (
	PathStrategyLegacy   = "legacy"
	PathStrategySingle   = "single"
	PathStrategyExplicit = "explicit"
)

// DecorationConfig says how the pod utilities wrap a job: images, timeouts,
// where artifacts go, credentials and cloning options.
type DecorationConfig struct {
	Timeout     *Duration `json:"timeout,omitempty"`
	GracePeriod *Duration `json:"grace_period,omitempty"`

	UtilityImages    *UtilityImages    `json:"utility_images,omitempty"`
	Resources        *Resources        `json:"resources,omitempty"`
	GCSConfiguration *GCSConfiguration `json:"gcs_configuration,omitempty"`

	GCSCredentialsSecret      *string `json:"gcs_credentials_secret,omitempty"`
	S3CredentialsSecret       *string `json:"s3_credentials_secret,omitempty"`
	DefaultServiceAccountName *string `json:"default_service_account_name,omitempty"`

	SSHKeySecrets       []string `json:"ssh_key_secrets,omitempty"`
	SSHHostFingerprints []string `json:"ssh_host_fingerprints,omitempty"`
	BloblessFetch       *bool    `json:"blobless_fetch,omitempty"`
	SparseCheckoutFiles []string `json:"sparse_checkout_files,omitempty"`
	SkipCloning         *bool    `json:"skip_cloning,omitempty"`
	CookiefileSecret    *string  `json:"cookiefile_secret,omitempty"`

	OauthTokenSecret          *OauthTokenSecret          `json:"oauth_token_secret,omitempty"`
	GitHubAPIEndpoints        []string                   `json:"github_api_endpoints,omitempty"`
	GitHubAppID               string                     `json:"github_app_id,omitempty"`
	GitHubAppPrivateKeySecret *GitHubAppPrivateKeySecret `json:"github_app_private_key_secret,omitempty"`

	CensorSecrets    *bool             `json:"censor_secrets,omitempty"`
	CensoringOptions *CensoringOptions `json:"censoring_options,omitempty"`

	UploadIgnoresInterrupts     *bool              `json:"upload_ignores_interrupts,omitempty"`
	SetLimitEqualsMemoryRequest *bool              `json:"set_limit_equals_memory_request,omitempty"`
	DefaultMemoryRequest        *resource.Quantity `json:"default_memory_request,omitempty"`
	PodPendingTimeout           *metav1.Duration   `json:"pod_pending_timeout,omitempty"`
	PodRunningTimeout           *metav1.Duration   `json:"pod_running_timeout,omitempty"`
	PodUnscheduledTimeout       *metav1.Duration   `json:"pod_unscheduled_timeout,omitempty"`
	RunAsUser                   *int64             `json:"run_as_user,omitempty"`
	RunAsGroup                  *int64             `json:"run_as_group,omitempty"`
	FsGroup                     *int64             `json:"fs_group,omitempty"`
	SchedulingOptions           *SchedulingOptions `json:"scheduling_options,omitempty"`
}

// UtilityImages are the images of the pod utilities.
type UtilityImages struct {
	CloneRefs  string `json:"clonerefs,omitempty"`
	InitUpload string `json:"initupload,omitempty"`
	Entrypoint string `json:"entrypoint,omitempty"`
	Sidecar    string `json:"sidecar,omitempty"`
}

// Resources are the resource requirements of the utility containers.
type Resources struct {
	CloneRefs       *corev1.ResourceRequirements `json:"clonerefs,omitempty"`
	InitUpload      *corev1.ResourceRequirements `json:"initupload,omitempty"`
	PlaceEntrypoint *corev1.ResourceRequirements `json:"place_entrypoint,omitempty"`
	Sidecar         *corev1.ResourceRequirements `json:"sidecar,omitempty"`
}

// GCSConfiguration says where a job's artifacts are stored.
type GCSConfiguration struct {
	Bucket            string            `json:"bucket,omitempty"`
	PathPrefix        string            `json:"path_prefix,omitempty"`
	PathStrategy      string            `json:"path_strategy,omitempty"`
	DefaultOrg        string            `json:"default_org,omitempty"`
	DefaultRepo       string            `json:"default_repo,omitempty"`
	MediaTypes        map[string]string `json:"mediaTypes,omitempty"`
	JobURLPrefix      string            `json:"job_url_prefix,omitempty"`
	LocalOutputDir    string            `json:"local_output_dir,omitempty"`
	CompressFileTypes []string          `json:"compress_file_types,omitempty"`
}

// OauthTokenSecret names the secret holding a git OAuth token.
type OauthTokenSecret struct {
	Name string `json:"name"`
	Key  string `json:"key"`
}

// GitHubAppPrivateKeySecret names the secret holding a GitHub App key.
type GitHubAppPrivateKeySecret struct {
	Name string `json:"name"`
	Key  string `json:"key"`
}

// CensoringOptions tune how secrets are censored from uploaded logs.
type CensoringOptions struct {
	CensoringConcurrency *int64   `json:"censoring_concurrency,omitempty"`
	CensoringBufferSize  *int     `json:"censoring_buffer_size,omitempty"`
	IncludeDirectories   []string `json:"include_directories,omitempty"`
	ExcludeDirectories   []string `json:"exclude_directories,omitempty"`
	// +kubebuilder:validation:XIntOrString
	MinimumSecretLength *intstr.IntOrString `json:"minimum_secret_length,omitempty"`
}

// SchedulingOptions place the job's pod.
type SchedulingOptions struct {
	// +kubebuilder:validation:Schemaless
	// +kubebuilder:pruning:PreserveUnknownFields
	// +kubebuilder:validation:Type=object
	Affinity    *corev1.Affinity    `json:"affinity,omitempty"`
	Tolerations []corev1.Toleration `json:"tolerations,omitempty"`
}

// ApplyDefault returns a new config in which every unset field of d takes
// def's value; utility images, resources and the storage configuration are
// merged field by field. Either side may be nil. The result has its own
// top-level structs but shares leaf values (strings, quantities, resource
// lists) with its inputs: treat loaded configuration as read-only.
func (d *DecorationConfig) ApplyDefault(def *DecorationConfig) *DecorationConfig {
	if d == nil && def == nil {
		return nil
	}
	if d == nil {
		d = &DecorationConfig{}
	}
	merged := *d
	merged.UtilityImages = copyOf(d.UtilityImages)
	merged.Resources = copyOf(d.Resources)
	merged.GCSConfiguration = copyOf(d.GCSConfiguration)
	if def == nil {
		return &merged
	}
	pick(&merged.Timeout, def.Timeout)
	pick(&merged.GracePeriod, def.GracePeriod)
	merged.UtilityImages = merged.UtilityImages.applyDefault(copyOf(def.UtilityImages))
	merged.Resources = merged.Resources.applyDefault(copyOf(def.Resources))
	merged.GCSConfiguration = merged.GCSConfiguration.applyDefault(copyOf(def.GCSConfiguration))
	pick(&merged.GCSCredentialsSecret, def.GCSCredentialsSecret)
	pick(&merged.S3CredentialsSecret, def.S3CredentialsSecret)
	pick(&merged.DefaultServiceAccountName, def.DefaultServiceAccountName)
	pickSlice(&merged.SSHKeySecrets, def.SSHKeySecrets)
	pickSlice(&merged.SSHHostFingerprints, def.SSHHostFingerprints)
	pick(&merged.BloblessFetch, def.BloblessFetch)
	pickSlice(&merged.SparseCheckoutFiles, def.SparseCheckoutFiles)
	pick(&merged.SkipCloning, def.SkipCloning)
	pick(&merged.CookiefileSecret, def.CookiefileSecret)
	pick(&merged.OauthTokenSecret, def.OauthTokenSecret)
	pickSlice(&merged.GitHubAPIEndpoints, def.GitHubAPIEndpoints)
	pickString(&merged.GitHubAppID, def.GitHubAppID)
	pick(&merged.GitHubAppPrivateKeySecret, def.GitHubAppPrivateKeySecret)
	pick(&merged.CensorSecrets, def.CensorSecrets)
	pick(&merged.CensoringOptions, def.CensoringOptions)
	pick(&merged.UploadIgnoresInterrupts, def.UploadIgnoresInterrupts)
	pick(&merged.SetLimitEqualsMemoryRequest, def.SetLimitEqualsMemoryRequest)
	pick(&merged.DefaultMemoryRequest, def.DefaultMemoryRequest)
	pick(&merged.PodPendingTimeout, def.PodPendingTimeout)
	pick(&merged.PodRunningTimeout, def.PodRunningTimeout)
	pick(&merged.PodUnscheduledTimeout, def.PodUnscheduledTimeout)
	pick(&merged.RunAsUser, def.RunAsUser)
	pick(&merged.RunAsGroup, def.RunAsGroup)
	pick(&merged.FsGroup, def.FsGroup)
	pick(&merged.SchedulingOptions, def.SchedulingOptions)
	return &merged
}

// copyOf returns a shallow copy of *p, or nil.
func copyOf[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// pick sets *dst to def when *dst is unset.
func pick[T any](dst **T, def *T) {
	if *dst == nil {
		*dst = def
	}
}

func pickSlice[T any](dst *[]T, def []T) {
	if len(*dst) == 0 {
		*dst = def
	}
}

func pickString(dst *string, def string) {
	if *dst == "" {
		*dst = def
	}
}

func (u *UtilityImages) applyDefault(def *UtilityImages) *UtilityImages {
	if u == nil || def == nil {
		if u == nil {
			return def
		}
		return u
	}
	pickString(&u.CloneRefs, def.CloneRefs)
	pickString(&u.InitUpload, def.InitUpload)
	pickString(&u.Entrypoint, def.Entrypoint)
	pickString(&u.Sidecar, def.Sidecar)
	return u
}

func (r *Resources) applyDefault(def *Resources) *Resources {
	if r == nil || def == nil {
		if r == nil {
			return def
		}
		return r
	}
	pick(&r.CloneRefs, def.CloneRefs)
	pick(&r.InitUpload, def.InitUpload)
	pick(&r.PlaceEntrypoint, def.PlaceEntrypoint)
	pick(&r.Sidecar, def.Sidecar)
	return r
}

func (g *GCSConfiguration) applyDefault(def *GCSConfiguration) *GCSConfiguration {
	if g == nil || def == nil {
		if g == nil {
			return def
		}
		return g
	}
	pickString(&g.Bucket, def.Bucket)
	pickString(&g.PathPrefix, def.PathPrefix)
	pickString(&g.PathStrategy, def.PathStrategy)
	pickString(&g.DefaultOrg, def.DefaultOrg)
	pickString(&g.DefaultRepo, def.DefaultRepo)
	if g.MediaTypes == nil {
		g.MediaTypes = def.MediaTypes
	}
	pickString(&g.JobURLPrefix, def.JobURLPrefix)
	pickString(&g.LocalOutputDir, def.LocalOutputDir)
	pickSlice(&g.CompressFileTypes, def.CompressFileTypes)
	return g
}

// Validate checks a decoration config that a decorated job will use.
func (d *DecorationConfig) Validate() error {
	if d == nil {
		return errors.New("no decoration config")
	}
	errs := d.validateImages()
	errs = append(errs, d.validateStorage()...)
	if d.Timeout != nil && d.Timeout.Duration <= 0 {
		errs = append(errs, fmt.Errorf("timeout %s must be positive", d.Timeout.Duration))
	}
	if d.GracePeriod != nil && d.GracePeriod.Duration < 0 {
		errs = append(errs, fmt.Errorf("grace_period %s must not be negative", d.GracePeriod.Duration))
	}
	return errors.Join(errs...)
}

func (d *DecorationConfig) validateImages() []error {
	var errs []error
	if d.UtilityImages == nil {
		errs = append(errs, errors.New("utility_images are required"))
	} else {
		for name, img := range map[string]string{"clonerefs": d.UtilityImages.CloneRefs, "initupload": d.UtilityImages.InitUpload, "entrypoint": d.UtilityImages.Entrypoint, "sidecar": d.UtilityImages.Sidecar} {
			if img == "" {
				errs = append(errs, fmt.Errorf("utility_images.%s is required", name))
			}
		}
	}
	return errs
}

// bucketNameRe matches the GCS and S3 bucket names a gs:// or s3://
// address may name (prow/storage checks each provider's own rule when
// it opens the bucket).
var bucketNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$`)

// ValidateBucket checks gcs_configuration.bucket: a bare GCS bucket name,
// or an address, gs://bucket, s3://bucket (S3 or an S3-compatible
// server such as MinIO) or file:///dir, that names its bucket. It does
// not import prow/storage, to keep the storage clients out of what only
// reads configuration.
func ValidateBucket(bucket string) error {
	scheme, rest, ok := strings.Cut(bucket, "://")
	if !ok {
		return nil
	}
	switch scheme {
	case "gs", "s3":
		name, _, _ := strings.Cut(rest, "/")
		if name == "" {
			return fmt.Errorf("storage location %q names no bucket (want %s://bucket[/path])", bucket, scheme)
		}
		if !bucketNameRe.MatchString(name) {
			return fmt.Errorf("storage location %q: %q is not a bucket name", bucket, name)
		}
	case "file":
		if !strings.HasPrefix(rest, "/") && !strings.HasPrefix(rest, "localhost/") {
			return fmt.Errorf("storage location %q: a file URL needs an absolute path (file:///dir)", bucket)
		}
	default:
		return fmt.Errorf("storage location %q: unsupported scheme %q (want gs, s3 or file)", bucket, scheme)
	}
	return nil
}

func (d *DecorationConfig) validateStorage() []error {
	var errs []error
	if d.GCSConfiguration == nil && d.S3CredentialsSecret == nil {
		errs = append(errs, errors.New("gcs_configuration is required"))
	} else if g := d.GCSConfiguration; g != nil {
		if err := ValidateBucket(g.Bucket); err != nil {
			errs = append(errs, fmt.Errorf("gcs_configuration.bucket: %w", err))
		}
		switch g.PathStrategy {
		case PathStrategyExplicit:
		case PathStrategyLegacy, PathStrategySingle:
			if g.DefaultOrg == "" || g.DefaultRepo == "" {
				errs = append(errs, fmt.Errorf("gcs_configuration: path_strategy %q needs default_org and default_repo", g.PathStrategy))
			}
		default:
			errs = append(errs, fmt.Errorf("gcs_configuration.path_strategy %q is not one of legacy, single, explicit", g.PathStrategy))
		}
	}
	return errs
}
