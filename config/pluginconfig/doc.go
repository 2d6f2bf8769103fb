// Package pluginconfig holds the types, defaults, validation and lookups of
// Prow's plugins.yaml: which plugins each org and repository enables, the
// external plugins deliveries are forwarded to, and each plugin's settings.
package pluginconfig
