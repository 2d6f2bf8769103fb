package jobs

import (
	"context"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Defaulting is a store whose new jobs get what running them needs when
// their configuration leaves it out: an artifacts bucket, the path
// strategy, the deck URL prefix for their links, and a timeout and
// grace period. `prow serve` wraps its store in one so jobs configured
// without decoration still leave logs where the dashboard finds them.
type Defaulting struct {
	Store
	// Bucket is where artifacts go (file:///dir, gs://bucket or s3://bucket).
	Bucket string
	// JobURLPrefix is the deck address jobs link to, e.g.
	// http://127.0.0.1:8888/view/.
	JobURLPrefix string
	// Timeout and GracePeriod apply when the job sets none.
	Timeout, GracePeriod time.Duration
}

// Create implements Creator, filling the defaults in.
func (d Defaulting) Create(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	pj = pj.DeepCopy()
	dc := pj.Spec.DecorationConfig
	if dc == nil {
		dc = &prowapi.DecorationConfig{}
		pj.Spec.DecorationConfig = dc
	}
	if dc.GCSConfiguration == nil {
		dc.GCSConfiguration = &prowapi.GCSConfiguration{}
	}
	g := dc.GCSConfiguration
	if g.Bucket == "" {
		g.Bucket = d.Bucket
	}
	if g.PathStrategy == "" {
		g.PathStrategy = "explicit"
	}
	if g.JobURLPrefix == "" {
		g.JobURLPrefix = d.JobURLPrefix
	}
	if dc.Timeout == nil && d.Timeout > 0 {
		dc.Timeout = &prowapi.Duration{Duration: d.Timeout}
	}
	if dc.GracePeriod == nil && d.GracePeriod > 0 {
		dc.GracePeriod = &prowapi.Duration{Duration: d.GracePeriod}
	}
	return d.Store.Create(ctx, pj)
}
