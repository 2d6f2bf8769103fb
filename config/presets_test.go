package config

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestPresetsApplyByTheirLabels(t *testing.T) {
	env := func(name string) []corev1.EnvVar { return []corev1.EnvVar{{Name: name, Value: "1"}} }
	presets := []Preset{
		{Labels: map[string]string{"preset-a": "true"}, Env: env("A")},
		{Env: env("EVERYONE")},
		{Labels: map[string]string{"preset-a": "true", "preset-b": "true"}, Env: env("AB")},
		{Labels: map[string]string{"preset-b": "false"}, Env: env("NOT_B")},
		{Labels: map[string]string{"preset-c": "yes"}, Env: env("C")},
	}
	cases := []struct {
		name   string
		labels map[string]string
		want   []string
	}{
		{"no labels get the label-less presets", nil, []string{"EVERYONE"}},
		{"one label", map[string]string{"preset-a": "true"}, []string{"A", "EVERYONE"}},
		{"all of a preset's labels", map[string]string{"preset-a": "true", "preset-b": "true"}, []string{"A", "EVERYONE", "AB"}},
		{"a value that differs", map[string]string{"preset-b": "true", "preset-c": "no"}, []string{"EVERYONE"}},
		{"configuration order, not label order", map[string]string{"preset-c": "yes", "preset-b": "false", "other": "x"}, []string{"EVERYONE", "NOT_B", "C"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			envNames := func(atLoad bool) []string {
				c := &Config{JobConfig: JobConfig{Presets: presets}}
				if atLoad {
					c.presetIdx = newPresetIndex(presets)
				}
				base := JobBase{Name: "j", Labels: tc.labels, Spec: &corev1.PodSpec{Containers: []corev1.Container{{Image: "x"}}}}
				if err := c.defaultJobBase(&base, "o/r"); err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, e := range base.Spec.Containers[0].Env {
					names = append(names, e.Name)
				}
				return names
			}
			onDemand, atLoad := envNames(false), envNames(true)
			if !reflect.DeepEqual(onDemand, tc.want) || !reflect.DeepEqual(atLoad, tc.want) {
				t.Errorf("presets indexed on demand: %v; at load: %v; want %v", onDemand, atLoad, tc.want)
			}
		})
	}
}
