package main

import (
	"fmt"
	"os"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/prowbot/prow/plugins/configupdater"
)

// configMapClients are config-updater's clusters in the cluster mode: the
// default cluster is the one the flags name (in-cluster without them),
// and every other context of --kubeconfig is a cluster of that alias.
func (k *kubeFlags) configMapClients() (map[string]kubernetes.Interface, error) {
	rc, err := k.restConfig()
	if err != nil {
		return nil, err
	}
	client, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	out := map[string]kubernetes.Interface{configupdater.DefaultCluster: client}
	if k.kubeconfig == "" {
		return out, nil
	}
	file, err := clientcmd.LoadFromFile(k.kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("read --kubeconfig %s: %w", k.kubeconfig, err)
	}
	for name := range file.Contexts {
		if _, ok := out[name]; ok {
			continue
		}
		cc, err := clientcmd.NewNonInteractiveClientConfig(*file, name, &clientcmd.ConfigOverrides{}, nil).ClientConfig()
		if err != nil {
			return nil, fmt.Errorf("context %s of --kubeconfig %s: %w", name, k.kubeconfig, err)
		}
		if out[name], err = kubernetes.NewForConfig(cc); err != nil {
			return nil, fmt.Errorf("kubernetes client for context %s: %w", name, err)
		}
	}
	return out, nil
}

// configFiles is config-updater's target in the embedded mode: the files
// this process reads (a job config given as one file takes no keys).
func (o *serveOptions) configFiles() configupdater.FileMaps {
	f := configupdater.FileMaps{ConfigPath: o.ConfigPath, PluginConfigPath: o.PluginConfigPath}
	if st, err := os.Stat(o.JobConfigPath); err == nil && st.IsDir() {
		f.JobConfigDir = o.JobConfigPath
	}
	return f
}
