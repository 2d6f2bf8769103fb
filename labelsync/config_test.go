package labelsync

import (
	"strings"
	"testing"
	"time"
)

// TestKubernetesLabelsLoad parses the Kubernetes project's real
// labels.yaml whole and validates it.
func TestKubernetesLabelsLoad(t *testing.T) {
	c, unknown, err := Load("testdata/labels.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(unknown) > 0 {
		t.Errorf("unknown fields: %v", unknown)
	}
	if n := len(c.Default.Labels); n < 100 {
		t.Errorf("%d default labels, want the whole set", n)
	}
	k := c.LabelsFor("kubernetes", "k8s.io")
	find := func(list []Label, name string) *Label {
		for i := range list {
			if list[i].Name == name {
				return &list[i]
			}
		}
		return nil
	}
	if l := find(k, "area/cluster-mgmt"); l == nil || !l.Dead(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || l.Dead(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("kubernetes/k8s.io area/cluster-mgmt = %+v, want deleted after 2021-08-04", l)
	}
	if l := find(k, "area/provider/aws"); l == nil || len(l.Previously) == 0 || l.Previously[0].Name != "area/platform/aws" {
		t.Errorf("area/provider/aws = %+v, want previously area/platform/aws", l)
	}
	if len(k) <= len(c.Default.Labels) {
		t.Errorf("kubernetes/k8s.io has %d labels, want its own on top of the %d default ones", len(k), len(c.Default.Labels))
	}
	if len(c.LabelsFor("kubernetes", "not-configured")) != len(c.Default.Labels) {
		t.Error("a repository without its own labels should get exactly the default ones")
	}
}

func TestParseRejectsBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		wants      []string
	}{
		{
			name:  "a duplicate label in one scope, whatever its case",
			yaml:  "default:\n  labels:\n  - name: bug\n    color: e11d21\n  - name: Bug\n    color: e11d21\n",
			wants: []string{`labels.yaml:5: duplicate label "Bug": "bug" is already defined at line 3`},
		},
		{
			name:  "a repository label that the default scope has",
			yaml:  "default:\n  labels:\n  - name: bug\n    color: e11d21\nrepos:\n  demo/hello:\n    labels:\n    - name: BUG\n      color: e11d21\n",
			wants: []string{`labels.yaml:8: duplicate label "BUG"`},
		},
		{
			name:  "a color that is not 6 hex digits",
			yaml:  "default:\n  labels:\n  - name: bug\n    color: \"#e11d21\"\n  - name: kind/x\n    color: e11d2\n",
			wants: []string{`labels.yaml:4: label "bug": color "#e11d21" is not 6 hex digits`, `labels.yaml:6: label "kind/x": color "e11d2"`},
		},
		{
			name:  "a missing color",
			yaml:  "default:\n  labels:\n  - name: bug\n",
			wants: []string{`labels.yaml:3: label "bug": color "" is not 6 hex digits`},
		},
		{
			name:  "a previous name that collides with another label",
			yaml:  "default:\n  labels:\n  - name: bug\n    color: e11d21\n  - name: kind/bug\n    color: e11d21\n    previously:\n    - name: Bug\n",
			wants: []string{`labels.yaml:8: previous name "Bug" of label "kind/bug" collides with another label: "bug" is defined at line 3`},
		},
		{
			name:  "a previous name that collides with a label written after it",
			yaml:  "default:\n  labels:\n  - name: kind/bug\n    color: e11d21\n    previously:\n    - name: bug\n  - name: BUG\n    color: e11d21\n",
			wants: []string{`labels.yaml:6: previous name "bug" of label "kind/bug" collides with another label: "BUG" is defined at line 7`},
		},
		{
			name:  "a repository label named as a previous name of a default label",
			yaml:  "default:\n  labels:\n  - name: kind/bug\n    color: e11d21\n    previously:\n    - name: bug\nrepos:\n  demo/hello:\n    labels:\n    - name: Bug\n      color: e11d21\n",
			wants: []string{`labels.yaml:10: label "Bug" collides with "bug", a previous name of label "kind/bug" at line 6`},
		},
		{
			name:  "an unknown target",
			yaml:  "default:\n  labels:\n  - name: bug\n    color: e11d21\n    target: commits\n",
			wants: []string{`labels.yaml:5: label "bug": unknown target "commits" (want prs, issues or both)`},
		},
		{
			name:  "a repos key not of the form org/repo",
			yaml:  "default:\n  labels: []\nrepos:\n  hello:\n    labels: []\n  a/b/c:\n    labels: []\n",
			wants: []string{`labels.yaml:4: repos key "hello" is not of the form org/repo`, `labels.yaml:6: repos key "a/b/c"`},
		},
		{
			name:  "a repository label that its org's scope has",
			yaml:  "default:\n  labels: []\norgs:\n  demo:\n    labels:\n    - name: demo-bug\n      color: e11d21\nrepos:\n  demo/hello:\n    labels:\n    - name: Demo-Bug\n      color: e11d21\n  other/hello:\n    labels:\n    - name: demo-bug\n      color: e11d21\n",
			wants: []string{`labels.yaml:11: duplicate label "Demo-Bug": "demo-bug" is already defined at line 6`},
		},
		{
			name:  "an orgs key with a slash",
			yaml:  "default:\n  labels: []\norgs:\n  demo/hello:\n    labels: []\n",
			wants: []string{`labels.yaml:4: orgs key "demo/hello" is not an org name`},
		},
		{
			name:  "an unparsable deleteAfter",
			yaml:  "default:\n  labels:\n  - name: bug\n    color: e11d21\n    deleteAfter: next week\n",
			wants: []string{`labels.yaml:5: label "bug": deleteAfter "next week" is not an RFC 3339 time`},
		},
		{
			name:  "a label without a name",
			yaml:  "default:\n  labels:\n  - color: e11d21\n",
			wants: []string{`labels.yaml:3: a label has no name`},
		},
		{
			name:  "a description longer than GitHub keeps",
			yaml:  "default:\n  labels:\n  - name: bug\n    color: e11d21\n    description: " + strings.Repeat("x", 101) + "\n",
			wants: []string{`labels.yaml:5: label "bug": description is 101 characters long`},
		},
		{
			name:  "a value of the wrong type",
			yaml:  "default:\n  labels:\n  - name: bug\n    color: e11d21\n    previously: bug-old\n",
			wants: []string{`labels.yaml:5:`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _, err := Parse("labels.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatalf("accepted: %+v", c)
			}
			if c != nil {
				t.Error("an invalid file still gave a configuration")
			}
			for _, w := range tc.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestParseAcceptsTheFormat(t *testing.T) {
	yaml := `default:
  labels:
  - name: bug
    color: E11D21
    target: issues
    prowPlugin: label
    addedBy: anyone
  - name: old-thing
    color: ededed
    deleteAfter: "2020-01-02T00:00:00Z"
orgs:
  demo:
    labels:
    - name: demo/only
      color: "000000"
      target: prs
repos:
  demo/hello:
    labels:
    - name: kind/feature
      color: 0e8a16
      isExternalPlugin: true
      previously:
      - name: enhancement
        color: ededed
    surprise: 1
`
	c, unknown, err := Parse("labels.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	if len(unknown) != 1 || unknown[0].Line != 26 {
		t.Errorf("unknown fields = %v, want surprise at line 26", unknown)
	}
	var names []string
	for _, l := range c.LabelsFor("demo", "hello") {
		names = append(names, l.Name)
	}
	if got := strings.Join(names, ","); got != "bug,old-thing,demo/only,kind/feature" {
		t.Errorf("demo/hello labels = %s", got)
	}
	if got := len(c.LabelsFor("other", "repo")); got != 2 {
		t.Errorf("other/repo has %d labels, want the 2 default ones", got)
	}
}
