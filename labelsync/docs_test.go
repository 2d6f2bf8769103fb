package labelsync

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteDocs(t *testing.T) {
	c, _, err := Parse("labels.yaml", []byte(`default:
  labels:
  - name: lgtm
    color: 15dd18
    description: Looks good | ship it
    target: prs
    prowPlugin: lgtm
    addedBy: reviewers or members
  - name: kind/bug
    color: e11d21
    description: A bug
    previously: [{name: bug}, {name: defect}]
  - name: triage/accepted
    color: 8fc951
    target: issues
    prowPlugin: needs-triage
    isExternalPlugin: true
    deleteAfter: "2030-01-01T00:00:00Z"
repos:
  demo/hello:
    labels:
    - name: hello-only
      color: "000000"
`))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteDocs(&b, c); err != nil {
		t.Fatal(err)
	}
	doc := b.String()
	for _, tc := range []struct{ name, want string }{
		{"labels for both come first", "## Labels of every repository\n\n### For issues and pull requests\n\n| Name | Description | Added by | Prow plugin |\n|---|---|---|---|\n| `kind/bug` | A bug (previously bug, defect) |  |  |\n"},
		{"issue labels have their table, external plugins marked", "### For issues only\n\n| Name | Description | Added by | Prow plugin |\n|---|---|---|---|\n| `triage/accepted` | (deleted after 2030-01-01T00:00:00Z) |  | needs-triage (external) |\n"},
		{"pipes in cells are escaped", "| `lgtm` | Looks good \\| ship it | reviewers or members | lgtm |"},
		{"each repository has its section", "## Labels of demo/hello\n\n### For issues and pull requests\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(doc, tc.want) {
				t.Errorf("docs lack\n%s\nin\n%s", tc.want, doc)
			}
		})
	}
	if strings.Index(doc, "For issues only") > strings.Index(doc, "For pull requests only") {
		t.Error("issue labels should come before pull request labels")
	}
}

func TestWriteDocsOfKubernetesLabels(t *testing.T) {
	c, _, err := Load("testdata/labels.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteDocs(&b, c); err != nil {
		t.Fatal(err)
	}
	rows := strings.Count(b.String(), "\n| `")
	want := len(c.Default.Labels)
	for _, r := range c.Repos {
		want += len(r.Labels)
	}
	if rows != want {
		t.Errorf("%d label rows, want one per label (%d)", rows, want)
	}
}
