package stage

import "strings"

// Name is the plugin's name in plugins.yaml.
const Name = "stage"

// Stages are the stages, in order; each has the label "stage/<stage>".
var Stages = []string{"alpha", "beta", "stable"}

// Label is a stage's label.
func Label(stage string) string { return "stage/" + strings.ToLower(stage) }

// Command is one /stage or /remove-stage.
type Command struct {
	Remove bool
	Stage  string
}

// Change is what to do to an issue's labels.
type Change struct {
	Add    []string
	Remove []string
}

// Decide says how the commands, applied in order, change labels: /stage
// sets its label and removes the other stage labels; /remove-stage
// removes its label when it is there.
func Decide(labels []string, cmds []Command) Change {
	have := map[string]bool{}
	for _, l := range labels {
		have[strings.ToLower(l)] = true
	}
	after := map[string]bool{}
	for k := range have {
		after[k] = true
	}
	for _, c := range cmds {
		want := Label(c.Stage)
		if c.Remove {
			delete(after, want)
			continue
		}
		for _, s := range Stages {
			delete(after, Label(s))
		}
		after[want] = true
	}
	var ch Change
	for _, s := range Stages {
		l := Label(s)
		switch {
		case after[l] && !have[l]:
			ch.Add = append(ch.Add, l)
		case have[l] && !after[l]:
			ch.Remove = append(ch.Remove, l)
		}
	}
	return ch
}
