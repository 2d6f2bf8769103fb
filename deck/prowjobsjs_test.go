package deck_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/prowbot/prow/deck"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// prowJobsAnswer is /prowjobs.js as Prow's JavaScript reads it.
type prowJobsAnswer struct {
	Items    []map[string]any `json:"items"`
	Metadata struct {
		Continue string `json:"continue"`
	} `json:"metadata"`
}

// prowJobsJS fetches /prowjobs.js with query q over HTTP and decodes
// it, unwrapping `var NAME = ...;` when q has var.
func (f *fixture) prowJobsJS(t *testing.T, q url.Values) (prowJobsAnswer, string) {
	t.Helper()
	status, body := f.get(t, "/prowjobs.js?"+q.Encode())
	if status != 200 {
		t.Fatalf("GET /prowjobs.js?%s = %d %s", q.Encode(), status, body)
	}
	js := body
	if v := q.Get("var"); v != "" {
		prefix := "var " + v + " = "
		if !strings.HasPrefix(js, prefix) || !strings.HasSuffix(js, ";\n") {
			t.Fatalf("the answer is not `%s...;`: %.80s", prefix, js)
		}
		js = strings.TrimSuffix(strings.TrimPrefix(js, prefix), ";\n")
	}
	var a prowJobsAnswer
	if err := json.Unmarshal([]byte(js), &a); err != nil {
		t.Fatalf("the answer is not JSON: %v\n%.300s", err, js)
	}
	return a, body
}

// names are the items' metadata.name.
func (a prowJobsAnswer) names() []string {
	var out []string
	for _, it := range a.Items {
		out = append(out, dig(it, "metadata", "name").(string))
	}
	return out
}

// dig walks a decoded JSON value by field names and list indexes.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// addFixtureJob stores Prow's integration-test ProwJob
// (testdata/prowjob.yaml) as a finished run.
func (f *fixture) addFixtureJob(t *testing.T) *prowapi.ProwJob {
	t.Helper()
	var pj prowapi.ProwJob
	if err := yaml.Unmarshal([]byte(testdata(t, "prowjob.yaml")), &pj); err != nil {
		t.Fatal(err)
	}
	pj.Status = prowapi.ProwJobStatus{State: prowapi.SuccessState, BuildID: "1549129474832863232", StartTime: metav1.NewTime(f.start)}
	if _, err := f.store.Create(context.Background(), &pj); err != nil {
		t.Fatal(err)
	}
	return &pj
}

func TestProwJobsJS(t *testing.T) {
	f := newFixture(t)
	pj := f.addFixtureJob(t)
	all, _ := f.prowJobsJS(t, url.Values{})
	t.Run("plain JSON of the visible jobs, newest first", func(t *testing.T) {
		got := strings.Join(all.names(), " ")
		for _, want := range []string{finishedPR, runningJob, pj.Name, "pj-periodic-0"} {
			if !strings.Contains(got, want) {
				t.Errorf("items %s lack %s", got, want)
			}
		}
		for _, never := range []string{hiddenRepo, hiddenFlag} {
			if strings.Contains(got, never) {
				t.Errorf("items %s show hidden job %s", got, never)
			}
		}
		if all.Metadata.Continue != "" {
			t.Errorf("continue %q with everything sent", all.Metadata.Continue)
		}
	})
	t.Run("Prow's field names, as in Prow's own ProwJob", func(t *testing.T) {
		a, _ := f.prowJobsJS(t, url.Values{"job": {pj.Spec.Job}})
		if len(a.Items) != 1 {
			t.Fatalf("job filter gave %v", a.names())
		}
		it := a.Items[0]
		for _, c := range []struct {
			path []any
			want any
		}{
			{[]any{"metadata", "name"}, "test-job2"},
			{[]any{"metadata", "labels", "foo"}, "bar"},
			{[]any{"metadata", "annotations", "testgrid-dashboards"}, "sig-k8s-infra-prow"},
			{[]any{"spec", "type"}, "periodic"},
			{[]any{"spec", "agent"}, "tekton-pipeline"},
			{[]any{"spec", "max_concurrency"}, 1.0},
			{[]any{"spec", "extra_refs", 0, "base_ref"}, "master"},
			{[]any{"spec", "decoration_config", "gcs_configuration", "path_strategy"}, "legacy"},
			{[]any{"spec", "decoration_config", "gcs_credentials_secret"}, "service-account"},
			{[]any{"spec", "decoration_config", "utility_images", "clonerefs"}, "localhost:5001/clonerefs-ssl-disabled:latest"},
			{[]any{"spec", "pod_spec", "containers", 0, "image"}, "gcr.io/k8s-staging-infra-tools/k8s-infra:latest"},
			{[]any{"spec", "prowjob_defaults", "tenant_id"}, "GlobalDefaultID"},
			{[]any{"status", "state"}, "success"},
			{[]any{"status", "build_id"}, "1549129474832863232"},
		} {
			var name []string
			for _, p := range c.path {
				name = append(name, fmt.Sprint(p))
			}
			t.Run(strings.Join(name, "."), func(t *testing.T) {
				if got := dig(it, c.path...); got != c.want {
					t.Errorf("%v = %#v, want %#v", c.path, got, c.want)
				}
			})
		}
		if dig(it, "status", "startTime") == nil {
			t.Errorf("status.startTime missing: %v", it["status"])
		}
	})
	t.Run("var=allBuilds wraps it as a script setting the variable", func(t *testing.T) {
		a, body := f.prowJobsJS(t, url.Values{"var": {"allBuilds"}})
		if len(a.Items) != len(all.Items) || !strings.HasPrefix(body, `var allBuilds = {"items":[`) {
			t.Errorf("%d items (want %d), starts %.40q", len(a.Items), len(all.Items), body)
		}
	})
	t.Run("omit leaves out Prow's four parts", func(t *testing.T) {
		a, body := f.prowJobsJS(t, url.Values{"omit": {"annotations,labels,decoration_config,pod_spec,unknown"}, "job": {pj.Spec.Job}})
		for _, p := range [][]any{{"metadata", "annotations"}, {"metadata", "labels"}, {"spec", "decoration_config"}, {"spec", "pod_spec"}} {
			if v := dig(a.Items[0], p...); v != nil {
				t.Errorf("%v = %v despite omit", p, v)
			}
		}
		if dig(a.Items[0], "spec", "extra_refs", 0, "repo") != "test-infra" {
			t.Errorf("omit removed more than asked: %s", body)
		}
	})
}

func TestProwJobsJSRefusals(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct{ name, query, want string }{
		{"a var with a dash", "var=a-b", `var "a-b" is not a JavaScript identifier`},
		{"a var that starts with a digit", "var=1x", "not a JavaScript identifier"},
		{"a var that is script", "var=" + url.QueryEscape("x;alert(1)//"), "not a JavaScript identifier"},
		{"a reserved word", "var=function", "not a JavaScript identifier"},
		{"a limit of 0", "limit=0", fmt.Sprintf("between 1 and %d", deck.ProwJobsMax)},
		{"a limit above the most", fmt.Sprintf("limit=%d", deck.ProwJobsMax+1), "limit must be"},
		{"a bad filter", "state=bogus", "Bad filter"},
	} {
		t.Run(tt.name+" is 400", func(t *testing.T) {
			status, body := f.get(t, "/prowjobs.js?"+tt.query)
			if status != 400 || !strings.Contains(body, tt.want) {
				t.Fatalf("GET ?%s = %d %q, want 400 with %q", tt.query, status, body, tt.want)
			}
		})
	}
	t.Run("plugin-help.js checks var the same way", func(t *testing.T) {
		if status, body := f.get(t, "/plugin-help.js?var=a.b"); status != 400 || !strings.Contains(body, "not a JavaScript identifier") {
			t.Fatalf("GET = %d %q", status, body)
		}
	})
}

func TestProwJobsJSBounded(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// More visible jobs than ProwJobsDefault, a third of them in a
	// hidden repo.
	const n = 1650
	for i := range n {
		org, repo := "acme", "widget"
		if i%3 == 0 {
			org, repo = "secret", "vault"
		}
		pj := f.job(fmt.Sprintf("bulk-%04d", i), "pull-bulk", prowapi.SuccessState, org, repo, 1, fmt.Sprint(1000+i))
		if _, err := f.store.Create(ctx, pj); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("a limit caps the answer and the continue token reads on, without gaps or repeats", func(t *testing.T) {
		seen := map[string]bool{}
		q := url.Values{"job": {"pull-bulk"}, "limit": {"400"}}
		for pages := 0; ; pages++ {
			a, _ := f.prowJobsJS(t, q)
			if len(a.Items) > 400 {
				t.Fatalf("page %d has %d items, limit 400", pages, len(a.Items))
			}
			for _, name := range a.names() {
				if seen[name] {
					t.Fatalf("%s sent twice", name)
				}
				seen[name] = true
			}
			if a.Metadata.Continue == "" {
				break
			}
			q.Set("continue", a.Metadata.Continue)
		}
		if len(seen) != n-n/3 {
			t.Errorf("%d visible jobs read, want %d", len(seen), n-n/3)
		}
		for name := range seen {
			var i int
			if _, err := fmt.Sscanf(name, "bulk-%d", &i); err != nil || i%3 == 0 {
				t.Errorf("hidden or unknown job %s sent", name)
			}
		}
	})
	t.Run("without a limit the newest ProwJobsDefault are sent", func(t *testing.T) {
		a, _ := f.prowJobsJS(t, url.Values{})
		if len(a.Items) != deck.ProwJobsDefault || a.Metadata.Continue == "" {
			t.Errorf("%d items, continue %q: want %d and a token", len(a.Items), a.Metadata.Continue, deck.ProwJobsDefault)
		}
	})
}

// BenchmarkProwJobsJS100k is /prowjobs.js over 100,000 jobs in SQLite:
// the default answer, the most one request may ask for, and the same
// with Prow's omit. Allocation per request follows the jobs sent, not
// the jobs stored, because the store is read a page at a time and each
// job is encoded as it is read.
func BenchmarkProwJobsJS100k(b *testing.B) {
	db := benchStore(b, 100_000)
	s := benchDeck(b, db, db)
	for _, c := range []struct{ name, target string }{
		{"default", "/prowjobs.js?var=allBuilds"},
		{"max", fmt.Sprintf("/prowjobs.js?limit=%d", deck.ProwJobsMax)},
		{"max-omit", fmt.Sprintf("/prowjobs.js?limit=%d&omit=annotations,labels,decoration_config,pod_spec", deck.ProwJobsMax)},
	} {
		b.Run(c.name, func(b *testing.B) { benchGET(b, s.Handler(), c.target) })
	}
}
