package local

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestExpand(t *testing.T) {
	vars := map[string]string{"A": "1", "EMPTY": ""}
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"$(A)", "1"},
		{"x$(A)y$(A)", "x1y1"},
		{"$(EMPTY)-", "-"},
		{"$(UNSET)", "$(UNSET)"},
		{"$$(A)", "$(A)"},
		{"$$", "$"},
		{"$A ${A} $", "$A ${A} $"},
		{"$(A", "$(A"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := expand(tc.in, vars); got != tc.want {
				t.Errorf("expand(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestJobEnv(t *testing.T) {
	var warned []string
	got := jobEnv(
		[]string{"PATH=/bin", "HOME=/home/me"},
		[]corev1.EnvVar{{Name: "JOB_NAME", Value: "mine"}, {Name: "OUT", Value: "$(ARTIFACTS)/out"}, {Name: "SECRET", ValueFrom: &corev1.EnvVarSource{}}, {Name: "HOME", Value: "/tmp"}},
		map[string]string{"JOB_NAME": "job", "ARTIFACTS": "/run/artifacts"},
		func(string, ...any) { warned = append(warned, "x") },
	)
	want := map[string]string{"PATH": "/bin", "HOME": "/tmp", "JOB_NAME": "job", "ARTIFACTS": "/run/artifacts", "OUT": "/run/artifacts/out"}
	if !reflect.DeepEqual(got, want) || len(warned) != 1 {
		t.Errorf("env = %v (warnings %d), want %v", got, len(warned), want)
	}
}
