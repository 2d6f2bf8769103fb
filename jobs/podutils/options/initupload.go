package options

// InitUpload are the options of initupload: Prow's initupload.Options,
// the upload options with the clone records file beside them.
type InitUpload struct {
	GCS

	// Log is the clone records file clonerefs wrote; empty when the job
	// clones nothing.
	Log string `json:"log,omitempty"`
}

// Validate checks that there is somewhere to upload to.
func (o InitUpload) Validate() error { return o.GCS.Validate() }
