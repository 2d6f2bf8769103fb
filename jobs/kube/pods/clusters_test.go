package pods

import (
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// writeKubeconfig writes a kubeconfig with a context per name → server
// and returns its path.
func writeKubeconfig(t *testing.T, current string, servers map[string]string) string {
	t.Helper()
	return writeContexts(t, current, servers, func(name, server string) (*clientcmdapi.Cluster, *clientcmdapi.AuthInfo) {
		return &clientcmdapi.Cluster{Server: server}, &clientcmdapi.AuthInfo{Token: "token-" + name}
	})
}

// writeContexts writes a kubeconfig with a context per key of m, using
// the cluster and user entry makes of its value, and returns its path;
// current is the current context.
func writeContexts[V any](t *testing.T, current string, m map[string]V, entry func(name string, v V) (*clientcmdapi.Cluster, *clientcmdapi.AuthInfo)) string {
	t.Helper()
	cfg := clientcmdapi.NewConfig()
	for name, v := range m {
		cfg.Clusters[name], cfg.AuthInfos[name] = entry(name, v)
		cfg.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: name}
	}
	cfg.CurrentContext = current
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadClusters(t *testing.T) {
	t.Setenv("KUBERNETES_SERVICE_HOST", "") // not in a cluster
	t.Setenv("KUBERNETES_SERVICE_PORT", "")
	three := map[string]string{"main": "https://main:6443", "build01": "https://build01:6443", "default": "https://named-default:6443"}
	two := map[string]string{"main": "https://main:6443", "build01": "https://build01:6443"}
	for _, tc := range []struct {
		name        string
		kubeconfig  func(t *testing.T) string
		wantAliases string
		wantDefault string
		wantErr     string
	}{
		{"each context is a cluster and default is the current one", func(t *testing.T) string { return writeKubeconfig(t, "build01", two) },
			"build01 default main", "https://build01:6443", ""},
		{"a context named default wins over the current one", func(t *testing.T) string { return writeKubeconfig(t, "main", three) },
			"build01 default main", "https://named-default:6443", ""},
		{"files joined as in KUBECONFIG are merged", func(t *testing.T) string {
			return writeKubeconfig(t, "main", map[string]string{"main": "https://main:6443"}) + string(filepath.ListSeparator) +
				writeKubeconfig(t, "", map[string]string{"build02": "https://build02:6443"})
		}, "build02 default main", "https://main:6443", ""},
		{"without a current context and outside a cluster there is no default", func(t *testing.T) string { return writeKubeconfig(t, "", two) },
			"", "", "no context named default"},
		{"without a kubeconfig and outside a cluster there is nothing", func(*testing.T) string { return "" },
			"", "", "not running in a cluster"},
		{"a missing kubeconfig", func(t *testing.T) string { return filepath.Join(t.TempDir(), "missing") },
			"", "", "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LoadClusters(tc.kubeconfig(t))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a := strings.Join(got.Aliases(), " "); a != tc.wantAliases {
				t.Errorf("aliases %q, want %q", a, tc.wantAliases)
			}
			if h := got["default"].Host; h != tc.wantDefault {
				t.Errorf("default cluster %s, want %s", h, tc.wantDefault)
			}
		})
	}
}
