package retitle

import "testing"

func TestDecide(t *testing.T) {
	cases := []struct {
		name                              string
		args                              string
		collaborator, closed, isPR, allow bool
		title, reply                      string
	}{
		{"a collaborator retitles", " New title ", true, false, true, false, "New title", ""},
		{"others may not", "x", false, false, true, false, "", "Titles may only be changed by collaborators."},
		{"closed PRs stay as they are", "x", true, true, true, true, "", "Closed issues and pull requests cannot be retitled."},
		{"closed issues when allowed", "x", true, true, false, true, "x", ""},
		{"closed issues when not allowed", "x", true, true, false, false, "", "Closed issues and pull requests cannot be retitled."},
		{"an empty title", "  ", true, false, false, false, "", "Titles may not be empty."},
		{"no nested command", "a /retitle b", true, false, false, false, "", "Titles may not contain the /retitle command."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			title, reply := Decide(tc.args, tc.collaborator, tc.closed, tc.isPR, tc.allow)
			if title != tc.title || reply != tc.reply {
				t.Errorf("got %q %q, want %q %q", title, reply, tc.title, tc.reply)
			}
		})
	}
}
