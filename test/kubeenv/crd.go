package kubeenv

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensionsclient "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/yaml"
)

// ProwJobCRDPath is the generated ProwJob CRD (make update-crd), relative to
// the repository's root.
const ProwJobCRDPath = "deploy/crd/prow.k8s.io_prowjobs.yaml"

const modulePath = "github.com/prowbot/prow"

// InstallProwJobCRD installs the repository's ProwJob CRD and waits until it
// is Established. Installing it again is harmless, so tests sharing a
// control plane can each call it.
func (e *Env) InstallProwJobCRD(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.installProwJobCRD(ctx); err != nil {
		t.Fatal(err)
	}
}

func (e *Env) installProwJobCRD(ctx context.Context) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	return e.installCRD(ctx, filepath.Join(root, ProwJobCRDPath))
}

func (e *Env) installCRD(ctx context.Context, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read CRD: %w", err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.UnmarshalStrict(data, &crd); err != nil {
		return fmt.Errorf("decode CRD %s: %w", path, err)
	}
	approveProtectedGroup(&crd)
	client, err := apiextensionsclient.NewForConfig(e.Config)
	if err != nil {
		return fmt.Errorf("build apiextensions client: %w", err)
	}
	crds := client.ApiextensionsV1().CustomResourceDefinitions()
	_, err = crds.Create(ctx, &crd, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		// Tests sharing a control plane may install it at the same time.
		err = retry.RetryOnConflict(retry.DefaultRetry, func() error {
			existing, err := crds.Get(ctx, crd.Name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			crd.ResourceVersion = existing.ResourceVersion
			_, err = crds.Update(ctx, &crd, metav1.UpdateOptions{})
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("install CRD %s: %w", crd.Name, err)
	}
	err = e.poll(ctx, "CRD "+crd.Name, func(ctx context.Context) (bool, error) {
		got, err := crds.Get(ctx, crd.Name, metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		for _, c := range got.Status.Conditions {
			if c.Type == apiextensionsv1.Established {
				return c.Status == apiextensionsv1.ConditionTrue, nil
			}
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	// The apiserver builds a resource's cache on its first request and
	// answers 429 (retry after 1 s) until it is ready: build it now, so
	// that a test's first request does not wait a whole second.
	for _, v := range crd.Spec.Versions {
		if !v.Served {
			continue
		}
		path := fmt.Sprintf("/apis/%s/%s/%s?limit=1", crd.Spec.Group, v.Name, crd.Spec.Names.Plural)
		if err := e.poll(ctx, "list "+path, e.getOK(path)); err != nil {
			return err
		}
	}
	return nil
}

// approvalAnnotation is required on CRDs of the groups Kubernetes reserves
// (*.k8s.io, *.kubernetes.io), prow.k8s.io among them.
const approvalAnnotation = "api-approved.kubernetes.io"

// approveProtectedGroup adds the approval annotation, the one Prow's own
// ProwJob CRD carries, when a CRD of a protected group lacks it: the
// apiserver refuses such a CRD otherwise.
func approveProtectedGroup(crd *apiextensionsv1.CustomResourceDefinition) {
	group := crd.Spec.Group
	protected := group == "k8s.io" || strings.HasSuffix(group, ".k8s.io") ||
		group == "kubernetes.io" || strings.HasSuffix(group, ".kubernetes.io")
	if !protected || crd.Annotations[approvalAnnotation] != "" {
		return
	}
	if crd.Annotations == nil {
		crd.Annotations = map[string]string{}
	}
	crd.Annotations[approvalAnnotation] = "https://github.com/kubernetes/test-infra/pull/8669"
}

// repoRoot finds the repository's root above the working directory (a
// test runs in its package's directory).
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find the repository: %w", err)
	}
	for {
		if isModuleRoot(filepath.Join(dir, "go.mod")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find the repository: no go.mod of " + modulePath + " above the working directory")
		}
		dir = parent
	}
}

func isModuleRoot(goMod string) bool {
	data, err := os.ReadFile(goMod)
	if err != nil {
		return false
	}
	scanner := bufio.NewScanner(bytes.NewReader(data))
	for scanner.Scan() {
		if fields := strings.Fields(scanner.Text()); len(fields) == 2 && fields[0] == "module" {
			return fields[1] == modulePath
		}
	}
	return false
}
