package main

import (
	"strings"
	"testing"
)

func TestDeckOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"the config is required", nil, "--config-path is required"},
		{"login needs a cookie secret", []string{"--config-path=c.yaml", "--github-oauth-config-file=o.yaml"}, "--cookie-secret"},
		{"a port must be a port", []string{"--config-path=c.yaml", "--port=70000"}, "is not a port"},
		{"good flags pass", []string{"--config-path=c.yaml", "--store=jobs.db", "--bucket-allow=a,b"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := &deckOptions{}
			if err := deckCommand(o).ParseFlags(tc.args); err != nil {
				t.Fatal(err)
			}
			err := o.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate: %v, want %q", err, tc.want)
			}
		})
	}
	cmd := newDeckCommand()
	for flag, def := range map[string]string{"port": "8080", "store": "", "show-hidden": "false"} {
		if f := cmd.Flags().Lookup(flag); f == nil || f.DefValue != def {
			t.Errorf("flag --%s: %+v, want default %q", flag, f, def)
		}
	}
}
