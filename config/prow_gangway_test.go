package config

import (
	"strings"
	"testing"
)

func TestGangwayClients(t *testing.T) {
	g := Gangway{AllowedAPIClients: []AllowedAPIClient{
		{GCP: &APIClientGCP{EndpointAPIConsumerType: "PROJECT", EndpointAPIConsumerNumber: "123"},
			AllowedJobsFilters: []AllowedJobsFilter{{TenantID: "team-a"}, {TenantID: "team-b"}}},
		{GCP: &APIClientGCP{EndpointAPIConsumerType: "PROJECT", EndpointAPIConsumerNumber: "456"},
			AllowedJobsFilters: []AllowedJobsFilter{{TenantID: "GlobalDefaultID"}}},
	}}
	for _, tc := range []struct {
		name, typ, number, tenant string
		known, may                bool
	}{
		{"a listed client may run its tenants' jobs", "PROJECT", "123", "team-b", true, true},
		{"a listed client may not run another tenant's jobs", "PROJECT", "123", "team-c", true, false},
		{"the second client is told apart by its number", "PROJECT", "456", "GlobalDefaultID", true, true},
		{"an unknown number is no client", "PROJECT", "789", "team-a", false, false},
		{"another consumer type is no client", "SERVICE", "123", "team-a", false, false},
		{"missing headers are no client", "", "", "team-a", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := g.ClientFor(tc.typ, tc.number)
			if (c != nil) != tc.known {
				t.Fatalf("ClientFor(%q, %q) = %v, want known %v", tc.typ, tc.number, c, tc.known)
			}
			if c != nil && c.MayRun(tc.tenant) != tc.may {
				t.Errorf("MayRun(%q) = %v, want %v", tc.tenant, !tc.may, tc.may)
			}
		})
	}
}

// TestGangwayValidationNamesTheLine: an allowed client without an
// identity or tenants is an error at its line.
func TestGangwayValidationNamesTheLine(t *testing.T) {
	cfg := writeFile(t, t.TempDir(), "config.yaml", `gangway:
  allowed_api_clients:
  - gcp:
      endpoint_api_consumer_type: PROJECT
      endpoint_api_consumer_number: "1"
    allowed_jobs_filters: [{tenant_id: a}]
  - allowed_jobs_filters: [{tenant_id: b}]
  - gcp: {endpoint_api_consumer_type: PROJECT}
    allowed_jobs_filters: [{tenant_id: ""}]
`)
	_, _, err := Load(Options{ConfigPath: cfg})
	if err == nil {
		t.Fatal("a broken gangway section loaded")
	}
	for _, want := range []string{
		cfg + ":7: gangway.allowed_api_clients[1]: gcp is required",
		cfg + ":8: gangway.allowed_api_clients[2].gcp: endpoint_api_consumer_type and endpoint_api_consumer_number are required",
		cfg + ":9: gangway.allowed_api_clients[2].allowed_jobs_filters[0]: tenant_id is required",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q:\n%v", want, err)
		}
	}
}
