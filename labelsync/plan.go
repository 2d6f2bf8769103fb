package labelsync

import (
	"fmt"
	"strings"
	"time"

	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
)

// Kind is what an action does to a repository's label.
type Kind string

// The kinds of action, in the words of the plan.
const (
	// Create makes a missing label.
	Create Kind = "create"
	// Update changes a label's color, description or the case of its name.
	Update Kind = "update"
	// Rename gives a label under a previous name its new name (and color
	// and description); issues keep it.
	Rename Kind = "rename"
	// Migrate moves the issues of a previous name onto the label, which
	// exists too, and deletes the previous name.
	Migrate Kind = "migrate"
	// Delete removes a label past its deleteAfter.
	Delete Kind = "delete"
)

// Action is one change to one repository's labels.
type Action struct {
	Kind Kind
	// Name is the label as the repository has it now; for Create, the
	// label to make.
	Name string
	// To is the wanted name (Update, Rename, Migrate).
	To string
	// Color and Description are the wanted ones (Create, Update, Rename).
	Color, Description string
	// Changes describe what Update and Rename change, for the plan.
	Changes []string
}

// String describes the action as a step of the plan.
func (a Action) String() string {
	switch a.Kind {
	case Create:
		return fmt.Sprintf("create label %q (color %s, description %q)", a.Name, a.Color, a.Description)
	case Update:
		return fmt.Sprintf("update label %q: %s", a.Name, strings.Join(a.Changes, ", "))
	case Rename:
		s := fmt.Sprintf("rename label %q to %q", a.Name, a.To)
		if len(a.Changes) > 0 {
			s += ": " + strings.Join(a.Changes, ", ")
		}
		return s
	case Migrate:
		return fmt.Sprintf("move the issues and pull requests labeled %q to %q and delete %q", a.Name, a.To, a.Name)
	case Delete:
		return fmt.Sprintf("delete label %q", a.Name)
	}
	return fmt.Sprintf("%s label %q", a.Kind, a.Name)
}

// Plan works out the actions that bring a repository's current labels to
// the wanted ones at now. Each wanted label that is not past its
// deleteAfter is updated when it exists under its name (in any case),
// renamed from the first of its previous names that exists otherwise, and
// created when neither exists; every other previous name that exists is
// migrated into it. A wanted label past its deleteAfter is deleted when it
// exists. Labels the configuration does not name are left alone. The
// actions come in the order of the wanted labels, a rename before the
// migrations into the same label.
func Plan(wanted []Label, current []github.Label, now time.Time) []Action {
	have := make(map[string]github.Label, len(current)) // what the repository holds once the actions so far are done
	for _, c := range current {
		have[labels.Key(c.Name)] = c
	}
	var out []Action
	for _, l := range wanted {
		if l.Dead(now) {
			if c, ok := have[labels.Key(l.Name)]; ok {
				out = append(out, Action{Kind: Delete, Name: c.Name})
				delete(have, labels.Key(l.Name))
			}
			continue
		}
		out = append(out, planLabel(l, have)...)
	}
	return out
}

// planLabel plans one wanted label that is alive, and updates have to
// what the repository holds after the actions, so that a previous name
// two labels share goes to the first.
func planLabel(l Label, have map[string]github.Label) []Action {
	var out []Action
	color := strings.ToLower(l.Color)
	renamed := ""
	if c, ok := have[labels.Key(l.Name)]; ok {
		changes := differences(c, l)
		if c.Name != l.Name {
			changes = append([]string{fmt.Sprintf("name %q -> %q", c.Name, l.Name)}, changes...)
		}
		if len(changes) > 0 {
			out = append(out, Action{Kind: Update, Name: c.Name, To: l.Name, Color: color, Description: l.Description, Changes: changes})
		}
	} else {
		for _, p := range l.Previously {
			if c, ok := have[labels.Key(p.Name)]; ok {
				renamed = labels.Key(c.Name)
				delete(have, renamed)
				out = append(out, Action{Kind: Rename, Name: c.Name, To: l.Name, Color: color, Description: l.Description, Changes: differences(c, l)})
				break
			}
		}
		if renamed == "" {
			out = append(out, Action{Kind: Create, Name: l.Name, Color: color, Description: l.Description})
		}
	}
	have[labels.Key(l.Name)] = github.Label{Name: l.Name, Color: color, Description: l.Description}
	for _, p := range l.Previously {
		c, ok := have[labels.Key(p.Name)]
		if !ok || labels.Equal(c.Name, l.Name) {
			continue
		}
		delete(have, labels.Key(c.Name))
		out = append(out, Action{Kind: Migrate, Name: c.Name, To: l.Name})
	}
	return out
}

// differences lists how current's color and description differ from l's.
func differences(current github.Label, l Label) []string {
	var out []string
	if !strings.EqualFold(current.Color, l.Color) {
		out = append(out, fmt.Sprintf("color %s -> %s", current.Color, strings.ToLower(l.Color)))
	}
	if current.Description != l.Description {
		out = append(out, fmt.Sprintf("description %q -> %q", current.Description, l.Description))
	}
	return out
}
