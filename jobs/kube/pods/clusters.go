package pods

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/mapkeys"
)

// Clusters maps build-cluster aliases (a job's spec.cluster) to the API
// servers they name.
type Clusters map[string]*rest.Config

// Aliases lists the clusters' aliases, sorted.
func (c Clusters) Aliases() []string {
	return mapkeys.Sorted(c)
}

// LoadClusters reads the build clusters from kubeconfig (one file, or a
// list joined as in $KUBECONFIG): each context is the cluster of its
// name, and "default" is the context of that name, else the current
// context. Without a kubeconfig, or when it yields no "default",
// "default" is the cluster this process runs in, when it runs in one.
func LoadClusters(kubeconfig string) (Clusters, error) {
	out := Clusters{}
	if kubeconfig != "" {
		files := filepath.SplitList(kubeconfig)
		for _, f := range files {
			if _, err := os.Stat(f); err != nil {
				return nil, fmt.Errorf("load kubeconfig: %w", err)
			}
		}
		rules := &clientcmd.ClientConfigLoadingRules{Precedence: files}
		raw, err := rules.Load()
		if err != nil {
			return nil, fmt.Errorf("load kubeconfig %s: %w", kubeconfig, err)
		}
		for name := range raw.Contexts {
			cfg, err := clientcmd.NewNonInteractiveClientConfig(*raw, name, &clientcmd.ConfigOverrides{}, rules).ClientConfig()
			if err != nil {
				return nil, fmt.Errorf("context %s of kubeconfig %s: %w", name, kubeconfig, err)
			}
			out[name] = cfg
		}
		if cur := out[raw.CurrentContext]; out[prowapi.DefaultClusterAlias] == nil && cur != nil {
			out[prowapi.DefaultClusterAlias] = cur
		}
	}
	if out[prowapi.DefaultClusterAlias] == nil {
		cfg, err := rest.InClusterConfig()
		switch {
		case err == nil:
			out[prowapi.DefaultClusterAlias] = cfg
		case kubeconfig == "":
			return nil, fmt.Errorf("no kubeconfig given and not running in a cluster: %w", err)
		}
	}
	if out[prowapi.DefaultClusterAlias] == nil {
		return nil, errors.New("kubeconfig " + kubeconfig + " has no context named default and no current context")
	}
	return out, nil
}
