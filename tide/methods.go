package tide

import (
	"bytes"
	"fmt"
	"regexp"
	"text/template"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/mapkeys"
)

// The merge methods GitHub offers.
const (
	MethodMerge  = "merge"
	MethodSquash = "squash"
	MethodRebase = "rebase"
)

// RepoMethod is the merge method merge_method sets for a branch of
// org/repo: the repository's entry (a method, or the first branch regex
// in sorted order that matches), else the org's, else merge.
func RepoMethod(t *config.Tide, org, repo, branch string) (string, error) {
	if m, ok := t.MergeType[org+"/"+repo]; ok && m.MergeType != "" {
		return m.MergeType, nil
	}
	o, ok := t.MergeType[org]
	if !ok {
		return MethodMerge, nil
	}
	if r, ok := o.Repos[repo]; ok {
		if r.MergeType != "" {
			return r.MergeType, nil
		}
		exprs := mapkeys.Sorted(r.Branches)
		for _, expr := range exprs {
			re, err := regexp.Compile(expr)
			if err != nil {
				return "", fmt.Errorf("tide.merge_method.%s.%s: branch %q: %w", org, repo, expr, err)
			}
			if re.MatchString(branch) {
				return r.Branches[expr], nil
			}
		}
	}
	if o.MergeType != "" {
		return o.MergeType, nil
	}
	return MethodMerge, nil
}

// prMethod is the method a pull request merges with: an override label
// (squash_label, rebase_label, merge_label) wins over the configured one.
// conflict is true when it carries more than one override label.
func prMethod(t *config.Tide, pr PR, configured string) (method string, conflict bool) {
	var found []string
	for _, o := range []struct{ label, method string }{
		{t.SquashLabel, MethodSquash}, {t.RebaseLabel, MethodRebase}, {t.MergeLabel, MethodMerge},
	} {
		if o.label != "" && pr.HasLabel(o.label) {
			found = append(found, o.method)
		}
	}
	switch len(found) {
	case 0:
		return configured, false
	case 1:
		return found[0], false
	}
	return configured, true
}

// templateData is what merge_commit_template sees, named as in Prow's
// templates ({{.Number}}, {{.Title}}, {{.Body}}, {{.Author.Login}},
// {{.HeadRefName}}, {{.HeadRefOID}}, {{.BaseRefName}}).
type templateData struct {
	Number      int
	Title       string
	Body        string
	Author      struct{ Login string }
	HeadRefName string
	HeadRefOID  string
	BaseRefName string
}

// CommitMessage renders merge_commit_template for the pull request (the
// org/repo entry, else the org's); empty strings let GitHub choose.
func CommitMessage(t *config.Tide, pr PR) (title, body string, err error) {
	tmpl, ok := t.MergeTemplate[pr.Org+"/"+pr.Repo]
	if !ok {
		tmpl = t.MergeTemplate[pr.Org]
	}
	data := templateData{Number: pr.Number, Title: pr.Title, Body: pr.Body, HeadRefName: pr.HeadRef, HeadRefOID: pr.HeadSHA, BaseRefName: pr.BaseRef}
	data.Author.Login = pr.Author
	if title, err = render("title", tmpl.TitleTemplate, data); err != nil {
		return "", "", err
	}
	if body, err = render("body", tmpl.BodyTemplate, data); err != nil {
		return "", "", err
	}
	return title, body, nil
}

func render(name, text string, data templateData) (string, error) {
	if text == "" {
		return "", nil
	}
	tmpl, err := template.New(name).Parse(text)
	if err != nil {
		return "", fmt.Errorf("merge_commit_template %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		return "", fmt.Errorf("merge_commit_template %s: %w", name, err)
	}
	return b.String(), nil
}
