package config

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/test/testlog"
)

func TestAgentReloadsAndKeepsTheLastGoodConfig(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	jobPath := filepath.Join(dir, "jobs", "a.yaml")
	write(t, cfgPath, "pod_namespace: pods\n")
	write(t, jobPath, "periodics:\n- name: one\n  interval: 1h\n  spec: {containers: [{image: x}]}\n")

	agent, err := NewAgent(Options{ConfigPath: cfgPath, JobConfigPath: filepath.Join(dir, "jobs")}, testlog.Discard())
	if err != nil {
		t.Fatal(err)
	}
	agent.debounce = 10 * time.Millisecond
	get := agent.Getter()
	if got := get().Periodics[0].Name; got != "one" {
		t.Fatalf("initial periodic = %q", got)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	events := agent.Subscribe()
	watching := make(chan error, 1)
	go func() { watching <- agent.Watch(ctx) }()

	select {
	case <-agent.Watching():
	case <-ctx.Done():
		t.Fatal("the agent never started watching")
	}
	// waitFor writes a change and waits for the reload it causes; events
	// that do not match (an editor's partial write) are passed over.
	waitFor := func(content string, done func(Event) bool) Event {
		write(t, jobPath, content)
		for {
			select {
			case ev := <-events:
				if done(ev) {
					return ev
				}
			case <-ctx.Done():
				t.Fatal("no matching reload before the deadline")
			}
		}
	}

	waitFor("periodics:\n- name: two\n  interval: 1h\n  spec: {containers: [{image: x}]}\n",
		func(ev Event) bool { return ev.Err == nil && ev.Snapshot.Config.Periodics[0].Name == "two" })
	if got := get().Periodics[0].Name; got != "two" {
		t.Errorf("after a good change the getter returns %q, want two", got)
	}

	ev := waitFor("periodics:\n- name: three\n  cron: 'not a cron'\n  spec: {containers: [{image: x}]}\n",
		func(ev Event) bool { return ev.Err != nil })
	if !strings.Contains(ev.Err.Error(), "a.yaml") || !strings.Contains(ev.Err.Error(), "keeping the last good one") {
		t.Errorf("reload error should name the file and say the old config stays: %v", ev.Err)
	}
	if got := get().Periodics[0].Name; got != "two" {
		t.Errorf("after a bad change the getter returns %q, want the last good 'two'", got)
	}

	cancel()
	if err := <-watching; err != nil {
		t.Errorf("Watch: %v", err)
	}

}

func TestNewAgentFailsOnABadConfig(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "config.yaml"), "pod_namespace: [\n")
	if _, err := NewAgent(Options{ConfigPath: filepath.Join(dir, "config.yaml")}, testlog.Discard()); err == nil {
		t.Fatal("want an error")
	}
}
