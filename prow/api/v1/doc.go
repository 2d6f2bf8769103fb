// Package v1 holds the ProwJob type of the prow.k8s.io/v1 API, field for
// field compatible with Kubernetes' Prow so existing ProwJob records,
// `kubectl get prowjobs` and tooling keep working.
//
// +kubebuilder:object:generate=true
// +groupName=prow.k8s.io
package v1
