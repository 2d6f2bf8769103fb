package config

import "sort"

// presetIndex finds the presets whose labels a job carries without trying
// every preset on every job: Kubernetes' configuration has about a
// hundred presets and four thousand jobs, and a job carries a few labels.
type presetIndex struct {
	always  []int            // presets without labels: every job gets them
	byLabel map[string][]int // "key=value" -> presets having that label
}

func newPresetIndex(presets []Preset) *presetIndex {
	idx := &presetIndex{byLabel: map[string][]int{}}
	for i, p := range presets {
		if len(p.Labels) == 0 {
			idx.always = append(idx.always, i)
			continue
		}
		for k, v := range p.Labels {
			idx.byLabel[k+"="+v] = append(idx.byLabel[k+"="+v], i)
		}
	}
	return idx
}

// matching lists, in configuration order, the presets all of whose labels
// are among labels.
func (idx *presetIndex) matching(presets []Preset, labels map[string]string) []int {
	out := append([]int(nil), idx.always...)
	if len(labels) == 0 {
		return out
	}
	hits := map[int]int{}
	for k, v := range labels {
		for _, i := range idx.byLabel[k+"="+v] {
			hits[i]++
		}
	}
	for i, n := range hits {
		if n == len(presets[i].Labels) {
			out = append(out, i)
		}
	}
	sort.Ints(out)
	return out
}
