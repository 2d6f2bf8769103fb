// Package catalog lists every in-process plugin the binary has, in one
// place, built with the GitHub client they need.
package catalog

import (
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/assign"
	"github.com/prowbot/prow/plugins/help"
	"github.com/prowbot/prow/plugins/hold"
	"github.com/prowbot/prow/plugins/label"
	"github.com/prowbot/prow/plugins/lgtm"
	"github.com/prowbot/prow/plugins/lifecycle"
	"github.com/prowbot/prow/plugins/retitle"
	"github.com/prowbot/prow/plugins/size"
	"github.com/prowbot/prow/plugins/wip"
	"github.com/prowbot/prow/prow/github"
)

// All returns the plugins, built with gh.
func All(gh *github.Client) []plugins.Plugin {
	return []plugins.Plugin{
		assign.New(gh),
		help.New(gh),
		hold.New(gh),
		label.New(gh),
		lgtm.New(gh),
		lifecycle.New(gh),
		retitle.New(gh),
		size.New(gh),
		wip.New(gh),
	}
}

// Names lists the plugins' names (from the same list, built without a
// client: nothing is called).
func Names() []string {
	var out []string
	for _, p := range All(nil) {
		out = append(out, p.Name)
	}
	return out
}
