package v1

import (
	"os"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

func TestGeneratedCRD(t *testing.T) {
	data, err := os.ReadFile("../../../deploy/crd/prow.k8s.io_prowjobs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 200<<10 {
		t.Errorf("the CRD is %d bytes; it should stay small enough for client-side apply", len(data))
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.UnmarshalStrict(data, &crd); err != nil {
		t.Fatal(err)
	}
	if crd.Name != "prowjobs.prow.k8s.io" || crd.Spec.Group != "prow.k8s.io" || crd.Spec.Names.Kind != "ProwJob" || crd.Spec.Scope != apiextensionsv1.NamespaceScoped {
		t.Errorf("identity: %s %s %s %s", crd.Name, crd.Spec.Group, crd.Spec.Names.Kind, crd.Spec.Scope)
	}
	if len(crd.Spec.Versions) != 1 || crd.Spec.Versions[0].Name != "v1" {
		t.Fatalf("versions: %+v", crd.Spec.Versions)
	}
	v := crd.Spec.Versions[0]
	if v.Subresources != nil && v.Subresources.Status != nil {
		t.Error("Prow's ProwJob has no status subresource: status is written with the object")
	}
	var cols []string
	for _, c := range v.AdditionalPrinterColumns {
		cols = append(cols, c.Name)
	}
	want := []string{"Job", "BuildId", "Type", "Org", "Repo", "Pulls", "StartTime", "CompletionTime", "State"}
	if len(cols) != len(want) {
		t.Fatalf("printer columns %v, want %v", cols, want)
	}
	for i := range want {
		if cols[i] != want[i] {
			t.Fatalf("printer columns %v, want %v", cols, want)
		}
	}
	spec := v.Schema.OpenAPIV3Schema.Properties["spec"]
	if ps := spec.Properties["pod_spec"]; ps.XPreserveUnknownFields == nil || !*ps.XPreserveUnknownFields {
		t.Error("pod_spec should keep unknown fields without a schema")
	}
	if tm := spec.Properties["decoration_config"].Properties["timeout"]; tm.Type != "string" {
		t.Errorf("decoration_config.timeout type %q, want string", tm.Type)
	}
}
