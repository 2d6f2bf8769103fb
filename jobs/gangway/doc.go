// Package gangway is the job API, in place of Prow's gangway: an HTTP
// server of JSON that starts runs of configured jobs and reports on
// them, at Prow's paths and in the JSON that Prow's gangway speaks
// through its HTTP gateway (protobuf field names, enum names, RFC 3339
// times):
//
//	POST /v1/executions        start a run (CreateJobExecutionRequest)
//	GET  /v1/executions/{id}   one run (JobExecution)
//	GET  /v1/executions?job_name=...&status=...   runs (JobExecutions)
//
// There is no gRPC. Clients are identified as in Prow, by the headers
// the API front in front of it (Google Cloud Endpoints' ESPv2, or any
// proxy that authenticates callers) sets, x-endpoint-api-consumer-type
// and x-endpoint-api-consumer-number, and authorized by config.yaml's
// gangway.allowed_api_clients: a client not listed gets 403 for every
// call, and a listed client may start only the jobs whose
// prowjob_defaults tenant_id one of its allowed_jobs_filters names
// (403 for the others). The server trusts those headers, so it must be
// reached only through the front.
//
// Runs are built by jobs/ondemand (the same ProwJobs trigger, tide and
// the periodic scheduler make) and written to whichever job store the
// server is given: the SQLite store of `prow serve` or the ProwJob
// resources of cluster mode.
package gangway
