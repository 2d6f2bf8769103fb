package lens

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// PodInfo is what podinfo.json holds (Prow's crier writes it): the
// job's pod and its events.
type PodInfo struct {
	Pod    *corev1.Pod     `json:"pod"`
	Events []corev1.Event  `json:"events,omitempty"`
	Node   json.RawMessage `json:"node,omitempty"`
}

// ParsePodInfo reads a podinfo.json.
func ParsePodInfo(name string, data []byte) (*PodInfo, error) {
	var pi PodInfo
	if err := json.Unmarshal(data, &pi); err != nil {
		return nil, fmt.Errorf("parse pod info %s: %w", name, err)
	}
	if pi.Pod == nil {
		return nil, fmt.Errorf("parse pod info %s: no pod", name)
	}
	return &pi, nil
}

// PodView is the pod lens's summary of a pod.
type PodView struct {
	Name, Namespace, Node, Phase, Reason, Message string
	Conditions                                    []PodCondition
	Containers                                    []ContainerView
	Events                                        []EventView
}

// PodCondition is one condition of the pod.
type PodCondition struct {
	Type, Status, Reason, Message string
	Time                          time.Time
}

// ContainerView is one container's status.
type ContainerView struct {
	Name, Kind, State, Reason, Message string
	Ready                              bool
	Restarts                           int32
	// ExitCode is set once the container has terminated.
	ExitCode *int32
	Image    string
}

// EventView is one event about the pod.
type EventView struct {
	Type, Reason, Message, Source string
	Count                         int32
	Time                          time.Time
}

// View sums up the pod for the page: phase, conditions, containers
// (init containers first) and events, oldest first.
func (pi *PodInfo) View() PodView {
	p := pi.Pod
	v := PodView{Name: p.Name, Namespace: p.Namespace, Node: p.Spec.NodeName, Phase: string(p.Status.Phase), Reason: p.Status.Reason, Message: p.Status.Message}
	for _, c := range p.Status.Conditions {
		v.Conditions = append(v.Conditions, PodCondition{Type: string(c.Type), Status: string(c.Status), Reason: c.Reason, Message: c.Message, Time: c.LastTransitionTime.Time})
	}
	for _, c := range p.Status.InitContainerStatuses {
		v.Containers = append(v.Containers, containerView("init", c))
	}
	for _, c := range p.Status.ContainerStatuses {
		v.Containers = append(v.Containers, containerView("", c))
	}
	for _, e := range pi.Events {
		t := e.LastTimestamp.Time
		if t.IsZero() {
			t = e.EventTime.Time
		}
		if t.IsZero() {
			t = e.FirstTimestamp.Time
		}
		src := e.Source.Component
		if src == "" {
			src = e.ReportingController
		}
		v.Events = append(v.Events, EventView{Type: e.Type, Reason: e.Reason, Message: e.Message, Source: src, Count: e.Count, Time: t})
	}
	sort.SliceStable(v.Events, func(i, j int) bool { return v.Events[i].Time.Before(v.Events[j].Time) })
	return v
}

func containerView(kind string, c corev1.ContainerStatus) ContainerView {
	cv := ContainerView{Name: c.Name, Kind: kind, Ready: c.Ready, Restarts: c.RestartCount, Image: c.Image}
	switch s := c.State; {
	case s.Terminated != nil:
		code := s.Terminated.ExitCode
		cv.State, cv.Reason, cv.Message, cv.ExitCode = "terminated", s.Terminated.Reason, strings.TrimSpace(s.Terminated.Message), &code
	case s.Waiting != nil:
		cv.State, cv.Reason, cv.Message = "waiting", s.Waiting.Reason, s.Waiting.Message
	case s.Running != nil:
		cv.State = "running"
	}
	return cv
}
