package sandbox_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/github/sandbox"
)

// outcome sends one request on a fresh connection (so Go's transport
// cannot quietly retry a dropped one) and names what came back.
func outcome(t *testing.T, base, method, path, body string) string {
	t.Helper()
	req, err := http.NewRequest(method, base+"/api/v3"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "token bob-token")
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return sandbox.FaultDrop
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	switch {
	case resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusServiceUnavailable:
		return sandbox.Fault5xx
	case resp.StatusCode == http.StatusForbidden && resp.Header.Get("Retry-After") == "1" && strings.Contains(string(data), "secondary rate limit"):
		return sandbox.FaultSecondary
	case resp.StatusCode < 300:
		return "ok"
	}
	return fmt.Sprintf("unexpected %d %s", resp.StatusCode, data)
}

func TestFaultsStrikeAtTheConfiguredRate(t *testing.T) {
	const n = 300
	for _, rate := range []float64{0, 0.1, 0.5, 1} {
		t.Run(fmt.Sprintf("rate %v", rate), func(t *testing.T) {
			e := start(t, func(o *sandbox.Options) { o.Faults, o.FaultSeed = sandbox.Faults{Rate: rate}, 11 })
			seen := map[string]int{}
			for k := 0; k < n; k++ {
				seen[outcome(t, e.url, http.MethodGet, "/user", "")]++
			}
			faults := n - seen["ok"]
			// Four standard deviations of a binomial count; the seed is
			// fixed, so this never flakes.
			if slack := 4*math.Sqrt(n*rate*(1-rate)) + 1; math.Abs(float64(faults)-rate*n) > slack {
				t.Errorf("%d faults in %d requests at rate %v", faults, n, rate)
			}
			counts := e.srv.FaultCounts()
			for _, kind := range []string{sandbox.Fault5xx, sandbox.FaultDrop, sandbox.FaultSecondary} {
				if seen[kind] != counts[kind] {
					t.Errorf("the client saw %d %s faults, the server counted %d", seen[kind], kind, counts[kind])
				}
				if rate == 1 && seen[kind] < n/6 {
					t.Errorf("only %d of %d faults were %s; kinds are chosen uniformly", seen[kind], n, kind)
				}
			}
			for got := range seen {
				if strings.HasPrefix(got, "unexpected") {
					t.Errorf("an answer that is neither a fault nor a success: %s", got)
				}
			}
		})
	}
}

func TestFaultsFollowTheSeed(t *testing.T) {
	sequence := func(seed uint64) string {
		e := start(t, func(o *sandbox.Options) { o.Faults, o.FaultSeed = sandbox.Faults{Rate: 0.3}, seed })
		var out []string
		for k := 0; k < 40; k++ {
			out = append(out, outcome(t, e.url, http.MethodGet, "/rate_limit", ""))
		}
		return strings.Join(out, ",")
	}
	if a, b := sequence(5), sequence(5); a != b {
		t.Errorf("the same seed gave different faults:\n%s\n%s", a, b)
	}
	if a, b := sequence(5), sequence(6); a == b {
		t.Errorf("seeds 5 and 6 gave the same faults: %s", a)
	}
}

func TestARetriedWriteIsAppliedOnce(t *testing.T) {
	e := start(t, func(o *sandbox.Options) { o.FaultSeed = 3 })
	e.srv.SetFaults(sandbox.Faults{Rate: 0.5})
	const writes = 25
	retries := 0
	for k := 0; k < writes; k++ {
		for attempt := 0; ; attempt++ {
			if attempt == 60 {
				t.Fatalf("comment %d never got through", k)
			}
			if outcome(t, e.url, http.MethodPost, "/repos/demo/hello/issues/3/comments", fmt.Sprintf(`{"body": "comment %d"}`, k)) == "ok" {
				break
			}
			retries++
		}
	}
	e.srv.SetFaults(sandbox.Faults{})
	comments := must[[]*gh.IssueComment](t)(e.client("bob-token").Issues.ListComments(context.Background(), "demo", "hello", 3,
		&gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}))
	if len(comments) != writes {
		t.Errorf("%d comments after %d writes and %d retries; each write must be applied exactly once", len(comments), writes, retries)
	}
	if retries == 0 {
		t.Error("a 50% fault rate caused no retries")
	}
}

func TestFaultsLookLikeGitHubsToGoGitHub(t *testing.T) {
	cases := []struct {
		kind  string
		check func(err error) bool
	}{
		{sandbox.FaultSecondary, func(err error) bool {
			var abuse *gh.AbuseRateLimitError
			return errors.As(err, &abuse) && abuse.GetRetryAfter().Seconds() == 1
		}},
		{sandbox.Fault5xx, func(err error) bool {
			var resp *gh.ErrorResponse
			return errors.As(err, &resp) && resp.Response.StatusCode >= 502
		}},
		{sandbox.FaultDrop, func(err error) bool {
			var resp *gh.ErrorResponse
			return err != nil && !errors.As(err, &resp)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.kind+" is recognized", func(t *testing.T) {
			e := start(t, func(o *sandbox.Options) { o.Faults = sandbox.Faults{Rate: 1, Kinds: []string{tc.kind}} })
			_, _, err := e.client("bob-token").Users.Get(context.Background(), "")
			if !tc.check(err) {
				t.Errorf("go-github got %T %v", err, err)
			}
		})
	}
}

func TestFaultsAdminAPI(t *testing.T) {
	e := start(t)
	cases := []struct {
		name, body string
		want       int
	}{
		{"refuses a rate above 1", `{"rate": 1.5}`, http.StatusBadRequest},
		{"refuses an unknown kind", `{"rate": 0.5, "kinds": ["fire"]}`, http.StatusBadRequest},
		{"refuses what is not JSON", `{`, http.StatusBadRequest},
		{"accepts a rate, kinds and a seed", `{"rate": 1, "kinds": ["5xx"], "seed": 9}`, http.StatusNoContent},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Post(e.url+"/_sandbox/faults", "application/json", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("answered %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	if got := outcome(t, e.url, http.MethodGet, "/user", ""); got != sandbox.Fault5xx {
		t.Errorf("after setting every request to fail with 5xx, a request got %s", got)
	}
	if code, body := e.admin(http.MethodGet, "/faults", nil); code != http.StatusOK || !strings.Contains(string(body), `"5xx":1`) {
		t.Errorf("GET /_sandbox/faults: %d %s", code, body)
	}
}
