// Package config loads, defaults and validates Prow-compatible configuration:
// config.yaml, job configuration split over any number of files, and (through
// config/pluginconfig) plugins.yaml. It answers the questions the rest of the
// system asks of jobs (which presubmits run for a change, which postsubmits
// for a push, which job a /test command names) and hot-reloads the files
// behind a Getter, keeping the last good configuration when a change is bad.
package config
