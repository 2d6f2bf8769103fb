// Package yamlconf decodes YAML configuration files into Go types that carry
// JSON tags, the way Kubernetes-style configuration is usually written.
//
// Decoding is driven by the target type: a scalar bound for a string field
// keeps its literal text (so `version: 1.10` stays "1.10"), YAML 1.1 words
// such as `yes` and `off` are accepted for booleans, anchors, aliases and
// merge keys are resolved, and duplicate keys are rejected. Every error and
// every unknown field is reported with the file and the line it came from,
// so a person can find the mistake without searching.
package yamlconf
