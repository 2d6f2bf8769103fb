// Package pubsub publishes job state changes to Google Cloud Pub/Sub:
// Prow's crier Pub/Sub reporter ("pubsub-reporter").
//
// A job asks for it with three labels (or annotations, which win), set
// by whoever created the job, typically through Pub/Sub-triggered runs:
// prow.k8s.io/pubsub.project and prow.k8s.io/pubsub.topic say where to
// publish, prow.k8s.io/pubsub.runID is echoed back so the caller can
// match the messages to its request. Every state the job goes through is
// published once as a JSON message in Prow's shape (Message: project,
// topic, runid, status, url, gcs_path, refs, job_type, job_name,
// message).
//
// Publishing goes through cloud.google.com/go/pubsub/v2, one client per
// project and one publisher per topic, kept for the reporter's life. The
// reporter runs in its own report.Loop, so an unreachable Pub/Sub never
// delays the GitHub reporter; a failed publish is retried with backoff
// and the state reported is recorded in
// status.prev_report_states["pubsub-reporter"], so a restart does not
// publish it again.
package pubsub
