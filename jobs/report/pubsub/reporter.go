package pubsub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"cloud.google.com/go/pubsub/v2"
	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Name is the reporter's key in status.prev_report_states, Prow's.
const Name = "pubsub-reporter"

// The labels (or annotations) that ask for Pub/Sub reports, Prow's.
const (
	ProjectLabel = "prow.k8s.io/pubsub.project"
	TopicLabel   = "prow.k8s.io/pubsub.topic"
	RunIDLabel   = "prow.k8s.io/pubsub.runID"
)

// Message is what is published on each state change, in Prow's shape.
type Message struct {
	Project string               `json:"project"`
	Topic   string               `json:"topic"`
	RunID   string               `json:"runid"`
	Status  prowapi.ProwJobState `json:"status"`
	URL     string               `json:"url"`
	GCSPath string               `json:"gcs_path"`
	Refs    []prowapi.Refs       `json:"refs,omitempty"`
	JobType prowapi.ProwJobType  `json:"job_type"`
	JobName string               `json:"job_name"`
	Message string               `json:"message"`
}

// lookup is the annotation key of pj, else its label.
func lookup(pj *prowapi.ProwJob, key string) string {
	if v := pj.Annotations[key]; v != "" {
		return v
	}
	return pj.Labels[key]
}

// Wants says whether pj asks for Pub/Sub reports: it names a project and
// a topic.
func Wants(pj *prowapi.ProwJob) bool {
	return lookup(pj, ProjectLabel) != "" && lookup(pj, TopicLabel) != ""
}

// MessageOf is the message reporting pj's current state. gcs_path is the
// job's artifacts directory ("gs://bucket/logs/job/build"), empty while
// the job has none.
func MessageOf(pj *prowapi.ProwJob) Message {
	var refs []prowapi.Refs
	if pj.Spec.Refs != nil {
		refs = append(refs, *pj.Spec.Refs)
	}
	refs = append(refs, pj.Spec.ExtraRefs...)
	m := Message{
		Project: lookup(pj, ProjectLabel),
		Topic:   lookup(pj, TopicLabel),
		RunID:   lookup(pj, RunIDLabel),
		Status:  pj.Status.State,
		URL:     pj.Status.URL,
		Refs:    refs,
		JobType: pj.Spec.Type,
		JobName: pj.Spec.Job,
		Message: pj.Status.Description,
	}
	if a, err := jobs.ArtifactsOf(pj); err == nil {
		m.GCSPath = a.GCSPath()
	}
	return m
}

// ClientFunc makes the Pub/Sub client of a project.
type ClientFunc func(ctx context.Context, project string) (*pubsub.Client, error)

// Reporter publishes job states to Pub/Sub: a report.Reporter.
type Reporter struct {
	newClient ClientFunc

	mu         sync.Mutex
	clients    map[string]*pubsub.Client
	publishers map[string]*pubsub.Publisher
	closed     bool
}

// New returns a reporter making its clients with newClient.
func New(newClient ClientFunc) (*Reporter, error) {
	if newClient == nil {
		return nil, errors.New("pubsub reporter: no way to make Pub/Sub clients")
	}
	return &Reporter{newClient: newClient, clients: map[string]*pubsub.Client{}, publishers: map[string]*pubsub.Publisher{}}, nil
}

// Name is "pubsub-reporter".
func (r *Reporter) Name() string { return Name }

// ShouldReport says whether pj asks for Pub/Sub reports.
func (r *Reporter) ShouldReport(_ *config.Config, pj *prowapi.ProwJob) bool { return Wants(pj) }

// Report publishes pj's current state and waits for Pub/Sub to take it.
func (r *Reporter) Report(ctx context.Context, _ *logrus.Entry, _ *config.Config, pj *prowapi.ProwJob) error {
	m := MessageOf(pj)
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode Pub/Sub message: %w", err)
	}
	pub, err := r.publisher(ctx, m.Project, m.Topic)
	if err != nil {
		return err
	}
	if _, err := pub.Publish(ctx, &pubsub.Message{Data: data}).Get(ctx); err != nil {
		return fmt.Errorf("publish to Pub/Sub topic %s of project %s: %w", m.Topic, m.Project, err)
	}
	return nil
}

// publisher returns the publisher of project's topic, making its client
// on first use.
func (r *Reporter) publisher(ctx context.Context, project, topic string) (*pubsub.Publisher, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, errors.New("pubsub reporter is closed")
	}
	key := "projects/" + project + "/topics/" + topic
	if p := r.publishers[key]; p != nil {
		return p, nil
	}
	c := r.clients[project]
	if c == nil {
		var err error
		// The client outlives this report: only its setup may use ctx.
		if c, err = r.newClient(context.WithoutCancel(ctx), project); err != nil {
			return nil, fmt.Errorf("make the Pub/Sub client of project %s: %w", project, err)
		}
		r.clients[project] = c
	}
	p := c.Publisher(key)
	r.publishers[key] = p
	return p, nil
}

// Close stops the publishers and closes the clients.
func (r *Reporter) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	for _, p := range r.publishers {
		p.Stop()
	}
	var errs []error
	for project, c := range r.clients {
		if err := c.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close Pub/Sub client of project %s: %w", project, err))
		}
	}
	clear(r.publishers)
	clear(r.clients)
	return errors.Join(errs...)
}
