// Package labels compares GitHub label names the way GitHub does:
// case-insensitively. `lgtm`, `LGTM` and `Lgtm` are one label, so every
// component (plugins, tide, hook, config validation) asks this package
// rather than comparing names with ==.
package labels
