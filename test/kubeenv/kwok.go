package kubeenv

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Pod annotations that tell the fake node what a pod does once it runs.
const (
	// OutcomeAnnotation selects what a running pod does: OutcomeSucceed
	// (the default), OutcomeFail, OutcomeHang or OutcomePending.
	OutcomeAnnotation = "kubeenv.prow.test/outcome"
	// DelayAnnotation is how long a pod stays Running before it ends, as a
	// Go duration ("250ms", "3s"); DefaultDelay when absent.
	DelayAnnotation = "kubeenv.prow.test/delay"
	// ExitCodeAnnotation is the exit code of the containers of a pod with
	// OutcomeFail; 1 when absent.
	ExitCodeAnnotation = "kubeenv.prow.test/exit-code"
)

// The values of OutcomeAnnotation.
const (
	// OutcomeSucceed: Running, then after the delay Succeeded with every
	// container terminated with exit code 0 (reason Completed).
	OutcomeSucceed = "succeed"
	// OutcomeFail: Running, then after the delay Failed with every container
	// terminated with exit code 1 or ExitCodeAnnotation (reason Error).
	OutcomeFail = "fail"
	// OutcomeHang: Running until deleted.
	OutcomeHang = "hang"
	// OutcomePending: scheduled but Pending until deleted (an image that
	// never pulls, say).
	OutcomePending = "pending"
)

// DefaultDelay is how long a pod without DelayAnnotation stays Running.
const DefaultDelay = time.Second

// The fake node kwok manages.
const (
	// NodeName is the name of the fake node pods are scheduled to.
	NodeName = "kubeenv-node"
	// kwok manages the nodes with this annotation, and only those.
	kwokNodeAnnotation = "kwok.x-k8s.io/node"
	kwokNodeValue      = "fake"
	// What the fake node offers: enough for load tests.
	nodePods   = "1000"
	nodeCPU    = "1000"
	nodeMemory = "4Ti"
)

// kwokArgs are the flags of kwok; the stages are in configPath.
func kwokArgs(kubeconfig, configPath string) []string {
	return []string{
		"--kubeconfig=" + kubeconfig,
		"--config=" + configPath,
		"--manage-all-nodes=false",
		"--manage-nodes-with-annotation-selector=" + kwokNodeAnnotation + "=" + kwokNodeValue,
		// Room for a pod IP for every pod of a load test.
		"--cidr=10.128.0.0/16",
		"--node-ip=10.127.0.1",
	}
}

// writeKwokConfig writes kwok's configuration: the stages every object on
// the fake node goes through. kwok's stock pod stages complete only
// Job-owned pods; these complete every pod as its annotations say.
func writeKwokConfig(dir string) (string, error) {
	path := filepath.Join(dir, "kwok.yaml")
	stages := []string{nodeInitializeStage, podRunningStage, podSucceedStage, podFailStage, podDeleteStage}
	data := strings.Join(stages, "\n---\n")
	data = strings.NewReplacer(
		"$OUTCOME", OutcomeAnnotation,
		"$DELAY_MS", strconv.FormatInt(DefaultDelay.Milliseconds(), 10),
		"$DELAY", DelayAnnotation,
		"$EXIT_CODE", ExitCodeAnnotation,
		"$SUCCEED", OutcomeSucceed,
		"$FAIL", OutcomeFail,
		"$HANG", OutcomeHang,
		"$PENDING", OutcomePending,
		"$PODS", nodePods,
		"$CPU", nodeCPU,
		"$MEMORY", nodeMemory,
	).Replace(data)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		return "", fmt.Errorf("write kwok config: %w", err)
	}
	return path, nil
}

// createFakeNode registers the node kwok plays the kubelet of.
func createFakeNode(ctx context.Context, client kubernetes.Interface) error {
	resources := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse(nodeCPU),
		corev1.ResourceMemory: resource.MustParse(nodeMemory),
		corev1.ResourcePods:   resource.MustParse(nodePods),
	}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:        NodeName,
			Annotations: map[string]string{kwokNodeAnnotation: kwokNodeValue},
			Labels: map[string]string{
				"type":                   "kwok",
				"kubernetes.io/hostname": NodeName,
				"kubernetes.io/os":       "linux",
				"kubernetes.io/arch":     "amd64",
			},
		},
		Status: corev1.NodeStatus{Capacity: resources, Allocatable: resources},
	}
	_, err := client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create node %s: %w", NodeName, err)
	}
	return nil
}

// nodeReady reports whether kwok has initialized the fake node.
func nodeReady(ctx context.Context, client kubernetes.Interface) (bool, error) {
	node, err := client.CoreV1().Nodes().Get(ctx, NodeName, metav1.GetOptions{})
	if err != nil {
		return false, err
	}
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue, nil
		}
	}
	return false, nil
}

// The node becomes Ready with the capacity it was created with.
const nodeInitializeStage = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: kubeenv-node-initialize
spec:
  resourceRef:
    apiGroup: v1
    kind: Node
  selector:
    matchExpressions:
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: NotIn
      values: ["True"]
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      {{ range NodeConditions }}
      - lastHeartbeatTime: {{ $now | Quote }}
        lastTransitionTime: {{ $now | Quote }}
        message: {{ .message | Quote }}
        reason: {{ .reason | Quote }}
        status: {{ .status | Quote }}
        type: {{ .type | Quote }}
      {{ end }}
      addresses:
      - address: {{ NodeIP | Quote }}
        type: InternalIP
      - address: {{ .metadata.name | Quote }}
        type: Hostname
      allocatable:
        cpu: "$CPU"
        memory: "$MEMORY"
        pods: "$PODS"
      capacity:
        cpu: "$CPU"
        memory: "$MEMORY"
        pods: "$PODS"
      nodeInfo:
        architecture: amd64
        operatingSystem: linux
        containerRuntimeVersion: {{ printf "kwok-%s" Version | Quote }}
        kubeletVersion: {{ printf "kwok-%s" Version | Quote }}
        kubeProxyVersion: {{ printf "kwok-%s" Version | Quote }}
        kernelVersion: {{ printf "kwok-%s" Version | Quote }}
        bootID: ""
        machineID: ""
        osImage: ""
        systemUUID: ""
      phase: Running
`

// podStage is the head of the stage kubeenv-pod-name, up to its selector:
// the pods not being deleted, in phase, whose outcome is (operator In) or is
// not (NotIn) one of outcomes.
func podStage(name, phase, operator, outcomes string) string {
	return `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: kubeenv-pod-` + name + `
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: .metadata.deletionTimestamp
      operator: DoesNotExist
    - key: .status.phase
      operator: In
      values: ["` + phase + `"]
    - key: '.metadata.annotations["$OUTCOME"]'
      operator: ` + operator + `
      values: [` + outcomes + `]`
}

// A scheduled pod starts: init containers completed, containers running.
var podRunningStage = podStage("running", "Pending", "NotIn", `"$PENDING"`) + `
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: Initialized
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: Ready
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: ContainersReady
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: true
        started: true
        restartCount: 0
        state:
          running:
            startedAt: {{ $now | Quote }}
      {{ end }}
      initContainerStatuses:
      {{ range .spec.initContainers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: true
        restartCount: 0
        state:
          terminated:
            exitCode: 0
            reason: Completed
            startedAt: {{ $now | Quote }}
            finishedAt: {{ $now | Quote }}
      {{ end }}
      {{ with NodeIPsWith .spec.nodeName }}
      hostIP: {{ index . 0 | Quote }}
      hostIPs:
      {{ range . }}
      - ip: {{ . | Quote }}
      {{ end }}
      {{ end }}
      {{ with PodIPsWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
      podIP: {{ index . 0 | Quote }}
      podIPs:
      {{ range . }}
      - ip: {{ . | Quote }}
      {{ end }}
      {{ end }}
      phase: Running
      startTime: {{ $now | Quote }}
`

// A running pod ends well after its delay, unless told otherwise.
var podSucceedStage = podEndStage(podEnd{
	name: "succeed", operator: "NotIn", outcomes: `"$FAIL", "$HANG", "$PENDING"`,
	podReason: "PodCompleted", exitCode: "0", reason: "Completed", phase: "Succeeded",
})

// A running pod with outcome fail ends badly after its delay.
var podFailStage = podEndStage(podEnd{
	name: "fail", operator: "In", outcomes: `"$FAIL"`,
	vars: `
      {{ $annotations := or .metadata.annotations dict }}
      {{ $code := or ( index $annotations "$EXIT_CODE" ) 1 }}`,
	podReason: "PodFailed", exitCode: "{{ $code }}", reason: "Error", phase: "Failed",
})

// podEnd is how a running pod ends after its delay: the pods whose outcome
// is (operator In) or is not (NotIn) one of outcomes, the template
// variables vars sets beside $now and $started, the reason of the pod's
// conditions, its containers' exit code and reason, and its phase.
type podEnd struct {
	name, operator, outcomes, vars, podReason, exitCode, reason, phase string
}

// podEndStage is the stage of a podEnd.
func podEndStage(e podEnd) string {
	return podStage(e.name, "Running", e.operator, e.outcomes) + `
  delay:
    durationMilliseconds: $DELAY_MS
    durationFrom:
      jq:
        expression: '.metadata.annotations["$DELAY"]'
  next:
    statusTemplate: |
      {{ $now := Now }}
      {{ $started := or .status.startTime $now }}` + e.vars + `
      conditions:
      - lastTransitionTime: {{ $now | Quote }}
        status: "False"
        reason: ` + e.podReason + `
        type: Ready
      - lastTransitionTime: {{ $now | Quote }}
        status: "False"
        reason: ` + e.podReason + `
        type: ContainersReady
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: false
        started: false
        restartCount: 0
        state:
          terminated:
            exitCode: ` + e.exitCode + `
            reason: ` + e.reason + `
            startedAt: {{ $started | Quote }}
            finishedAt: {{ $now | Quote }}
      {{ end }}
      phase: ` + e.phase + `
`
}

// A deleted pod goes at once, as a kubelet does when its containers stop
// (finalizers are left to whoever set them).
const podDeleteStage = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: kubeenv-pod-delete
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: .metadata.deletionTimestamp
      operator: Exists
    - key: .metadata.finalizers
      operator: DoesNotExist
  next:
    delete: true
`
