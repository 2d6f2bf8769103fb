// Package label is the label plugin: `/kind bug`, `/area foo`,
// `/priority x`, `/sig y`, `/triage z` (and committee, language, wg) add
// prefixed labels, `/remove-kind bug` and friends remove them, and
// `/label x` / `/remove-label x` handle the extra labels plugins.yaml
// allows. Labels must exist in the repository.
package label

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
)

// Name is the plugin's name in plugins.yaml.
const Name = "label"

// categories are the prefixed commands.
var categories = []string{"area", "committee", "kind", "language", "priority", "sig", "triage", "wg"}

// Client is what the plugin needs of GitHub.
type Client interface {
	plugins.RepoLabelLister
	plugins.LabelEditor
	CreateComment(ctx context.Context, org, repo string, number int, body string) (github.IssueComment, error)
	IsMember(ctx context.Context, org, login string) (bool, error)
}

// Request is one comment's label commands and what is known around them.
type Request struct {
	Invocations []plugins.Invocation
	Have        []string        // labels on the issue
	Exist       map[string]bool // labels of the repository, lower-cased
	Additional  []string        // labels /label may add
	OrgMember   bool
}

// Plan is what to do.
type Plan struct {
	Add, Remove []string
	Replies     []string
}

// Decide turns label commands into label changes and replies.
func Decide(r Request) Plan {
	var p Plan
	have := map[string]bool{}
	for _, l := range r.Have {
		have[strings.ToLower(l)] = true
	}
	var missing, unsupported, notSet []string
	for _, inv := range r.Invocations {
		remove := strings.HasPrefix(inv.Name, "remove-")
		cmd := strings.TrimPrefix(inv.Name, "remove-")
		for _, value := range strings.Fields(inv.Args) {
			name := strings.ToLower(value)
			if cmd != "label" {
				name = cmd + "/" + name
			} else if !labels.Has(r.Additional, value) {
				unsupported = append(unsupported, value)
				continue
			}
			switch {
			case remove && !have[name]:
				notSet = append(notSet, name)
			case remove:
				p.Remove = append(p.Remove, name)
				have[name] = false
			case !r.Exist[name]:
				missing = append(missing, name)
			case name == "triage/accepted" && !r.OrgMember:
				p.Replies = append(p.Replies, "The label `triage/accepted` cannot be applied. Only GitHub organization members can add the label.")
			case !have[name]:
				p.Add = append(p.Add, name)
				have[name] = true
			}
		}
	}
	p.Add, p.Remove = needsLabels(p.Add, p.Remove, have, r.Exist)
	p.Replies = append(p.Replies, refusals(missing, unsupported, notSet, r.Additional)...)
	return p
}

// refusals explains the labels that could not be changed.
func refusals(missing, unsupported, notSet, additional []string) []string {
	var out []string
	if len(missing) > 0 {
		out = append(out, fmt.Sprintf("The label(s) `%s` cannot be applied, because the repository doesn't have them.", strings.Join(missing, ", ")))
	}
	if len(unsupported) > 0 {
		out = append(out, fmt.Sprintf("The label(s) `%s` cannot be applied. These labels are supported: `%s`.", strings.Join(unsupported, ", "), strings.Join(additional, ", ")))
	}
	if len(notSet) > 0 {
		out = append(out, fmt.Sprintf("Those labels are not set on the issue: `%s`", strings.Join(notSet, ", ")))
	}
	return out
}

// needsLabels keeps needs-<category> labels in step: removed when a label
// of the category is added, added back when the last one goes, if the
// repository has it.
func needsLabels(add, remove []string, have, exist map[string]bool) ([]string, []string) {
	for _, cat := range categories {
		needs := "needs-" + cat
		present := false
		for l, on := range have {
			present = present || (on && strings.HasPrefix(l, cat+"/"))
		}
		touched := false
		for _, l := range append(append([]string{}, add...), remove...) {
			touched = touched || strings.HasPrefix(l, cat+"/")
		}
		switch {
		case !touched:
		case present && have[needs]:
			remove = append(remove, needs)
		case !present && !have[needs] && exist[needs]:
			add = append(add, needs)
		}
	}
	return add, remove
}

func commandNames() (names []string) {
	for _, c := range append(append([]string{}, categories...), "label") {
		names = append(names, c, "remove-"+c)
	}
	sort.Strings(names)
	return names
}

// New builds the plugin.
func New(gh Client) plugins.Plugin {
	names := commandNames()
	handle := func(ctx context.Context, env plugins.Env, ev plugins.GenericCommentEvent, invs []plugins.Invocation) error {
		org, repo, n := ev.Repo.Org, ev.Repo.Name, ev.Number
		exist, err := plugins.RepoLabels(ctx, gh, org, repo)
		if err != nil {
			return err
		}
		member, err := gh.IsMember(ctx, org, ev.User)
		if err != nil {
			return err
		}
		p := Decide(Request{Invocations: invs, Have: ev.Labels, Exist: exist, Additional: env.PluginConfig().Label.AdditionalLabels, OrgMember: member})
		if err := plugins.Relabel(ctx, gh, org, repo, n, p.Add, p.Remove); err != nil {
			return err
		}
		if len(p.Replies) > 0 {
			_, err := gh.CreateComment(ctx, org, repo, n, plugins.FormatCommentResponse(ev, strings.Join(p.Replies, "\n\n")))
			return err
		}
		return nil
	}
	return plugins.Plugin{
		Name:        Name,
		Description: "Adds and removes labels by category (/kind, /area, /priority, /sig, /triage, /committee, /language, /wg) and the extra labels plugins.yaml allows (/label).",
		Commands: []plugins.Command{{
			Name: names[0], Aliases: names[1:], Args: regexp.MustCompile(`^\S.*$`),
			Usage:       "/[remove-](area|committee|kind|language|priority|sig|triage|wg|label) <value>",
			Description: "Applies or removes a label. Category commands add <category>/<value>; /label adds a label listed in label.additional_labels. The label must exist in the repository.",
			WhoCanUse:   "Anyone; triage/accepted needs an org member.",
			Examples:    []string{"/kind bug", "/area ci", "/remove-priority backlog", "/label api-review"}, Featured: true, Handle: handle,
		}},
	}
}
