package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
)

// targets are the goals from the issues and DESIGN.md §8, by benchmark name
// (without the Benchmark prefix and the -N CPU suffix).
var targets = map[string]string{
	"LoadTestInfraSubset":                                  "no target (365 jobs); the whole config's, < 1 s and < 200 MB (DESIGN: ≤ 0.3 s, ≤ 70 MB), is checked with prow checkconfig on it",
	"HookThroughput":                                       "≥ 5,000 deliveries/s",
	"IntakePenalty":                                        "sequence/sum ≈ 1 (well above 1: one step makes the next pay, e.g. the AVX-SSE transition penalty)",
	"HookLatencyAt1000PerSecond":                           "p99 < 20 ms (DESIGN: ≤ 5 ms)",
	"PRLifecycle":                                          "GitHub calls per PR lifecycle (a figure to watch; no target)",
	"ListFirstPage100k/repo+state/limit=20":                "< 20 ms (filtered first page, 100,000 finished jobs)",
	"ListFirstPage100k/job/limit=20":                       "< 20 ms (filtered first page, 100,000 finished jobs)",
	"TriggerToPod/burst":                                   "trigger → pod created p99 < 1 s with 1,000 ProwJobs (real API server)",
	"ControllerAtScale":                                    "controller memory at 10,000 ProwJobs, 3 build clusters: a figure to watch (and reconcile latency: creation → pending)",
	"APIWritesPerJob":                                      "ProwJob writes per job: target 2 (controller and pod runner, trigger → success)",
	"TriggerToStarted":                                     "trigger → process started p99 < 1 s with 1,000 queued",
	"SpawnFloor":                                           "no target: this machine's floor for TriggerToStarted (1,000 bare process starts, no bot)",
	"JobListFirstPage100k/sqlite/first-page":               "< 100 ms and < 200 KB (100,000 jobs)",
	"JobListFirstPage100k/sqlite/filtered":                 "< 100 ms and < 200 KB (100,000 jobs)",
	"JobListFirstPage100k/sqlite/glob":                     "< 100 ms and < 200 KB (100,000 jobs)",
	"JobListFirstPage100k/sqlite/cluster-matching-nothing": "< 100 ms (100,000 jobs, none in the cluster)",
	"JobListFirstPage100k/sqlite/job-stats":                "no target: the list's counts and histogram of 1,000 jobs, fetched after the page",
	"LogRange100MB/range-1MB":                              "streamed: alloc/op far below the log's size",
	"Sync1000PRs/first":                                    "tide, 1,000 PRs in 50 repos: a sync < 1 s, calls ≤ one per query (search page) plus one per merge",
	"Sync1000PRs/statuses":                                 "no target: the status loop writing 1,000 tide statuses (one call each, off the merge path)",
	"Sync1000PRs/steady":                                   "tide, nothing new: a sync < 1 s, charged calls ≤ one per query",
	"GreenToMerge":                                         "last required context green → merged: p99 < 2 s with sync_period 1s",
	"SearchPullRequests1000/cold":                          "GraphQL search of 1,000 PRs, mergeability computed: < 1 s in 10 calls",
	"SearchPullRequests1000/warm":                          "GraphQL search of 1,000 PRs: well under 1 s in 10 calls",
	"InRepoTrigger/cold":                                   "no target: a new PR of a repo with .prow.yaml: 2 reads/PR (the branch push's postsubmits, the merged head's presubmits)",
	"InRepoTrigger/warm":                                   "a revision already read: 0 reads/PR",
	"GitHubCallsPerJob/statuses":                           "no target: GitHub calls to report a presubmit (triggered, pending, failed) as commit statuses: one per state",
	"GitHubCallsPerJob/check-runs":                         "check runs, same job: ≈ statuses' (one update per state; one list per commit)",
	"GitHubCallsPerJob/check-runs/60-annotations":          "check runs, 60 annotated failures: one more update per 50 annotations",
	"GitHubCallsPerJob/check-runs/rerun":                   "check runs, a rerun on the same commit: the run updated in place, its annotations listed once",
}

// result is one benchmark line.
type result struct {
	name    string
	runs    string
	metrics map[string]float64
	order   []string
}

func main() {
	results, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if len(results) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark results on stdin")
		os.Exit(1)
	}
	print(os.Stdout, results)
}

func parse(r io.Reader) ([]result, error) {
	var out []result
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		res := result{name: trimName(fields[0]), runs: fields[1], metrics: map[string]float64{}}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				// A log line written into the result line: say so, keep going.
				fmt.Fprintf(os.Stderr, "benchtable: skipping %q: not a value in %q\n", fields[i], sc.Text())
				break
			}
			res.metrics[fields[i+1]] = v
			res.order = append(res.order, fields[i+1])
		}
		out = append(out, res)
	}
	return out, sc.Err()
}

func trimName(s string) string {
	s = strings.TrimPrefix(s, "Benchmark")
	if i := strings.LastIndex(s, "-"); i > 0 {
		if _, err := strconv.Atoi(s[i+1:]); err == nil {
			s = s[:i]
		}
	}
	return s
}

func print(w io.Writer, results []result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "benchmark\truns\ttime/op\talloc/op\tallocs/op\tother\ttarget")
	for _, r := range results {
		var other []string
		for _, unit := range r.order {
			switch unit {
			case "ns/op", "B/op", "allocs/op":
			default:
				other = append(other, fmt.Sprintf("%.4g %s", r.metrics[unit], unit))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.0f\t%s\t%s\n", r.name, r.runs,
			duration(r.metrics["ns/op"]), bytes(r.metrics["B/op"]), r.metrics["allocs/op"],
			strings.Join(other, ", "), targets[r.name])
	}
	tw.Flush()
}

func duration(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.3f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	default:
		return fmt.Sprintf("%.0f ns", ns)
	}
}

func bytes(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KB", b/(1<<10))
	default:
		return fmt.Sprintf("%.0f B", b)
	}
}
