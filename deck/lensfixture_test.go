package deck_test

import (
	"context"
	"errors"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck"
	"github.com/prowbot/prow/deck/lens"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// lensDir is a build with an artifact for every lens.
const lensDir = "pr-logs/pull/acme_widget/14/pull-widget-lenses/900"

// lensJob is the ProwJob of lensDir.
const lensJob = "pj-lenses"

// withLenses configures deck.spyglass.lenses.
func withLenses(ls ...config.LensFileConfig) fixtureOptions {
	return func(o *deck.Options) {
		base := o.Config
		o.Config = sync.OnceValue(func() *config.Config {
			c := &config.Config{ProwConfig: base().ProwConfig, JobConfig: base().JobConfig}
			c.Deck.Spyglass.Lenses = ls
			return c
		})
	}
}

// withPodInfo gives deck a pod reader that knows no pod.
func withPodInfo() fixtureOptions {
	return func(o *deck.Options) {
		o.PodInfo = func(context.Context, *prowapi.ProwJob) (*lens.PodInfo, error) {
			return nil, errors.New("no such pod")
		}
	}
}

func lensCfg(name string, required ...string) config.LensFileConfig {
	return config.LensFileConfig{Lens: config.LensConfig{Name: name}, RequiredFiles: required}
}

// allLenses configures every lens, in an order unlike the defaults.
var allLenses = []config.LensFileConfig{
	lensCfg("markdown", `^artifacts/.*\.md$`),
	lensCfg("links", `^artifacts/(?:links\.json|.*\.link\.txt)$`),
	lensCfg("junit", `^artifacts/junit.*\.xml$`),
	lensCfg("html", `^artifacts/.*\.html$`),
	lensCfg("coverage", `^artifacts/coverage\.out$`),
	lensCfg("metadata", `^started\.json$`),
	lensCfg("podinfo", `^podinfo\.json$`),
	lensCfg("buildlog", `^build-log\.txt$`),
}

const lensJUnit = `<?xml version="1.0"?>
<testsuites>
 <testsuite name="pkg/gear">
  <testcase classname="pkg/gear" name="TestGearTurns" time="1.50"/>
  <testcase classname="pkg/gear" name="TestGearGrinds" time="0.25"><failure message="teeth &lt;b&gt;missing&lt;/b&gt;">gear_test.go:9: want 12 teeth, got 11</failure></testcase>
  <testcase classname="pkg/gear" name="TestGearSlips" time="0.10"><failure message="slipped once">gear_test.go:30: slipped</failure></testcase>
  <testcase classname="pkg/gear" name="TestGearSlips" time="0.20"/>
  <testcase classname="pkg/gear" name="TestGearRusts" time="0"><skipped message="needs salt water"/></testcase>
 </testsuite>
 <testsuite name="pkg/belt">
  <testcase classname="pkg/belt" name="TestBelt&lt;script&gt;" time="2.00"/>
 </testsuite>
</testsuites>`

const lensMarkdown = "# Release notes\n\nThe **gear** is fixed.\n\n<script>alert('md')</script>\n\n[bad](javascript:alert(1)) and [good](https://example.com/docs)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"

const lensHTML = `<html><body><h1 id="report-title">Gear report</h1><script>document.title="ran"</script></body></html>`

const lensLinks = `{"title": "Dashboards", "links": [{"name": "Grafana <board>", "url": "https://grafana.example.com/d/1"}, {"name": "evil", "url": "javascript:alert(1)"}]}`

const lensCoverage = `mode: set
example.com/gear/gear.go:3.10,5.2 4 1
example.com/gear/gear.go:7.10,9.2 4 0
example.com/gear/belt.go:3.10,5.2 2 1
example.com/gear/belt.go:3.10,5.2 2 0
`

// writeLensBuild writes lensDir and stores its job.
func (f *fixture) writeLensBuild() {
	failed := false
	ts := f.start.Unix()
	end := ts + 125
	pj := f.job(lensJob, "pull-widget-lenses", prowapi.FailureState, "acme", "widget", 14, "900")
	pj.Spec.Refs.Pulls[0].SHA = "f00dfeed"
	pj.Spec.ExtraRefs = []prowapi.Refs{{Org: "acme", Repo: "tools", BaseRef: "release-1", BaseSHA: "7001"}}
	if _, err := f.store.Create(context.Background(), pj); err != nil {
		f.t.Fatal(err)
	}
	f.writeJSON(lensDir+"/prowjob.json", pj)
	f.writeJSON(lensDir+"/started.json", storage.Started{Timestamp: ts, Pull: "14", Repos: map[string]string{"acme/widget": "main:abc,14:f00dfeed"}})
	f.writeJSON(lensDir+"/finished.json", storage.Finished{Timestamp: &end, Passed: &failed, Result: "FAILURE", Revision: "f00dfeed",
		Metadata: storage.Metadata{"work-dir": "/home/prow/go"}})
	f.write(lensDir+"/build-log.txt", "building\nerror: gear grinds\n")
	f.write(lensDir+"/artifacts/junit_gear.xml", lensJUnit)
	f.write(lensDir+"/artifacts/notes.md", lensMarkdown)
	f.write(lensDir+"/artifacts/report.html", lensHTML)
	f.write(lensDir+"/artifacts/links.json", lensLinks)
	f.write(lensDir+"/artifacts/grafana-board.link.txt", "https://grafana.example.com/d/2\n")
	f.write(lensDir+"/artifacts/coverage.out", lensCoverage)
	f.writeJSON(lensDir+"/podinfo.json", lensPodInfo(f.start))
}

func lensPodInfo(start time.Time) lens.PodInfo {
	t := metav1.NewTime(start)
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: lensJob, Namespace: "test-pods"}}
	pod.Spec.NodeName = "node-7"
	pod.Status = corev1.PodStatus{Phase: corev1.PodFailed, Reason: "Evicted", Message: "The node was low on memory <oom>",
		Conditions:            []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "PodCompleted", LastTransitionTime: t}},
		InitContainerStatuses: []corev1.ContainerStatus{{Name: "clonerefs", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed"}}}},
		ContainerStatuses:     []corev1.ContainerStatus{{Name: "test", RestartCount: 2, State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 137, Reason: "OOMKilled"}}}},
	}
	ev := corev1.Event{Type: "Warning", Reason: "BackOff", Message: "Back-off restarting failed container", Count: 3, LastTimestamp: t}
	ev.Source.Component = "kubelet"
	return lens.PodInfo{Pod: pod, Events: []corev1.Event{ev}}
}
