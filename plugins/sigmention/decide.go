package sigmention

import "strings"

// Name is the plugin's name in plugins.yaml.
const Name = "sigmention"

// Kinds maps the team suffix a mention ends with to the kind label it
// adds.
var Kinds = map[string]string{
	"bugs":             "kind/bug",
	"feature-requests": "kind/feature",
	"api-reviews":      "kind/api-change",
	"proposals":        "kind/design",
}

// Plan is what to do about a text's mentions.
type Plan struct {
	// Add lists the labels to add, as the repository spells them.
	Add []string
	// Repeat lists the mentions to repeat, each once, in order; empty
	// when the writer's own mentions notify the teams.
	Repeat []string
}

// Decide plans the labels and the repeated mentions for matches of the
// sigmention regexp (each the whole mention, the SIG name and, when the
// regexp has a second group, the team suffix), on an issue carrying
// labels, in a repository with repoLabels, written by an org member or
// not.
func Decide(matches [][]string, repoLabels, labels []string, member bool) Plan {
	existing := map[string]string{}
	for _, l := range repoLabels {
		existing[strings.ToLower(l)] = l
	}
	has := map[string]bool{}
	for _, l := range labels {
		has[strings.ToLower(l)] = true
	}
	var p Plan
	add := func(label string) {
		name, ok := existing[strings.ToLower(label)]
		if !ok || has[strings.ToLower(label)] {
			return
		}
		has[strings.ToLower(label)] = true
		p.Add = append(p.Add, name)
	}
	repeated := map[string]bool{}
	for _, m := range matches {
		if len(m) < 2 || m[1] == "" {
			continue
		}
		add("sig/" + m[1])
		if len(m) > 2 {
			if kind, ok := Kinds[strings.ToLower(m[2])]; ok {
				add(kind)
			}
		}
		if !member && !repeated[strings.ToLower(m[0])] {
			repeated[strings.ToLower(m[0])] = true
			p.Repeat = append(p.Repeat, m[0])
		}
	}
	return p
}
