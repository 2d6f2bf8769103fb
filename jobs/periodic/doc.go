// Package periodic starts periodic jobs on their schedules, as Prow's
// horologium does: an `interval` job runs again once its last run is
// complete and started longer ago than the interval; a
// `minimum_interval` job once its last run completed longer ago than
// that; a `cron` job whenever its schedule fired since its last run
// started, finished or not. A periodic that never ran runs at once
// (cron jobs at their next tick).
//
// The last run is read from the job store each time, so a restart
// neither skips nor repeats a run.
package periodic
