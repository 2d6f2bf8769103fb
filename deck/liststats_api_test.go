package deck_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

type statsAnswer struct {
	Counted int  `json:"counted"`
	More    bool `json:"more"`
	States  []struct {
		State string `json:"state"`
		Count int    `json:"count"`
	} `json:"states"`
	Histogram []struct {
		Label string `json:"label"`
		Count int    `json:"count"`
	} `json:"histogram"`
}

func TestJobStatsAndSuggestions(t *testing.T) {
	f := newFixture(t, withConfigJobs)
	addClusterJob(t, f)

	all := decode[statsAnswer](t, f.do(http.MethodGet, "/api/job-stats", "", nil).Body.Bytes())
	counts := map[string]int{}
	for _, s := range all.States {
		counts[s.State] = s.Count
	}
	// Hidden jobs are not counted: 5 periodics, the arm job, the PR's
	// failure and the running e2e job.
	if all.Counted != 8 || all.More || counts["success"] != 6 || counts["failure"] != 1 || counts["pending"] != 1 {
		t.Errorf("all jobs: %+v", all)
	}
	sum := 0
	for _, b := range all.Histogram {
		sum += b.Count
	}
	if sum != 7 || len(all.Histogram) != 8 || all.Histogram[0].Label != "≤ 10s" || all.Histogram[7].Label != "> 2h00m" {
		t.Errorf("histogram of 7 finished jobs: %+v", all.Histogram)
	}
	glob := decode[statsAnswer](t, f.do(http.MethodGet, "/api/job-stats?job=pull-*&cluster=build-2", "", nil).Body.Bytes())
	if glob.Counted != 1 || len(glob.States) != 1 || glob.States[0].State != "success" {
		t.Errorf("pull-* in build-2: %+v", glob)
	}
	if rec := f.do(http.MethodGet, "/api/job-stats?state=bogus", "", nil); rec.Code != http.StatusBadRequest {
		t.Errorf("a bad filter: status %d", rec.Code)
	}

	type suggestAnswer struct{ Jobs, Repos, Authors, Clusters []string }
	sug := decode[suggestAnswer](t, f.do(http.MethodGet, "/api/suggest", "", nil).Body.Bytes())
	for _, want := range []string{"pull-widget-config-only", prJob, "pull-widget-arm", periodicJob} {
		if !slices.Contains(sug.Jobs, want) {
			t.Errorf("job suggestions lack %s: %v", want, sug.Jobs)
		}
	}
	everything := strings.Join(slices.Concat(sug.Jobs, sug.Repos, sug.Authors, sug.Clusters), " ")
	if strings.Contains(everything, "vault") || strings.Contains(everything, "secret") {
		t.Errorf("suggestions show what is hidden: %s", everything)
	}
	if !slices.Equal(sug.Repos, []string{"acme/widget"}) || !slices.Equal(sug.Authors, []string{"bob"}) ||
		!slices.Equal(sug.Clusters, []string{"build-2", "build-3", "default"}) {
		t.Errorf("suggestions %+v", sug)
	}

	type row struct {
		Name, Revision, Cluster string
		RevisionWhat            string `json:"revision_what"`
		YAML                    string `json:"yaml_url"`
		Final                   bool
	}
	rows := decode[struct{ Jobs []row }](t, f.do(http.MethodGet, "/api/jobs?cluster=build-2", "", nil).Body.Bytes()).Jobs
	if len(rows) != 1 || rows[0].Name != "pj-build-2" || rows[0].Revision != "def500" || rows[0].Cluster != "build-2" ||
		rows[0].YAML != "/prowjob?prowjob=pj-build-2" || !rows[0].Final || !strings.Contains(rows[0].RevisionWhat, "head commit") {
		t.Errorf("/api/jobs?cluster=build-2: %+v", rows)
	}
	if got := f.do(http.MethodGet, "/?cluster=build-2", "", nil).Body.String(); !strings.Contains(got, `data-name="pj-build-2"`) || strings.Contains(got, `data-name="pj-finished-pr"`) {
		t.Errorf("the list filtered by cluster:\n%s", got)
	}
}
