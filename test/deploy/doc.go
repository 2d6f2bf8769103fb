// Package deploy tests the cluster manifests of deploy/cluster against a
// real API server (test/kubeenv): kustomize builds them and the API server
// accepts every object.
package deploy
