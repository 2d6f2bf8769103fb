// Package slack reports job states to Slack channels: Prow's crier Slack
// reporter ("slackreporter").
//
// What is reported where comes from config.yaml's slack_reporter_configs
// (keyed "*", "org" or "org/repo", the most specific entry applying) and
// from a job's own reporter_config.slack, which overrides the channel,
// the states and the template and can turn reporting off (report: false).
// A job is reported when its type is in the entry's job_types_to_report
// or the job names a channel itself, and its state is in the states to
// report. The message is the report_template, a Go text/template run on
// the ProwJob. Resolve, ShouldReport and Render are these decisions as
// pure functions.
//
// Messages go out through Slack's Web API method chat.postMessage with a
// bot token. The client is plain net/http rather than a Slack library
// (github.com/slack-go/slack is the common one): the reporter needs one
// documented method, a form POST with a bearer token, and precise control
// of how failures are classified (HTTP 429 and ok:false "ratelimited"
// with their Retry-After, 5xx, transport errors) so that the report loop
// can back off; a library covering the whole API would add a large
// dependency for that one call and hide its retries from the loop.
//
// The reporter runs in its own report.Loop (own watch, queue and
// workers) so that a slow or failing Slack never delays GitHub statuses;
// the loop retries failed messages with backoff and records what it sent
// in status.prev_report_states["slackreporter"], so a state is posted
// once, across restarts too.
package slack
