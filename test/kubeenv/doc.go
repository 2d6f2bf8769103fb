// Package kubeenv runs a real Kubernetes control plane for tests: etcd,
// kube-apiserver and kube-scheduler, with kwok playing the kubelet of one
// fake node, all on 127.0.0.1 with free ports and their data and logs in a
// temporary directory.
//
// # Binaries
//
// hack/kube-testenv/build.sh builds the binaries from the Go module proxy
// and caches them by version outside the repository; `make kube-binaries`
// runs it and `make test` depends on it and passes the directory as
// $KUBE_TESTENV_BIN. Without that variable the default cache directory is
// used; when the binaries are missing, Start fails the test with a message
// that says to run `make kube-binaries`.
//
// # One control plane per test
//
//	env := kubeenv.Start(t, kubeenv.WithProwJobCRD())
//	pods := env.Client.CoreV1().Pods("default")
//
// Start takes ~5 s on a 2-core machine; t's cleanups stop it. Env.Config is
// the admin's rest.Config (group system:masters), Env.Client a clientset
// and Env.Kubeconfig a kubeconfig file with context Env.Context (and any
// WithExtraContexts names, all for the same apiserver).
//
// # One control plane per package
//
// Shared starts one control plane the first time a test asks for it and
// stops it after the package's last test; tests then work in namespaces of
// their own:
//
//	var kube = kubeenv.NewShared(kubeenv.WithProwJobCRD())
//
//	func TestMain(m *testing.M) { os.Exit(kube.Run(m)) }
//
//	func TestPlank(t *testing.T) {
//		env := kube.Env(t)
//		...
//	}
//
// # Pods
//
// The scheduler binds pods to the fake node NodeName (1000 cpu, 4Ti of
// memory, room for 1000 pods) and kwok moves them through their phases as
// their annotations say:
//
//   - OutcomeAnnotation "kubeenv.prow.test/outcome": "succeed" (default)
//     runs, then Succeeds with every container terminated with exit code 0;
//     "fail" runs, then Fails with exit code 1 (or ExitCodeAnnotation
//     "kubeenv.prow.test/exit-code"); "hang" runs until deleted; "pending"
//     stays Pending until deleted.
//   - DelayAnnotation "kubeenv.prow.test/delay": how long the pod runs
//     before it ends, as a Go duration; DefaultDelay (1 s) when absent.
//
// A deleted pod disappears at once (unless it has finalizers), as if a
// kubelet had stopped its containers. Nothing else runs: there is no
// controller-manager, so no garbage collection of owned objects, no
// namespace deletion beyond Terminating, no service accounts (the
// ServiceAccount admission plugin is off, so pods need none), no Jobs or
// Deployments making pods.
//
// The components are killed by PID when the control plane stops, and on
// Linux also when the test binary dies (a parent-death signal).
package kubeenv
