// Package version reports the build version of the prow binary.
package version

import "runtime/debug"

// version is set at build time with
// -ldflags "-X github.com/prowbot/prow/prow/version.version=v1.2.3".
var version = ""

// Get returns the build version: the one set at link time, else the module
// version or VCS revision Go recorded, else "dev".
func Get() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return "dev"
}
