package labelsync

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/prowbot/prow/prow/mapkeys"
)

// WriteDocs writes a Markdown page describing every label of c: the
// default ones, then each org's and each repository's, each scope grouped
// by target. It is what `prow label-sync --action docs` writes.
func WriteDocs(w io.Writer, c *Configuration) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { _, _ = fmt.Fprintf(b, format, args...) }
	p("# Labels\n\n")
	p("The labels that label-sync keeps on GitHub, from labels.yaml. Written by\n")
	p("`prow label-sync --action docs`: change labels.yaml, not this page.\n")
	docScope(p, "Labels of every repository", c.Default.Labels)
	for _, org := range mapkeys.Sorted(c.Orgs) {
		docScope(p, "Labels of every repository of "+org, c.Orgs[org].Labels)
	}
	for _, repo := range mapkeys.Sorted(c.Repos) {
		docScope(p, "Labels of "+repo, c.Repos[repo].Labels)
	}
	return b.Flush()
}

// docScope writes one scope's section, a table per target.
func docScope(p func(string, ...any), title string, list []Label) {
	if len(list) == 0 {
		return
	}
	p("\n## %s\n", title)
	for _, g := range []struct {
		heading string
		keep    func(Target) bool
	}{
		{"For issues and pull requests", func(t Target) bool { return t == "" || t == TargetBoth }},
		{"For issues only", func(t Target) bool { return t == TargetIssues }},
		{"For pull requests only", func(t Target) bool { return t == TargetPRs }},
	} {
		first := true
		for _, l := range list {
			if !g.keep(l.Target) {
				continue
			}
			if first {
				p("\n### %s\n\n| Name | Description | Added by | Prow plugin |\n|---|---|---|---|\n", g.heading)
				first = false
			}
			p("| `%s` | %s | %s | %s |\n", cell(l.Name), cell(docDescription(l)), cell(l.AddedBy), cell(docPlugin(l)))
		}
	}
}

func docDescription(l Label) string {
	d := l.Description
	var notes []string
	if len(l.Previously) > 0 {
		var names []string
		for _, prev := range l.Previously {
			names = append(names, prev.Name)
		}
		notes = append(notes, "previously "+strings.Join(names, ", "))
	}
	if l.DeleteAfter != "" {
		notes = append(notes, "deleted after "+l.DeleteAfter)
	}
	if len(notes) > 0 {
		d = strings.TrimSpace(d + " (" + strings.Join(notes, "; ") + ")")
	}
	return d
}

func docPlugin(l Label) string {
	if l.IsExternalPlugin && l.ProwPlugin != "" {
		return l.ProwPlugin + " (external)"
	}
	return l.ProwPlugin
}

// cell makes s safe inside a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}
