package kubeenv

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Env is a running control plane: etcd, kube-apiserver, kube-scheduler and
// kwok playing the kubelet of one fake node, all on 127.0.0.1.
type Env struct {
	// Config reaches the apiserver as the admin (system:masters).
	Config *rest.Config
	// Kubeconfig is the path of a kubeconfig file with the admin's
	// credentials, a context named Context (the current one) and one per
	// WithExtraContexts name, all pointing at this apiserver.
	Kubeconfig string
	// Context is the name of the kubeconfig's current context.
	Context string
	// Client is a clientset built from Config.
	Client kubernetes.Interface
	// Dir holds the components' data and logs (<component>.log).
	Dir string

	launcher *launcher
	procs    []*process // in the order they started
	stopOnce sync.Once
}

// Option changes how Start sets up the control plane.
type Option func(*options)

type options struct {
	context       string
	extraContexts []string
	prowJobCRD    bool
}

// startTimeout bounds how long Start waits for the components to be ready:
// a busy 2-core machine starts them in about 5 s.
const startTimeout = 2 * time.Minute

// WithContextName names the kubeconfig's current context (default
// DefaultContext).
func WithContextName(name string) Option { return func(o *options) { o.context = name } }

// WithExtraContexts adds contexts with these names to the kubeconfig, all
// for the same apiserver: code that talks to several clusters by context
// name can be tested against one control plane.
func WithExtraContexts(names ...string) Option {
	return func(o *options) { o.extraContexts = append(o.extraContexts, names...) }
}

// WithProwJobCRD installs the ProwJob CRD before Start returns (see
// Env.InstallProwJobCRD).
func WithProwJobCRD() Option { return func(o *options) { o.prowJobCRD = true } }

func buildOptions(opts []Option) options {
	o := options{context: DefaultContext}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// Start starts a control plane for t, stopped when t's cleanups run. On
// failure it fails t; when t has failed, the tails of the components' logs
// are logged before they stop. Tests of one package can share one control
// plane instead: see Shared.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	dir := t.TempDir()
	env, err := start(context.Background(), dir, buildOptions(opts))
	if env != nil {
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("test control plane logs:\n%s", env.LogTails(40))
			}
			env.Stop()
		})
	}
	if err != nil {
		t.Fatalf("start the test control plane: %v", err)
	}
	return env
}

// Stop kills the components this Env started, by PID, and waits for them
// to exit. It is safe to call more than once.
func (e *Env) Stop() {
	e.stopOnce.Do(func() {
		for i := len(e.procs) - 1; i >= 0; i-- {
			e.procs[i].kill()
		}
		e.launcher.stop()
	})
}

// LogTails returns the last n lines of each component's log.
func (e *Env) LogTails(n int) string {
	var b strings.Builder
	for _, p := range e.procs {
		fmt.Fprintf(&b, "==> %s (last %d lines) <==\n%s\n", p.logPath, n, tail(p.logPath, n))
	}
	return b.String()
}

// start starts the control plane with its files in dir. When it returns an
// error with a non-nil Env, that Env's logs tell what went wrong and it
// must be stopped.
func start(ctx context.Context, dir string, o options) (*Env, error) {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	env := &Env{Dir: dir, Context: o.context, Kubeconfig: filepath.Join(dir, "kubeconfig"), launcher: newLauncher()}
	if err := env.startAPI(ctx, bin, append([]string{o.context}, o.extraContexts...)); err != nil {
		return env, err
	}
	if err := env.startNode(ctx, bin); err != nil {
		return env, err
	}
	if o.prowJobCRD {
		if err := env.installProwJobCRD(ctx); err != nil {
			return env, err
		}
	}
	return env, nil
}

// run starts the binary name from bin.
func (e *Env) run(bin, name string, args []string, extraEnv ...string) error {
	p, err := e.launcher.start(e.Dir, name, filepath.Join(bin, name), args, extraEnv)
	if err != nil {
		return err
	}
	e.procs = append(e.procs, p)
	return nil
}

// startAPI starts etcd and the apiserver, and fills in how to reach it.
func (e *Env) startAPI(ctx context.Context, bin string, contexts []string) error {
	creds, err := newCredentials(e.Dir)
	if err != nil {
		return err
	}
	ports, err := freePorts(3)
	if err != nil {
		return err
	}
	etcdPort, peerPort, apiPort := ports[0], ports[1], ports[2]
	if err := e.run(bin, "etcd", etcdArgs(e.Dir, etcdPort, peerPort)); err != nil {
		return err
	}
	if err := e.poll(ctx, "etcd", etcdHealthy(etcdPort)); err != nil {
		return err
	}
	certDir := filepath.Join(e.Dir, "apiserver-certs")
	if err := e.run(bin, "kube-apiserver", apiserverArgs(certDir, etcdPort, apiPort, creds)); err != nil {
		return err
	}
	var ca []byte
	if err := e.poll(ctx, "kube-apiserver's serving certificate", servingCert(certDir, &ca)); err != nil {
		return err
	}
	server := fmt.Sprintf("https://127.0.0.1:%d", apiPort)
	e.Config = &rest.Config{
		Host:            server,
		BearerToken:     creds.token,
		TLSClientConfig: rest.TLSClientConfig{CAData: ca},
		// Load tests make many requests; the client's default 5/s is a
		// production safeguard, not a test's.
		QPS:   1000,
		Burst: 2000,
	}
	if err := e.poll(ctx, "kube-apiserver", e.getOK("/readyz")); err != nil {
		return err
	}
	if e.Client, err = kubernetes.NewForConfig(e.Config); err != nil {
		return fmt.Errorf("build clientset: %w", err)
	}
	return writeKubeconfig(e.Kubeconfig, server, ca, creds.token, contexts)
}

// startNode starts the scheduler and kwok, registers the fake node and
// waits until both are at work.
func (e *Env) startNode(ctx context.Context, bin string) error {
	kwokConfig, err := writeKwokConfig(e.Dir)
	if err != nil {
		return err
	}
	// kwok reads ~/.kwok/kwok.yaml too when it exists: give it a home of
	// its own.
	kwokHome := filepath.Join(e.Dir, "kwok-home")
	if err := os.MkdirAll(kwokHome, 0o700); err != nil {
		return fmt.Errorf("make kwok's home: %w", err)
	}
	schedulerConfig, err := writeSchedulerConfig(e.Dir, e.Kubeconfig)
	if err != nil {
		return err
	}
	if err := e.run(bin, "kube-scheduler", schedulerArgs(schedulerConfig)); err != nil {
		return err
	}
	if err := e.run(bin, "kwok", kwokArgs(e.Kubeconfig, kwokConfig), "HOME="+kwokHome); err != nil {
		return err
	}
	if err := createFakeNode(ctx, e.Client); err != nil {
		return err
	}
	if err := e.poll(ctx, "kwok's node "+NodeName, func(ctx context.Context) (bool, error) {
		return nodeReady(ctx, e.Client)
	}); err != nil {
		return err
	}
	return e.poll(ctx, "kube-scheduler", schedulerLeading(e.Client))
}

// poll calls ready until it reports true, a component exits or ctx ends.
func (e *Env) poll(ctx context.Context, what string, ready func(context.Context) (bool, error)) error {
	interval := 20 * time.Millisecond
	var last error
	for {
		for _, p := range e.procs {
			if err := p.exitError(); err != nil {
				return fmt.Errorf("wait for %s: %w", what, err)
			}
		}
		attempt, cancel := context.WithTimeout(ctx, 5*time.Second)
		ok, err := ready(attempt)
		cancel()
		if ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last == nil {
				return fmt.Errorf("%s not ready in time: %w", what, ctx.Err())
			}
			return fmt.Errorf("%s not ready in time: %w (last error: %w)", what, ctx.Err(), last)
		case <-time.After(interval):
		}
		interval = min(2*interval, 250*time.Millisecond)
	}
}
