package deploy

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/test/kubeenv"
)

// TestClusterManifestsApply applies deploy/cluster with kubectl's own
// kustomize, server side, and checks the objects the components need.
func TestClusterManifestsApply(t *testing.T) {
	env := kubeenv.Start(t)
	bin := os.Getenv(kubeenv.BinEnvVar)
	if bin == "" {
		bin = kubeenv.DefaultBinDir()
	}
	dir, err := filepath.Abs("../../deploy/cluster")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(filepath.Join(bin, "kubectl"), "--kubeconfig", env.Kubeconfig,
		"apply", "--server-side", "-k", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl apply -k deploy/cluster: %v\n%s", err, out)
	}
	ctx := context.Background()
	for _, name := range []string{"controller", "sinker", "deck", "tide", "status-reconciler", "ghproxy", "gangway"} {
		t.Run("deployment "+name, func(t *testing.T) {
			d, err := env.Client.AppsV1().Deployments("prow").Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				t.Fatalf("deployment %s: %v", name, err)
			}
			if args := d.Spec.Template.Spec.Containers[0].Args; len(args) == 0 || args[0] != name {
				t.Errorf("deployment %s runs %q, want the %s subcommand", name, args, name)
			}
			if d.Spec.Template.Spec.ServiceAccountName != name {
				t.Errorf("deployment %s runs as %q", name, d.Spec.Template.Spec.ServiceAccountName)
			}
		})
	}
	for _, name := range []string{"branchprotector", "label-sync"} {
		if cj, err := env.Client.BatchV1().CronJobs("prow").Get(ctx, name, metav1.GetOptions{}); err != nil {
			t.Errorf("cronjob %s: %v", name, err)
		} else if args := cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Args; len(args) == 0 || args[0] != name {
			t.Errorf("cronjob %s runs %q", name, args)
		}
	}
	t.Run("hook's journal hand-over job is valid", func(t *testing.T) {
		out, err := exec.Command(filepath.Join(bin, "kubectl"), "--kubeconfig", env.Kubeconfig,
			"apply", "--dry-run=server", "-f", filepath.Join(dir, "hook-drain-job.yaml")).CombinedOutput()
		if err != nil {
			t.Errorf("kubectl apply --dry-run=server -f hook-drain-job.yaml: %v\n%s", err, out)
		}
	})
	t.Run("statefulset hook", func(t *testing.T) {
		ss, err := env.Client.AppsV1().StatefulSets("prow").Get(ctx, "hook", metav1.GetOptions{})
		if err != nil {
			t.Fatalf("statefulset hook: %v", err)
		}
		args := ss.Spec.Template.Spec.Containers[0].Args
		if len(args) == 0 || args[0] != "hook" || !slices.Contains(args, "--replicated") {
			t.Errorf("statefulset hook runs %q, want hook --replicated", args)
		}
		if ss.Spec.Replicas == nil || *ss.Spec.Replicas < 2 || len(ss.Spec.VolumeClaimTemplates) != 1 || ss.Spec.VolumeClaimTemplates[0].Name != "journal" {
			t.Errorf("statefulset hook: want several replicas, each with its own journal volume")
		}
		if ss.Spec.Template.Spec.ServiceAccountName != "hook" {
			t.Errorf("statefulset hook runs as %q", ss.Spec.Template.Spec.ServiceAccountName)
		}
	})
	if _, err := env.Client.RbacV1().RoleBindings("test-pods").Get(ctx, "controller-pods", metav1.GetOptions{}); err != nil {
		t.Errorf("the controller cannot make pods in test-pods: %v", err)
	}
	for _, tc := range []struct{ name, who, verb, resource, namespace string }{
		{"hook makes no pods", "hook", "!create", "pods", "test-pods"}, // least privilege
		{"deck deletes no prowjobs", "deck", "!delete", "prowjobs.prow.k8s.io", "prow"},
		{"hook creates prowjobs", "hook", "create", "prowjobs.prow.k8s.io", "prow"},
		{"hook updates prowjobs", "hook", "update", "prowjobs.prow.k8s.io", "prow"},
		{"controller updates prowjobs", "controller", "update", "prowjobs.prow.k8s.io", "prow"},
		{"controller creates test pods", "controller", "create", "pods", "test-pods"},
		{"controller deletes test pods", "controller", "delete", "pods", "test-pods"},
		{"controller renews its lease", "controller", "update", "leases.coordination.k8s.io", "prow"},
		{"sinker deletes prowjobs", "sinker", "delete", "prowjobs.prow.k8s.io", "prow"},
		{"sinker deletes test pods", "sinker", "delete", "pods", "test-pods"},
		{"deck watches prowjobs", "deck", "watch", "prowjobs.prow.k8s.io", "prow"},
		{"deck reads test pod logs", "deck", "get", "pods/log", "test-pods"},
		{"tide creates prowjobs", "tide", "create", "prowjobs.prow.k8s.io", "prow"},
		{"tide lists prowjobs", "tide", "list", "prowjobs.prow.k8s.io", "prow"},
		{"tide renews its lease", "tide", "update", "leases.coordination.k8s.io", "prow"},
		{"tide makes no pods", "tide", "!create", "pods", "test-pods"},
		{"status-reconciler creates prowjobs", "status-reconciler", "create", "prowjobs.prow.k8s.io", "prow"},
		{"status-reconciler renews its lease", "status-reconciler", "update", "leases.coordination.k8s.io", "prow"},
		{"status-reconciler makes no pods", "status-reconciler", "!create", "pods", "test-pods"},
		{"ghproxy reads no prowjobs", "ghproxy", "!list", "prowjobs.prow.k8s.io", "prow"},
		{"ghproxy makes no pods", "ghproxy", "!create", "pods", "test-pods"},
		{"gangway creates prowjobs", "gangway", "create", "prowjobs.prow.k8s.io", "prow"},
		{"gangway lists prowjobs", "gangway", "list", "prowjobs.prow.k8s.io", "prow"},
		{"gangway updates no prowjobs", "gangway", "!update", "prowjobs.prow.k8s.io", "prow"},
		{"gangway makes no pods", "gangway", "!create", "pods", "test-pods"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			as := "system:serviceaccount:prow:" + tc.who
			verb, want := strings.TrimPrefix(tc.verb, "!"), "yes"
			if verb != tc.verb {
				want = "no"
			}
			answer, _ := exec.Command(filepath.Join(bin, "kubectl"), "--kubeconfig", env.Kubeconfig, "auth", "can-i",
				verb, tc.resource, "-n", tc.namespace, "--as", as).Output()
			if got := strings.TrimSpace(string(answer)); got != want {
				t.Errorf("may %s %s %s in %s? %s, want %s", tc.who, verb, tc.resource, tc.namespace, got, want)
			}
		})
	}
	if !strings.Contains(string(out), "prowjobs.prow.k8s.io") {
		t.Errorf("the CRD was not applied:\n%s", out)
	}
}
