// Package sinker removes old job records, as Prow's sinker does: jobs
// that completed longer ago than sinker.max_prowjob_age are deleted,
// except the newest run of each periodic, which is kept however old so
// the schedule knows when it last ran. Before a record goes, the runner
// is told to free what the run still holds (a local work directory, a
// pod).
package sinker
