package config

import (
	"errors"
	"fmt"
)

// Gangway configures the job API (Prow's gangway): which API clients may
// start jobs, and which jobs each may start.
type Gangway struct {
	AllowedAPIClients []AllowedAPIClient `json:"allowed_api_clients,omitempty"`
}

// AllowedAPIClient is a client the API front identifies by headers, and
// the jobs it may start.
type AllowedAPIClient struct {
	// GCP identifies the client by the headers Google Cloud Endpoints
	// sets (x-endpoint-api-consumer-type and -number).
	GCP *APIClientGCP `json:"gcp,omitempty"`
	// AllowedJobsFilters are the jobs it may start: those of any of
	// these tenants.
	AllowedJobsFilters []AllowedJobsFilter `json:"allowed_jobs_filters,omitempty"`
}

// APIClientGCP is the identity the API front vouches for.
type APIClientGCP struct {
	EndpointAPIConsumerType   string `json:"endpoint_api_consumer_type,omitempty"`
	EndpointAPIConsumerNumber string `json:"endpoint_api_consumer_number,omitempty"`
}

// AllowedJobsFilter selects jobs by their prowjob_defaults tenant.
type AllowedJobsFilter struct {
	TenantID string `json:"tenant_id,omitempty"`
}

// ClientFor returns the allowed client of that consumer type and number,
// or nil when none is configured.
func (g *Gangway) ClientFor(consumerType, consumerNumber string) *AllowedAPIClient {
	if consumerType == "" || consumerNumber == "" {
		return nil
	}
	for i, c := range g.AllowedAPIClients {
		if c.GCP != nil && c.GCP.EndpointAPIConsumerType == consumerType && c.GCP.EndpointAPIConsumerNumber == consumerNumber {
			return &g.AllowedAPIClients[i]
		}
	}
	return nil
}

// MayRun says whether the client may start a job of tenant.
func (c *AllowedAPIClient) MayRun(tenant string) bool {
	for _, f := range c.AllowedJobsFilters {
		if f.TenantID != "" && f.TenantID == tenant {
			return true
		}
	}
	return false
}

// validate checks every allowed client: an identity and at least one
// tenant.
func (g *Gangway) validate() []error {
	var errs []error
	for i, c := range g.AllowedAPIClients {
		key := fmt.Sprintf("gangway.allowed_api_clients[%d]", i)
		switch {
		case c.GCP == nil:
			errs = append(errs, at(errors.New(key+": gcp is required (the client's identity)"), "gangway", "allowed_api_clients", i))
		case c.GCP.EndpointAPIConsumerType == "" || c.GCP.EndpointAPIConsumerNumber == "":
			errs = append(errs, at(errors.New(key+".gcp: endpoint_api_consumer_type and endpoint_api_consumer_number are required"),
				"gangway", "allowed_api_clients", i, "gcp"))
		}
		if len(c.AllowedJobsFilters) == 0 {
			errs = append(errs, at(errors.New(key+": allowed_jobs_filters is required (the tenants whose jobs it may start)"),
				"gangway", "allowed_api_clients", i))
		}
		for j, f := range c.AllowedJobsFilters {
			if f.TenantID == "" {
				errs = append(errs, at(fmt.Errorf("%s.allowed_jobs_filters[%d]: tenant_id is required", key, j),
					"gangway", "allowed_api_clients", i, "allowed_jobs_filters", j))
			}
		}
	}
	return errs
}
