package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config/pluginconfig"
)

// Event tells subscribers about a reload: the new snapshot, or the error
// that made the agent keep the previous one.
type Event struct {
	Snapshot *Snapshot
	Err      error
}

// Agent holds the configuration in force and reloads it when its files
// change. A reload that fails keeps the last good configuration.
type Agent struct {
	opts     Options
	log      *logrus.Entry
	debounce time.Duration

	current atomic.Pointer[Snapshot]
	armed   chan struct{}
	armOnce sync.Once

	mu   sync.Mutex
	subs []chan Event
}

// NewAgent loads the configuration once; it fails when that load fails.
func NewAgent(o Options, log *logrus.Entry) (*Agent, error) {
	snap, warnings, err := Load(o)
	for _, w := range warnings {
		log.WithField("problem", w.String()).Warn("Configuration warning")
	}
	if err != nil {
		return nil, err
	}
	a := &Agent{opts: o, log: log, debounce: 200 * time.Millisecond, armed: make(chan struct{})}
	a.current.Store(snap)
	return a, nil
}

// Config returns the configuration in force.
func (a *Agent) Config() *Config { return a.current.Load().Config }

// Plugins returns the plugin configuration in force (nil without a
// plugins.yaml).
func (a *Agent) Plugins() *pluginconfig.Configuration { return a.current.Load().Plugins }

// Getter returns a Getter reading from the agent.
func (a *Agent) Getter() Getter { return a.Config }

// PluginsGetter returns a PluginsGetter reading from the agent.
func (a *Agent) PluginsGetter() PluginsGetter { return a.Plugins }

// Watching is closed once Watch has started watching the files: a change
// made after that is sure to be seen.
func (a *Agent) Watching() <-chan struct{} { return a.armed }

// Subscribe returns a channel that receives an Event after every reload.
// Events are dropped for a subscriber that is not keeping up.
func (a *Agent) Subscribe() <-chan Event {
	ch := make(chan Event, 8)
	a.mu.Lock()
	a.subs = append(a.subs, ch)
	a.mu.Unlock()
	return ch
}

// Reload loads the files again. On success the new configuration is put in
// force; on failure the last good one stays and the error says why.
func (a *Agent) Reload() error {
	snap, warnings, err := Load(a.opts)
	for _, w := range warnings {
		a.log.WithField("problem", w.String()).Warn("Configuration warning")
	}
	if err != nil {
		err = fmt.Errorf("configuration not reloaded, keeping the last good one: %w", err)
		a.log.WithError(err).Error("Configuration reload failed")
	} else {
		a.current.Store(snap)
		a.log.Info("Configuration reloaded")
	}
	a.publish(Event{Snapshot: a.current.Load(), Err: err})
	return err
}

func (a *Agent) publish(ev Event) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, ch := range a.subs {
		select {
		case ch <- ev:
		default:
		}
	}
}

// Watch reloads whenever a configuration file or directory changes, until
// ctx ends. Changes that arrive together are folded into one reload.
func (a *Agent) Watch(ctx context.Context) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch configuration: %w", err)
	}
	defer w.Close()
	for _, dir := range a.watchDirs() {
		if err := w.Add(dir); err != nil {
			return fmt.Errorf("watch %s: %w", dir, err)
		}
	}
	a.armOnce.Do(func() { close(a.armed) })
	var timer *time.Timer
	fire := make(chan struct{}, 1)
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return errors.New("configuration watcher closed")
			}
			a.watchNewDir(w, ev)
			if timer == nil {
				timer = time.AfterFunc(a.debounce, func() { fire <- struct{}{} })
			} else {
				timer.Reset(a.debounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return errors.New("configuration watcher closed")
			}
			a.log.WithError(err).Warn("Configuration watcher error")
		case <-fire:
			_ = a.Reload() // Reload logs and publishes its own outcome.
		}
	}
}

// watchNewDir starts watching a directory created inside the job config.
func (a *Agent) watchNewDir(w *fsnotify.Watcher, ev fsnotify.Event) {
	if !ev.Has(fsnotify.Create) || a.opts.JobConfigPath == "" || !strings.HasPrefix(ev.Name, a.opts.JobConfigPath) {
		return
	}
	if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
		for _, dir := range dirsUnder(ev.Name) {
			_ = w.Add(dir) // best effort: a directory may vanish again at once
		}
	}
}

// watchDirs lists the directories whose changes matter: those holding the
// config and plugin files, and the whole job-config tree.
func (a *Agent) watchDirs() []string {
	seen := map[string]bool{}
	var out []string
	add := func(dir string) {
		if !seen[dir] {
			seen[dir] = true
			out = append(out, dir)
		}
	}
	add(filepath.Dir(a.opts.ConfigPath))
	if a.opts.PluginConfigPath != "" {
		add(filepath.Dir(a.opts.PluginConfigPath))
	}
	if a.opts.JobConfigPath != "" {
		if info, err := os.Stat(a.opts.JobConfigPath); err == nil && info.IsDir() {
			for _, dir := range dirsUnder(a.opts.JobConfigPath) {
				add(dir)
			}
		} else {
			add(filepath.Dir(a.opts.JobConfigPath))
		}
	}
	return out
}

func dirsUnder(root string) []string {
	var out []string
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}
