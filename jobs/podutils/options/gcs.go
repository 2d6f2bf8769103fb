package options

import (
	"errors"
	"fmt"
	"strings"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// GCS says where initupload and sidecar upload: Prow's gcsupload.Options.
type GCS struct {
	// Items are files and directories to upload besides the logs: a
	// directory's files go below a directory of its base name (the
	// artifacts directory to artifacts/), a file by its base name.
	Items []string `json:"items,omitempty"`
	// SubDir is a directory below the build directory that everything
	// goes to.
	SubDir string `json:"sub_dir,omitempty"`

	// GCSConfiguration is the bucket and the path layout, as in the
	// decoration config.
	*prowapi.GCSConfiguration

	StorageClient

	// DryRun logs what would be uploaded and uploads nothing.
	DryRun bool `json:"dry_run"`
}

// StorageClient holds the credentials files of the storage clients.
type StorageClient struct {
	GCSCredentialsFile string `json:"gcs_credentials_file,omitempty"`
	S3CredentialsFile  string `json:"s3_credentials_file,omitempty"`
}

// Config is the storage configuration, empty when there is none.
func (g GCS) Config() prowapi.GCSConfiguration {
	if g.GCSConfiguration == nil {
		return prowapi.GCSConfiguration{}
	}
	return *g.GCSConfiguration
}

// Layout is where a build's files go in the bucket.
func (g GCS) Layout() storage.Layout {
	c := g.Config()
	return storage.Layout{PathPrefix: c.PathPrefix, PathStrategy: c.PathStrategy, DefaultOrg: c.DefaultOrg, DefaultRepo: c.DefaultRepo}
}

// Validate checks that there is somewhere to upload to.
func (g GCS) Validate() error {
	c := g.Config()
	if c.Bucket == "" && c.LocalOutputDir == "" && !g.DryRun {
		return errors.New("no bucket to upload to (gcs_options.bucket)")
	}
	if strings.Contains(c.Bucket, "://") {
		if _, err := storage.ParseLocation(c.Bucket); err != nil {
			return fmt.Errorf("gcs_options.bucket: %w", err)
		}
	}
	return g.Layout().Validate()
}
