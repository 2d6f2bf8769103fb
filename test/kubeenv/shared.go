package kubeenv

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
)

// Shared is one control plane for all the tests of a package: started by
// the first test that asks for it and stopped after the last test ended.
// Declare one in the package's tests and run them through it in TestMain:
//
//	var kube = kubeenv.NewShared(kubeenv.WithProwJobCRD())
//
//	func TestMain(m *testing.M) { os.Exit(kube.Run(m)) }
//
//	func TestSomething(t *testing.T) {
//		env := kube.Env(t)
//		...
//	}
//
// Tests sharing a control plane share its objects: each should work in a
// namespace of its own.
type Shared struct {
	opts []Option

	mu      sync.Mutex
	started bool
	env     *Env
	err     error
}

// NewShared returns a Shared control plane that will start with opts.
func NewShared(opts ...Option) *Shared { return &Shared{opts: opts} }

// Env returns the shared control plane, starting it on first use; it fails
// t when the control plane could not start. When t fails, the tails of the
// components' logs are logged.
func (s *Shared) Env(t testing.TB) *Env {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started {
		s.started = true
		s.env, s.err = s.start()
	}
	if s.err != nil {
		t.Fatalf("start the shared test control plane: %v", s.err)
	}
	env := s.env
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("test control plane logs:\n%s", env.LogTails(40))
		}
	})
	return env
}

func (s *Shared) start() (*Env, error) {
	dir, err := os.MkdirTemp("", "kubeenv-")
	if err != nil {
		return nil, fmt.Errorf("make the control plane's directory: %w", err)
	}
	env, err := start(context.Background(), dir, buildOptions(s.opts))
	if err != nil && env != nil {
		err = fmt.Errorf("%w\n%s", err, env.LogTails(40))
		env.Stop()
		env = nil
	}
	if env == nil {
		_ = os.RemoveAll(dir)
	}
	return env, err
}

// Run runs the package's tests and then stops the control plane, if one of
// them started it. Call it from TestMain and exit with what it returns.
func (s *Shared) Run(m *testing.M) int {
	code := m.Run()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.env != nil {
		s.env.Stop()
		_ = os.RemoveAll(s.env.Dir)
		s.env = nil
	}
	return code
}
