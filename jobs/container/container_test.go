package container

import (
	"slices"
	"strings"
	"testing"
)

func TestCommand(t *testing.T) {
	o := Options{Podman: "/usr/bin/podman", Runtime: "/usr/sbin/runc", Ulimits: []string{"nofile=1024:1024"}, NoNetwork: true}
	j := Job{RunsDir: "/data/runs", Name: "abc", Image: "localhost/img:1", Argv: []string{"make", "test"},
		Env:  []string{"PATH=/host/bin", "HOME=/root", "JOB_NAME=unit", "CONTAINERS_CONF=/x", "SHELL=/bin/bash"},
		Work: "/data/runs/abc/code/src", Writable: []string{"/data/runs/abc/code", "/data/runs/abc/artifacts"}}
	argv, env, err := o.Command(j, "/usr/bin")
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Join(argv, " ")
	for _, want := range []string{
		"/usr/bin/podman --runtime /usr/sbin/runc run --rm --pull never --name " + Name("/data/runs", "abc"),
		"--label " + WorkDirLabel + "=/data/runs --label " + JobLabel + "=abc",
		"--read-only --tmpfs /tmp --cap-drop ALL",
		"--ulimit nofile=1024:1024 --network none",
		"-v /data/runs/abc/code:/data/runs/abc/code -v /data/runs/abc/artifacts:/data/runs/abc/artifacts",
		"-e JOB_NAME -e CONTAINERS_CONF=/x -e HOME=/tmp -e TMPDIR=/tmp",
		"-w /data/runs/abc/code/src --entrypoint make localhost/img:1 test",
	} {
		if !strings.Contains(line, want) {
			t.Errorf("the command lacks %q:\n%s", want, line)
		}
	}
	if strings.Contains(line, "/host/bin") || strings.Contains(line, "/bin/bash") {
		t.Errorf("the host's PATH or SHELL reached the container:\n%s", line)
	}
	if want := []string{"PATH=/usr/bin", "JOB_NAME=unit"}; !slices.Equal(env, want) {
		t.Errorf("podman's environment is %q, want %q", env, want)
	}
}

func TestCommandRefuses(t *testing.T) {
	o := Options{Podman: "podman"}
	good := Job{Image: "i", Argv: []string{"true"}, Work: "/w"}
	tests := []struct {
		name string
		edit func(*Job)
	}{
		{"no command", func(j *Job) { j.Argv = nil }},
		{"no image", func(j *Job) { j.Image = "" }},
		{"a relative work dir", func(j *Job) { j.Work = "w" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := good
			tc.edit(&j)
			if _, _, err := o.Command(j, ""); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestNameIsAValidContainerNameWhateverTheJob(t *testing.T) {
	for _, job := range []string{"abc", "with space", "ünïcode", strings.Repeat("x", 300)} {
		n := Name("/runs", job)
		if len(n) > 63 || strings.Trim(n, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			t.Errorf("Name(%q) = %q", job, n)
		}
	}
	if Name("/a", "j") == Name("/b", "j") {
		t.Error("two work dirs give the same container name")
	}
}
