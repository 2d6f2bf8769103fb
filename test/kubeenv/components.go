package kubeenv

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

func etcdArgs(dir string, clientPort, peerPort int) []string {
	client := fmt.Sprintf("http://127.0.0.1:%d", clientPort)
	peer := fmt.Sprintf("http://127.0.0.1:%d", peerPort)
	return []string{
		"--name=kubeenv",
		"--data-dir=" + filepath.Join(dir, "etcd"),
		"--listen-client-urls=" + client,
		"--advertise-client-urls=" + client,
		"--listen-peer-urls=" + peer,
		"--initial-advertise-peer-urls=" + peer,
		"--initial-cluster=kubeenv=" + peer,
		// The data lives as long as the test: durability buys nothing.
		"--unsafe-no-fsync",
		// A lone member elects itself after one election timeout: the
		// default second is most of etcd's start.
		"--heartbeat-interval=50",
		"--election-timeout=250",
		"--log-level=warn",
	}
}

func apiserverArgs(certDir string, etcdPort, port int, c *credentials) []string {
	return []string{
		fmt.Sprintf("--etcd-servers=http://127.0.0.1:%d", etcdPort),
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", port),
		// The apiserver signs its own serving certificate here; its
		// apiserver.crt is the CA clients trust.
		"--cert-dir=" + certDir,
		"--token-auth-file=" + c.tokenFile,
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + c.saKeyFile,
		"--service-account-signing-key-file=" + c.saKeyFile,
		"--service-cluster-ip-range=10.0.0.0/24",
		// On loopback the endpoint reconciler fails every 10 s.
		"--endpoint-reconciler-type=none",
		// No controller-manager makes service accounts, so pods need none;
		// nor does one lift the not-ready taint a new node gets.
		"--disable-admission-plugins=ServiceAccount,TaintNodesByCondition",
		// Every client is the admin, exempt from fairness anyway.
		"--enable-priority-and-fairness=false",
		"--allow-privileged=true",
		"--profiling=false",
	}
}

// writeSchedulerConfig writes the scheduler's configuration: the client
// limits of its flags' defaults (50 requests/s) make binding a load test's
// pods the slowest step.
func writeSchedulerConfig(dir, kubeconfig string) (string, error) {
	path := filepath.Join(dir, "kube-scheduler.yaml")
	config := fmt.Sprintf(`apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: %q
  qps: 1000
  burst: 2000
leaderElection:
  leaderElect: true
`, kubeconfig)
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		return "", fmt.Errorf("write scheduler config: %w", err)
	}
	return path, nil
}

func schedulerArgs(configPath string) []string {
	return []string{
		"--config=" + configPath,
		// No serving port: several control planes run side by side, and the
		// lease tells when the scheduler is working.
		"--secure-port=0",
	}
}

// etcdHealthy checks etcd's /health endpoint.
func etcdHealthy(port int) func(context.Context) (bool, error) {
	url := fmt.Sprintf("http://127.0.0.1:%d/health", port)
	return func(ctx context.Context) (bool, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return false, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false, err
		}
		defer func() { _ = resp.Body.Close() }()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return false, err
		}
		if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"health":"true"`)) {
			return false, fmt.Errorf("etcd /health: %s %s", resp.Status, body)
		}
		return true, nil
	}
}

// servingCert waits for the apiserver's self-signed certificate and keeps
// it in *ca once it is complete.
func servingCert(certDir string, ca *[]byte) func(context.Context) (bool, error) {
	path := filepath.Join(certDir, "apiserver.crt")
	return func(context.Context) (bool, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return false, err
		}
		// The file may be half written: every block must parse.
		rest, found := data, 0
		for {
			var block *pem.Block
			block, rest = pem.Decode(rest)
			if block == nil {
				break
			}
			if _, err := x509.ParseCertificate(block.Bytes); err != nil {
				return false, fmt.Errorf("parse %s: %w", path, err)
			}
			found++
		}
		if found == 0 || len(bytes.TrimSpace(rest)) != 0 {
			return false, fmt.Errorf("%s is incomplete", path)
		}
		*ca = data
		return true, nil
	}
}

// getOK checks that a GET of path answers 200, without the client's
// retries.
func (e *Env) getOK(path string) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		client, err := rest.HTTPClientFor(e.Config)
		if err != nil {
			return false, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.Config.Host+path, nil)
		if err != nil {
			return false, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return false, err
		}
		defer func() { _ = resp.Body.Close() }()
		if resp.StatusCode != http.StatusOK {
			// /readyz says which of its checks fail.
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
			return false, fmt.Errorf("GET %s: %s %s", path, resp.Status, bytes.TrimSpace(body))
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return true, nil
	}
}

// schedulerLeading checks that the scheduler holds its lease: it takes it
// once its caches are synced, just before it schedules.
func schedulerLeading(client kubernetes.Interface) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		lease, err := client.CoordinationV1().Leases(metav1.NamespaceSystem).Get(ctx, "kube-scheduler", metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		return lease.Spec.HolderIdentity != nil && *lease.Spec.HolderIdentity != "", nil
	}
}
