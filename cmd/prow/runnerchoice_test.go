package main

import (
	"slices"
	"testing"

	"github.com/prowbot/prow/jobs/container"
)

func TestContainerOptionsFillWhatTheFlagsLeaveEmpty(t *testing.T) {
	found := container.Found{Podman: "/usr/bin/podman", Runtime: "/usr/sbin/runc", Ulimits: []string{"nofile=1024:1024"}}
	tests := []struct {
		name        string
		runtime     string
		ulimits     []string
		wantRuntime string
		wantUlimits []string
	}{
		{"nothing set takes the probe's", "", nil, "/usr/sbin/runc", []string{"nofile=1024:1024"}},
		{"a runtime keeps the probe's ulimits", "crun", nil, "crun", []string{"nofile=1024:1024"}},
		{"ulimits keep the probe's runtime", "", []string{"nproc=64:64"}, "/usr/sbin/runc", []string{"nproc=64:64"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &containerFlags{runtime: tc.runtime, ulimits: tc.ulimits}
			o := c.options(found, true)
			if o.Runtime != tc.wantRuntime || !slices.Equal(o.Ulimits, tc.wantUlimits) || !o.NoNetwork || o.Podman != found.Podman {
				t.Errorf("options %+v, want runtime %s and ulimits %v, no network", o, tc.wantRuntime, tc.wantUlimits)
			}
		})
	}
}

func TestServeRefusesAnUnknownRunner(t *testing.T) {
	for _, runner := range []string{"", "host", "sandbox", "container"} {
		if err := (&serveOptions{runner: runner}).validateSecurity(); err != nil {
			t.Errorf("--runner %q refused: %v", runner, err)
		}
	}
	if err := (&serveOptions{runner: "docker"}).validateSecurity(); err == nil {
		t.Error("--runner docker accepted")
	}
}
